package market

import (
	"context"
	"errors"
	"io"
	"strings"

	"techbridge/market/ledger"
	"techbridge/market/msgs"
)

// ImportBankStatement reads a statement of the escrow account (CSV, see
// parseBankStatement) and matches each incoming transfer, by the TB-
// reference the buyer quoted and by amount and currency, to the milestone
// waiting for it, which it funds as ConfirmFunding would. Every line is
// kept (matched, unmatched, mismatched with the reason, or unreadable), each
// in its own transaction under a content key, so a re-import of the same
// file funds nothing twice and reports the lines as duplicates. Finance and
// admins only.
func (s *Service) ImportBankStatement(ctx context.Context, a Actor, r io.Reader) (*BankImport, error) {
	if !a.IsFinance() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyFinanceImportsStatements)
	}
	p, err := s.payments()
	if err != nil {
		return nil, err
	}
	rows, err := parseBankStatement(r)
	if err != nil {
		return nil, err
	}
	out := &BankImport{ImportID: NewID()}
	seen := map[string]int{}
	for _, row := range rows {
		seen[row.key]++
		l := row.line
		l.ID, l.Key, l.ImportID = NewID(), bankLineKey(row.key, seen[row.key]), out.ImportID
		l.ImportedBy, l.ImportedAt = a.AccountID, s.now()
		dup := false
		store := func(match bool) func(tx Tx) error {
			return func(tx Tx) error {
				if prev, err := tx.BankLineByKey(l.Key); err == nil {
					l, dup = *prev, true
					return nil
				} else if ErrorCode(err) != ENOTFOUND {
					return err
				}
				if match && l.Status != BankLineInvalid {
					if err := s.matchBankLine(tx, p, a, &l); err != nil {
						return err
					}
				}
				return tx.CreateBankLine(&l)
			}
		}
		err := s.Store.Update(ctx, store(true))
		var fr *fundingRefused
		if errors.As(err, &fr) {
			l.Status, l.Reason, l.Detail = BankLineMismatched, BankReasonFundingRefused, fr.reason
			err = s.Store.Update(ctx, store(false))
		}
		if err != nil {
			return out, err
		}
		out.Lines = append(out.Lines, BankImportLine{Line: l, Duplicate: dup})
	}
	return out, nil
}

// matchBankLine finds the milestone line l pays and funds it, or records
// why not in l. Errors are the store's; refusals are l's status.
func (s *Service) matchBankLine(tx Tx, p Payments, a Actor, l *BankLine) error {
	refuse := func(status, reason string, format msgs.Code, args ...any) error {
		l.Status, l.Reason, l.Detail = status, reason, Errorf(EINVALID, format, args...).Message
		return nil
	}
	code, ok := escrowCode(l.Reference)
	if !ok {
		return refuse(BankLineUnmatched, BankReasonNoReference, msgs.BankNoReferenceX, l.Reference)
	}
	m, err := tx.MilestoneByEscrowReference(code)
	if ErrorCode(err) == ENOTFOUND {
		return refuse(BankLineUnmatched, BankReasonNoMilestone, msgs.BankNoMilestoneX, code)
	} else if err != nil {
		return err
	}
	l.MilestoneID = m.ID
	if m.State != MilestonePending {
		return refuse(BankLineMismatched, BankReasonNotAwaiting, msgs.BankNotAwaitingXX, code, m.State)
	}
	if l.Currency != m.Currency {
		return refuse(BankLineMismatched, BankReasonCurrency, msgs.BankCurrencyDiffersXXX, code, m.Currency, l.Currency)
	}
	d, err := tx.DealByID(m.DealID)
	if err != nil {
		return err
	}
	setup, err := s.fundingSetup(tx, p, d, m)
	if err != nil {
		return err
	}
	key := "milestone:" + m.ID + ":fund"
	op, err := tx.PaymentOpByKey(key)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return err
	}
	if setup.Provider != ProviderBank || op != nil && op.Provider != ProviderBank {
		return refuse(BankLineMismatched, BankReasonCardPayment, msgs.BankCardPaymentX, code)
	}
	ms, err := tx.DealMilestones(d.ID)
	if err != nil {
		return err
	}
	want, err := FundAmount(*d, ms, *m, setup)
	if err != nil {
		return refuse(BankLineMismatched, BankReasonFundingRefused, msgs.BankCannotFundXX, code, ErrorMessage(err))
	}
	if l.Amount != want {
		return refuse(BankLineMismatched, BankReasonAmount, msgs.BankAmountDiffersXXX,
			code, ledger.Plain(want, m.Currency), ledger.Plain(l.Amount, l.Currency))
	}
	if op == nil { // the buyer never reported it: the statement is the report
		now := s.now()
		started := PaymentOp{ID: NewID(), Kind: PayFund, Provider: ProviderBank, State: PayPending, DealID: d.ID,
			MilestoneID: m.ID, OrgID: d.BuyerOrgID, Amount: want, Currency: m.Currency, IdempotencyKey: key,
			ExternalRef: bankOpReference(l), CreatedBy: a.AccountID, CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := storeFundingStart(tx, setup, started, false, a.AccountID); err != nil {
			return err
		}
		op = &started
	}
	if _, err := s.fundFromOp(tx, p, op, a.AccountID); err != nil {
		if c := ErrorCode(err); c == EINVALID || c == ECONFLICT {
			// The transaction rolls back what it wrote; the line is kept
			// by a second one (ImportBankStatement).
			return &fundingRefused{reason: msgs.English(msgs.BankCannotFundXX, code, ErrorMessage(err)), err: err}
		}
		return err
	}
	l.Status, l.Reason, l.Detail = BankLineMatched, "", msgs.English(msgs.BankFundedX, code)
	return nil
}

// fundingRefused is a funding the ledger or the milestone refused while a
// line was matched: its transaction is rolled back and the line stored as
// mismatched in another.
type fundingRefused struct {
	reason string
	err    error
}

func (e *fundingRefused) Error() string { return e.reason }
func (e *fundingRefused) Unwrap() error { return e.err }

// bankOpReference is what a funding made from a statement line records as
// its reference: the bank's own words, bounded like a buyer's report.
func bankOpReference(l *BankLine) string {
	ref := strings.TrimSpace(l.BookedOn + " " + l.Reference)
	if r := []rune(ref); len(r) > 200 {
		ref = string(r[:200])
	}
	return ref
}

// BankLines lists imported statement lines, newest first, for finance and
// admins: by default the ones still to look at (unmatched, mismatched,
// invalid) are asked for by status.
func (s *Service) BankLines(ctx context.Context, a Actor, status string) ([]BankLine, error) {
	if !a.IsFinance() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyFinanceReadsStatements)
	}
	switch status {
	case "", BankLineMatched, BankLineUnmatched, BankLineMismatched, BankLineInvalid:
	default:
		return nil, Invalid("status", msgs.BankLineStatusChoice)
	}
	var out []BankLine
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		out, err = tx.ListBankLines(BankLineFilter{Status: status, Limit: 500})
		return err
	})
	return out, err
}
