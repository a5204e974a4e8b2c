package market

import (
	"techbridge/market/msgs"
	"time"

	"techbridge/market/ledger"
)

// The domain's side of the postings: which milestone transitions move
// money (the state machine says), turned into ledger.Post* calls on the
// deal as the ledger sees it. The fee split and the postings themselves
// are market/ledger's.

// PostingDeal is a signed deal as the postings see it, with the platform
// fee and provider fixed for it.
func PostingDeal(d Deal, ms []Milestone, platformBPS int64, provider string) (ledger.Deal, error) {
	if d.Contract == nil {
		return ledger.Deal{}, Errorf(ECONFLICT, msgs.DealXHasNoContract, d.ID)
	}
	pd := ledger.Deal{ID: d.ID, BuyerOrgID: d.BuyerOrgID, SellerOrgID: d.SellerOrgID, Currency: d.Contract.Terms.Currency,
		PlatformBPS: platformBPS, Provider: provider}
	for _, m := range ms {
		pd.Milestones = append(pd.Milestones, LedgerMilestone(m))
	}
	if c := d.Contract; c.Intermediary != nil && c.IntermediaryFee != nil {
		pd.IntermediaryOrgID, pd.Fee = c.Intermediary.OrgID, *c.IntermediaryFee
	}
	return pd, MoneyError(pd.Validate())
}

// LedgerMilestone is a milestone's money, as the postings see it.
func LedgerMilestone(m Milestone) ledger.Milestone {
	return ledger.Milestone{ID: m.ID, DealID: m.DealID, Seq: m.Seq, Amount: m.Amount, Currency: m.Currency,
		Funded: m.Funded, Refunded: m.Refunded, Version: m.Version}
}

// PostMilestone books the money a milestone command moved: it returns the
// transaction and true for fund, release, refund and settle, and false for
// commands that move no money. after is the milestone ApplyMilestone
// returned; the state it reached is checked here, the amounts by ledger.
func PostMilestone(d ledger.Deal, after Milestone, cmd MilestoneCommand, at time.Time) (Transaction, bool, error) {
	m := LedgerMilestone(after)
	var tx Transaction
	var err error
	switch cmd.Action {
	case MilestoneFund:
		if after.State == MilestonePending {
			return Transaction{}, false, Errorf(ECONFLICT, msgs.MilestoneXStillPending, after.ID)
		}
		tx, err = ledger.PostFund(d, m, at)
	case MilestoneRelease:
		if after.State != MilestoneReleased {
			return Transaction{}, false, Errorf(ECONFLICT, msgs.MilestoneXXNotReleased, after.ID, msgs.Term{Kind: "pay.state", Value: after.State})
		}
		tx, err = ledger.PostRelease(d, m, at)
	case MilestoneRefund:
		tx, err = ledger.PostRefund(d, m, cmd.Amount, at)
	case MilestoneSettle:
		if !after.Final() {
			return Transaction{}, false, Errorf(ECONFLICT, msgs.MilestoneXXNotSettled, after.ID, msgs.Term{Kind: "pay.state", Value: after.State})
		}
		tx, err = ledger.PostSettle(d, m, cmd.Amount, at)
	default:
		return Transaction{}, false, nil
	}
	return tx, err == nil, MoneyError(err)
}

// MilestonePosting returns the transaction of a milestone transition on a
// deal whose payments were set up as setup.
func MilestonePosting(d Deal, ms []Milestone, after Milestone, cmd MilestoneCommand, setup PaymentDeal, at time.Time) (Transaction, bool, error) {
	pd, err := PostingDeal(d, ms, setup.PlatformBPS, setup.Provider)
	if err != nil {
		return Transaction{}, false, err
	}
	return PostMilestone(pd, after, cmd, at)
}

// FundAmount is what the buyer pays into escrow for m: its price plus the
// buyer's part of the intermediary fee.
func FundAmount(d Deal, ms []Milestone, m Milestone, setup PaymentDeal) (int64, error) {
	pd, err := PostingDeal(d, ms, setup.PlatformBPS, setup.Provider)
	if err != nil {
		return 0, err
	}
	m.Refunded = 0
	s, err := pd.Split(LedgerMilestone(m))
	return s.Funded, MoneyError(err)
}

// TransferPosting books a payee's share leaving the platform, keyed by the
// operation id (payout:<id>).
func TransferPosting(op PaymentOp, at time.Time) (Transaction, error) {
	t, err := ledger.PostPayout(ledger.Payout{ID: op.ID, OrgID: op.OrgID, Currency: op.Currency, Amount: op.Amount,
		Provider: op.Provider, External: op.ExternalRef}, at)
	// The deal's statement shows its payouts beside its releases.
	t.Refs.DealID, t.Refs.MilestoneID = op.DealID, op.MilestoneID
	return t, MoneyError(err)
}
