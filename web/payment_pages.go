package web

import (
	"context"
	"net/http"
	"strconv"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
	"techbridge/market/ledger"
)

// paymentsPage is a deal's money: per milestone its state, amounts, the
// fee split and the actions the visitor's role allows now.
type paymentsPage struct {
	View      *market.DealView
	Statement *market.DealStatement
	Rows      []milestoneMoney
	Role      market.MilestoneRole
	// Enabled is false when the platform runs without payments.
	Enabled     bool
	Bank        bool  // the manual provider: bank transfers confirmed by a person
	PlatformBPS int64 // the platform fee in force, for the projection
	Lang        string
	Escrow      market.EscrowBank // where buyers transfer, with the manual provider
}

// EscrowReference is what the buyer quotes on a milestone's transfer.
func (p *paymentsPage) EscrowReference(milestoneID string) string {
	return market.EscrowReference(milestoneID)
}

// milestoneMoney is one milestone of the payments page.
type milestoneMoney struct {
	M market.Milestone
	// BuyerPays is the price plus the buyer's part of the intermediary fee.
	BuyerPays int64
	// Shares is how the money divides on release: from the ledger once
	// released (Booked), else projected from the fees with the refunds so far.
	Shares  ledger.Shares
	Booked  bool
	HasFees bool              // Shares and BuyerPays could be computed
	Fund    *market.PaymentOp // the buyer's funding, nil before they report one
	Payouts []market.PaymentOp
	Can     map[string]bool // action → the visitor may take it now
	Form    *form           // what the visitor sent when it was refused
	Error   string          // a refusal of the whole action
}

// FormFor returns what was sent with action when it was refused, so only
// that form shows the values and field errors; the others start empty.
func (r milestoneMoney) FormFor(action string) *form {
	if r.Form != nil && r.Form.Value("action") == action {
		return r.Form
	}
	return &form{}
}

// Note builds the note textarea of one action's form: ids stay unique
// with several milestones on the page.
func (p *paymentsPage) Note(v view, f *form, kind string, seq int, labelKey string, required bool) fieldView {
	return fieldView{ID: "note-" + kind + "-" + strconv.Itoa(seq), Name: "note", Label: v.T(labelKey),
		Value: f.Value("note"), Error: f.Err("note"), Required: required}
}

// Money renders minor units in the page's one format for its language.
func (p *paymentsPage) Money(amount int64, currency string) string {
	return money(amount, currency, p.Lang)
}

// Major renders minor units for an amount input, without the currency.
func (p *paymentsPage) Major(amount int64, currency string) string {
	return majorAmount(amount, currency)
}

// BPS renders basis points as a percentage.
func (p *paymentsPage) BPS(bps int64) string { return bpsPercent(bps) }

// OrgName names a party of the deal in the page language.
func (p *paymentsPage) OrgName(orgID string) string {
	for _, o := range []*market.Organization{p.View.Buyer, p.View.Seller, p.View.Intermediary} {
		if o != nil && o.ID == orgID {
			return o.Name(p.Lang)
		}
	}
	return orgID
}

// When formats a time in China's time zone, where the parties are.
func (p *paymentsPage) When(t time.Time) string { return cst(t) }

// dealPayments shows a deal's payments page.
func (s *Server) dealPayments(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.paymentsPage(r.Context(), v, r.PathValue("id"))
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "payments", p)
	return nil
}

// paymentsPage loads the deal, its milestones, provider operations and
// ledger, and decides which forms the visitor sees.
func (s *Server) paymentsPage(ctx context.Context, v *visit, dealID string) (*paymentsPage, error) {
	// DealMoney first: it is the one that decides who may see the money,
	// and the one answer the API gives too.
	dm, err := s.svc.DealMoney(ctx, v.Actor, dealID)
	if err != nil {
		return nil, err
	}
	dv, err := s.svc.Deal(ctx, v.Actor, dealID)
	if err != nil {
		return nil, err
	}
	pay := s.svc.Payments
	st := dm.Statement
	p := &paymentsPage{View: dv, Statement: &st, Lang: v.Lang, PlatformBPS: dm.PlatformBPS, Escrow: pay.Escrow,
		Enabled: pay.Provider != nil, Role: dm.Role, Bank: dm.Provider == market.ProviderBank}
	for _, mm := range dm.Milestones {
		p.Rows = append(p.Rows, milestoneMoney{M: mm.Milestone, BuyerPays: mm.BuyerPays, Shares: mm.Shares, Booked: mm.Booked,
			HasFees: mm.HasShares, Fund: mm.Fund, Payouts: mm.Payouts, Can: mm.Actions, Form: &form{}})
	}
	return p, nil
}

// The page's milestone actions beside market's: fund and confirm go
// through their own service calls.
const (
	payFund    = market.MilestoneFund
	payConfirm = market.MoneyConfirm
)

// paymentAct takes one milestone action from the payments page and returns
// to it; refused input comes back in place at its milestone, nothing lost.
func (s *Server) paymentAct(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	dealID := r.PathValue("id")
	f := newForm(r, "milestone", "version", "action", "reference", "note", "amount", "outcome")
	id, action := f.Value("milestone"), f.Value("action")
	version, _ := strconv.ParseInt(f.Value("version"), 10, 64)
	m, err := s.svc.Milestone(ctx, v.Actor, id)
	if err != nil {
		return err
	}
	if m.DealID != dealID {
		return market.Errorf(market.ENOTFOUND, msgs.MilestoneXNotFound, id)
	}
	switch {
	case version != m.Version:
		// Someone acted first; say so plainly rather than quote versions.
		err = market.Errorf(market.ECONFLICT, msgs.Text, translate(v.Lang, "pay.stale"))
	case action == payFund:
		_, err = s.svc.FundMilestone(ctx, v.Actor, id, market.FundInput{Version: version, Reference: f.Value("reference")})
	case action == payConfirm:
		_, err = s.svc.ConfirmFunding(ctx, v.Actor, id, version)
	case action == market.MilestoneRefund || action == market.MilestoneSettle:
		var amount int64
		if amount, err = refundAmount(f, m, action, v.Lang); err == nil {
			_, err = s.svc.ActOnMilestone(ctx, v.Actor, id, market.MilestoneAction{Action: action, Version: version,
				Amount: amount, Note: f.Value("note")})
		}
	case action == market.MilestoneDeliver || action == market.MilestoneRequestChanges || action == market.MilestoneAccept ||
		action == market.MilestoneRelease || action == market.MilestoneDispute:
		_, err = s.svc.ActOnMilestone(ctx, v.Actor, id, market.MilestoneAction{Action: action, Version: version, Note: f.Value("note")})
	default:
		return market.Invalid("action", msgs.UnknownActionX, action)
	}
	if err == nil {
		http.Redirect(w, r, "/deals/"+dealID+"/payments?done=pay_"+action+"#m-"+id, http.StatusSeeOther)
		return nil
	}
	code := market.ErrorCode(err)
	status := map[string]int{market.EINVALID: http.StatusUnprocessableEntity, market.ECONFLICT: http.StatusConflict,
		market.EFORBIDDEN: http.StatusForbidden, market.ENOTIMPLEMENTED: http.StatusConflict}[code]
	if status == 0 {
		return err
	}
	p, perr := s.paymentsPage(ctx, v, dealID)
	if perr != nil {
		return perr
	}
	for i := range p.Rows {
		if p.Rows[i].M.ID != id {
			continue
		}
		row := &p.Rows[i]
		seq := strconv.Itoa(row.M.Seq)
		f.IDs = map[string]string{"reference": "fund-ref-" + seq, "amount": action + "-amount-" + seq, "note": "note-" + action + "-" + seq}
		row.Form = f
		if f.take(v.Lang, err) {
			row.Error = f.Error
		} else {
			row.Error = translate(v.Lang, "pay.refused") + " " + refusal(v.Lang, err)
		}
	}
	s.render(w, v, status, "payments", p)
	return nil
}

// refundAmount reads what goes back to the buyer: a refund's amount, or a
// settlement's outcome (release all, refund all, or a typed part).
func refundAmount(f *form, m *market.Milestone, action, lang string) (int64, error) {
	if action == market.MilestoneSettle {
		switch f.Value("outcome") {
		case "release":
			return 0, nil
		case "refund":
			return m.Remaining(), nil
		case "partial":
		default:
			return 0, market.Invalid("outcome", msgs.ReleasePartialOrRefund)
		}
	}
	n, ok := parseAmount(f.Value("amount"), m.Currency)
	if !ok {
		return 0, market.Invalid("amount", msgs.Text, translate(lang, "pay.amount.bad"))
	}
	if n <= 0 || n > m.Remaining() {
		return 0, market.Invalid("amount", msgs.TwoParts, translate(lang, "pay.amount.range"), money(m.Remaining(), m.Currency, lang))
	}
	return n, nil
}
