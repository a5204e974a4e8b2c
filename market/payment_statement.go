package market

import (
	"context"
	"sort"
	"techbridge/market/msgs"
	"time"
)

// Statement sums an organisation's money in one currency, from the ledger.
type Statement struct {
	Currency string
	Paid     int64 // paid into escrow as a buyer, less refunds
	Received int64 // credited as a seller or intermediary on release
	PaidOut  int64 // of Received, already transferred to the organisation
	Owed     int64 // Received − PaidOut: what the platform still owes it
	Held     int64 // in escrow for its deals, waiting for release or refund
	// Fees is what this organisation itself paid in fees: as a seller the
	// platform fee and its part of the intermediary fee, as a buyer its
	// part of the intermediary fee; never the deal's total.
	Fees int64
	// Earnings is the part of Received earned as an intermediary.
	Earnings int64
}

// DealStatement sums one deal's money in its currency.
type DealStatement struct {
	DealID       string
	Currency     string
	Funded       int64
	Refunded     int64
	Held         int64 // still in escrow
	Seller       int64
	Intermediary int64
	Platform     int64
	Transactions []Transaction
}

// OrgStatements computes an organisation's statements, one per currency,
// from its deals and the ledger transactions of those deals and of its
// payable account. payers gives each deal's intermediary-fee payer
// (FeePayerBuyer, FeePayerSeller or FeePayerSplit), which divides a
// release's intermediary fee between the buyer's and the seller's fees:
// with a split, the buyer's half is rounded down, as ledger.Split does.
func OrgStatements(orgID string, deals []PaymentDeal, txs []Transaction, payers map[string]string) []Statement {
	byDeal := map[string]PaymentDeal{}
	for _, d := range deals {
		byDeal[d.DealID] = d
	}
	payable := PayableAccount(orgID)
	sts := map[string]*Statement{}
	get := func(c string) *Statement {
		if sts[c] == nil {
			sts[c] = &Statement{Currency: c}
		}
		return sts[c]
	}
	seen := map[string]bool{}
	for _, t := range txs {
		if seen[t.ID] {
			continue
		}
		seen[t.ID] = true
		st := get(t.Currency)
		d, ours := byDeal[t.Refs.DealID]
		for _, e := range t.Entries {
			switch {
			case e.Account == payable && e.Amount > 0:
				st.Received += e.Amount
				if ours && d.IntermediaryOrgID == orgID {
					st.Earnings += e.Amount
				}
			case e.Account == payable && e.Amount < 0:
				st.PaidOut -= e.Amount
			case !ours:
			case e.Account == EscrowAccount(d.DealID):
				st.Held += e.Amount
				if d.BuyerOrgID == orgID && (t.Kind == TxFund) {
					st.Paid += e.Amount
				}
			case e.Account.Kind() == AccountClearing && d.BuyerOrgID == orgID && (t.Kind == TxRefund || t.Kind == TxSettle):
				st.Paid -= e.Amount // a refund back to the buyer
			}
			if !ours || e.Amount <= 0 || t.Kind != TxRelease && t.Kind != TxSettle {
				continue
			}
			switch {
			case e.Account == PlatformRevenue && d.SellerOrgID == orgID:
				st.Fees += e.Amount // the platform fee is the seller's
			case d.IntermediaryOrgID != "" && e.Account == PayableAccount(d.IntermediaryOrgID):
				var buyerPart int64
				switch payers[d.DealID] {
				case FeePayerBuyer:
					buyerPart = e.Amount
				case FeePayerSplit:
					buyerPart = e.Amount / 2
				}
				if d.BuyerOrgID == orgID {
					st.Fees += buyerPart
				} else if d.SellerOrgID == orgID {
					st.Fees += e.Amount - buyerPart
				}
			}
		}
	}
	out := make([]Statement, 0, len(sts))
	for _, st := range sts {
		st.Owed = st.Received - st.PaidOut
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out
}

// DealStatementOf sums a deal's ledger transactions.
func DealStatementOf(d PaymentDeal, txs []Transaction) DealStatement {
	ds := DealStatement{DealID: d.DealID, Currency: d.Currency, Transactions: txs}
	for _, t := range txs {
		for _, e := range t.Entries {
			switch {
			case e.Account == EscrowAccount(d.DealID):
				ds.Held += e.Amount
				if t.Kind == TxFund {
					ds.Funded += e.Amount
				}
			case e.Account.Kind() == AccountClearing && (t.Kind == TxRefund || t.Kind == TxSettle):
				ds.Refunded += e.Amount
			case e.Account == PayableAccount(d.SellerOrgID) && e.Amount > 0 && t.Kind != TxPayout:
				ds.Seller += e.Amount
			case d.IntermediaryOrgID != "" && e.Account == PayableAccount(d.IntermediaryOrgID) && e.Amount > 0 && t.Kind != TxPayout:
				ds.Intermediary += e.Amount
			case e.Account == PlatformRevenue:
				ds.Platform += e.Amount
			}
		}
	}
	return ds
}

// Period selects ledger transactions by booking time: From inclusive, To
// exclusive; a zero bound is open.
type Period struct {
	From, To time.Time
}

// Filter returns the transactions booked within the period.
func (p Period) Filter(txs []Transaction) []Transaction {
	if p.From.IsZero() && p.To.IsZero() {
		return txs
	}
	var out []Transaction
	for _, t := range txs {
		if (p.From.IsZero() || !t.At.Before(p.From)) && (p.To.IsZero() || t.At.Before(p.To)) {
			out = append(out, t)
		}
	}
	return out
}

// OrganizationStatements returns an organisation's statements for its
// members and admins, over the whole ledger.
func (s *Service) OrganizationStatements(ctx context.Context, a Actor, orgID string) ([]Statement, error) {
	return s.OrganizationStatementsIn(ctx, a, orgID, Period{})
}

// OrganizationStatementsIn returns an organisation's statements over the
// money that moved within period: paid, received, paid out, fees and the
// change of what is held and owed.
func (s *Service) OrganizationStatementsIn(ctx context.Context, a Actor, orgID string, period Period) ([]Statement, error) {
	if !a.MemberOf(orgID) && !a.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyMembersSeeTheirOrganisationS)
	}
	var out []Statement
	err := s.Store.View(ctx, func(tx Tx) error {
		if _, err := tx.OrganizationByID(orgID); err != nil {
			return err
		}
		deals, err := tx.PaymentDealsOf(orgID)
		if err != nil {
			return err
		}
		txs, err := tx.LedgerTransactions(LedgerFilter{Account: PayableAccount(orgID)})
		if err != nil {
			return err
		}
		payers := map[string]string{}
		for _, d := range deals {
			dt, err := tx.LedgerTransactions(LedgerFilter{DealID: d.DealID})
			if err != nil {
				return err
			}
			txs = append(txs, dt...)
			deal, err := tx.DealByID(d.DealID)
			if err != nil {
				return err
			}
			if c := deal.Contract; c != nil && c.IntermediaryFee != nil {
				payers[d.DealID] = c.IntermediaryFee.Payer
			}
		}
		out = OrgStatements(orgID, deals, period.Filter(txs), payers)
		return nil
	})
	return out, err
}

// DealPayments returns a deal's statement and milestones for its parties,
// its intermediary and admins.
func (s *Service) DealPayments(ctx context.Context, a Actor, dealID string) (*DealStatement, []Milestone, []PaymentOp, error) {
	var ds DealStatement
	var ms []Milestone
	var ops []PaymentOp
	err := s.Store.View(ctx, func(tx Tx) error {
		d, err := tx.DealByID(dealID)
		if err != nil {
			return err
		}
		if MilestoneRoleOf(a, d.BuyerOrgID, d.SellerOrgID, contractIntermediary(d)) == MilestoneByNobody {
			return Errorf(ENOTFOUND, msgs.DealXNotFound, dealID)
		}
		if ms, err = tx.DealMilestones(dealID); err != nil {
			return err
		}
		setup, err := tx.PaymentDeal(dealID)
		if ErrorCode(err) == ENOTFOUND {
			setup = &PaymentDeal{DealID: d.ID, BuyerOrgID: d.BuyerOrgID, SellerOrgID: d.SellerOrgID, IntermediaryOrgID: contractIntermediary(d)}
			if len(ms) > 0 {
				setup.Currency = ms[0].Currency
			}
		} else if err != nil {
			return err
		}
		txs, err := tx.LedgerTransactions(LedgerFilter{DealID: dealID})
		if err != nil {
			return err
		}
		for _, m := range ms {
			mops, err := tx.ListPaymentOps(PaymentOpFilter{MilestoneID: m.ID})
			if err != nil {
				return err
			}
			ops = append(ops, mops...)
		}
		ds = DealStatementOf(*setup, txs)
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	return &ds, ms, ops, nil
}
