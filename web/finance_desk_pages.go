package web

import (
	"net/http"
	"strconv"
	"time"

	"techbridge/market"
)

// financeDeskPage is the platform's money desk (finance accounts and
// admins): bank transfers buyers reported, to confirm once seen in the
// escrow account; a bank-statement import that confirms them by
// reference and amount; and the statement lines still to look at.
type financeDeskPage struct {
	Transfers []market.FinanceOp
	Import    *market.BankImport // the import just made, shown line by line
	File      string             // its file name
	Open      []market.BankLine  // lines unmatched, mismatched or unreadable
	Error     string             // a refusal of the whole step
	Lang      string
}

// Money renders minor units in the page's one format for its language.
func (p *financeDeskPage) Money(amount int64, currency string) string {
	return money(amount, currency, p.Lang)
}

// When formats a time in China's time zone, as every page does.
func (p *financeDeskPage) When(t time.Time) string { return cst(t) }

// Reference is the TB- reference buyers quote for a milestone.
func (p *financeDeskPage) Reference(milestoneID string) string {
	return market.EscrowReference(milestoneID)
}

// Count is how many lines of the import have a status.
func (p *financeDeskPage) Count(status string) int {
	n, _ := p.Import.Count(status)
	return n
}

// Duplicates is how many lines of the import were imported before.
func (p *financeDeskPage) Duplicates() int {
	n := 0
	for _, l := range p.Import.Lines {
		if l.Duplicate {
			n++
		}
	}
	return n
}

// financeDeskData loads the desk; the service refuses all but finance and admins.
func (s *Server) financeDeskData(r *http.Request, v *visit) (*financeDeskPage, error) {
	p := &financeDeskPage{Lang: v.Lang}
	var err error
	if p.Transfers, err = s.svc.FinanceOps(r.Context(), v.Actor, market.FinanceTransfers, ""); err != nil {
		return nil, err
	}
	for _, status := range []string{market.BankLineMismatched, market.BankLineUnmatched, market.BankLineInvalid} {
		lines, err := s.svc.BankLines(r.Context(), v.Actor, status)
		if err != nil {
			return nil, err
		}
		p.Open = append(p.Open, lines...)
	}
	return p, nil
}

// financeDesk shows the money desk.
func (s *Server) financeDesk(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.financeDeskData(r, v)
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "finance_desk", p)
	return nil
}

// financeConfirm confirms one reported bank transfer.
func (s *Server) financeConfirm(w http.ResponseWriter, r *http.Request, v *visit) error {
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	_, err := s.svc.ConfirmFunding(r.Context(), v.Actor, r.PostFormValue("milestone"), version)
	if err == nil {
		http.Redirect(w, r, "/admin/finance?done=pay_confirm", http.StatusSeeOther)
		return nil
	}
	status := map[string]int{market.EINVALID: http.StatusUnprocessableEntity, market.ECONFLICT: http.StatusConflict}[market.ErrorCode(err)]
	if status == 0 {
		return err
	}
	p, perr := s.financeDeskData(r, v)
	if perr != nil {
		return perr
	}
	p.Error = translate(v.Lang, "pay.refused") + " " + market.ErrorMessage(err)
	s.render(w, v, status, "finance_desk", p)
	return nil
}

// financeImport imports an uploaded bank statement (CSV) and shows what
// became of each line.
func (s *Server) financeImport(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.financeDeskData(r, v)
	if err != nil {
		return err
	}
	file, hdr, ferr := r.FormFile("file")
	if ferr != nil {
		p.Error = translate(v.Lang, "desk.import.missing")
		s.render(w, v, http.StatusUnprocessableEntity, "finance_desk", p)
		return nil
	}
	defer file.Close()
	got, err := s.svc.ImportBankStatement(r.Context(), v.Actor, file)
	if c := market.ErrorCode(err); c == market.EINVALID {
		p.Error = translate(v.Lang, "pay.refused") + " " + market.ErrorMessage(err)
		s.render(w, v, http.StatusUnprocessableEntity, "finance_desk", p)
		return nil
	} else if err != nil {
		return err
	}
	if p, err = s.financeDeskData(r, v); err != nil { // after the import: what it confirmed is gone from the lists
		return err
	}
	p.Import, p.File = got, hdr.Filename
	s.render(w, v, http.StatusOK, "finance_desk", p)
	return nil
}
