package payments

import (
	"time"

	"techbridge/market"
)

// Rules is market.PaymentRules: the service's postings are the functions
// of this package applied to a deal's payment set-up.
type Rules struct{}

var _ market.PaymentRules = Rules{}

// dealOf is the postings' view of a deal with the provider and platform
// fee fixed at its first funding.
func dealOf(d market.Deal, ms []market.Milestone, setup market.PaymentDeal) (Deal, error) {
	return FromDeal(d, ms, setup.PlatformBPS, setup.Provider)
}

// MilestonePosting returns the transaction of a milestone transition.
func (Rules) MilestonePosting(d market.Deal, ms []market.Milestone, after market.Milestone, cmd market.MilestoneCommand,
	setup market.PaymentDeal, at time.Time) (market.Transaction, bool, error) {
	pd, err := dealOf(d, ms, setup)
	if err != nil {
		return market.Transaction{}, false, err
	}
	return PostMilestone(pd, after, cmd, at)
}

// FundAmount is the milestone price plus the buyer's part of the fee.
func (Rules) FundAmount(d market.Deal, ms []market.Milestone, m market.Milestone, setup market.PaymentDeal) (int64, error) {
	pd, err := dealOf(d, ms, setup)
	if err != nil {
		return 0, err
	}
	m.Refunded = 0
	s, err := pd.Split(m)
	return s.Funded, err
}

// TransferPosting books a payee's share leaving the platform, keyed by the
// operation id (payout:<id>).
func (Rules) TransferPosting(op market.PaymentOp, at time.Time) (market.Transaction, error) {
	t, err := PostPayout(Payout{ID: op.ID, OrgID: op.OrgID, Currency: op.Currency, Amount: op.Amount,
		Provider: op.Provider, External: op.ExternalRef}, at)
	// The deal's statement shows its payouts beside its releases.
	t.Refs.DealID, t.Refs.MilestoneID = op.DealID, op.MilestoneID
	return t, err
}
