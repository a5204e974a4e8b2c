package web

import (
	"context"
	"net/http"
	"time"

	"techbridge/market"
)

// payoutPage is the admin's list of transfers and refunds: with the manual
// provider a person pays each by bank and marks it paid with the bank's
// reference.
type payoutPage struct {
	State string // "pending" (the default) or "all"
	Rows  []payoutRow
	Lang  string
}

// payoutRow is one transfer or refund with who gets it and where from.
type payoutRow struct {
	Op        market.PaymentOp
	Payee     string // the organisation's name
	PayoutRef string // its payout account, where the money goes
	Subject   string // the deal's listing title
	Milestone string
	Form      *form  // the reference typed when it was refused
	Error     string // a refusal of the whole step
}

// Money renders minor units in the page's one format for its language.
func (p *payoutPage) Money(amount int64, currency string) string {
	return money(amount, currency, p.Lang)
}

// When formats a time in China's time zone.
func (p *payoutPage) When(t time.Time) string { return cst(t) }

// payouts lists payouts for finance and admins; the service refuses
// everyone else.
func (s *Server) payouts(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.payoutPage(r.Context(), v, r.URL.Query().Get("state"))
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "payouts", p)
	return nil
}

// payoutPage loads the payouts of a state with names for each (finance
// and admins; the service refuses others).
func (s *Server) payoutPage(ctx context.Context, v *visit, state string) (*payoutPage, error) {
	p := &payoutPage{State: "pending", Lang: v.Lang}
	filter := market.PayPending
	if state == "all" {
		p.State, filter = "all", ""
	}
	ops, err := s.svc.FinanceOps(ctx, v.Actor, market.FinancePayouts, filter)
	if err != nil {
		return nil, err
	}
	for _, fo := range ops {
		p.Rows = append(p.Rows, payoutRow{Op: fo.Op, Form: &form{}, Payee: fo.Org.Name(v.Lang), PayoutRef: fo.Org.PayoutRef,
			Subject: fo.Subject, Milestone: fo.Milestone.Title})
	}
	return p, nil
}

// markPayoutPaid records the bank reference of a payout an admin made; a
// refused one comes back in its row with the reference kept.
func (s *Server) markPayoutPaid(w http.ResponseWriter, r *http.Request, v *visit) error {
	id := r.PathValue("id")
	f := newForm(r, "reference")
	_, err := s.svc.MarkPayoutPaid(r.Context(), v.Actor, id, f.Value("reference"))
	if err == nil {
		http.Redirect(w, r, "/admin/payouts?done=payout_paid", http.StatusSeeOther)
		return nil
	}
	code := market.ErrorCode(err)
	status := map[string]int{market.EINVALID: http.StatusUnprocessableEntity, market.ECONFLICT: http.StatusConflict}[code]
	if status == 0 {
		return err
	}
	p, perr := s.payoutPage(r.Context(), v, "all")
	if perr != nil {
		return perr
	}
	for i := range p.Rows {
		if p.Rows[i].Op.ID == id {
			f.IDs = map[string]string{"reference": "payout-ref-" + id}
			p.Rows[i].Form = f
			if !f.take(v.Lang, err) {
				p.Rows[i].Error = translate(v.Lang, "pay.refused") + " " + refusal(v.Lang, err)
			}
		}
	}
	s.render(w, v, status, "payouts", p)
	return nil
}
