package ledger_test

import (
	"time"

	"techbridge/market"
	"techbridge/market/ledger"
)

// Deal is the posting tests' deal: the ledger's view of it and the
// domain's milestones, which the tests drive through market.ApplyMilestone.
type Deal struct {
	ID, BuyerOrgID, SellerOrgID, IntermediaryOrgID, Currency string
	PlatformBPS                                              int64
	Fee                                                      ledger.FeeTerms
	Provider                                                 string
	Milestones                                               []market.Milestone
}

// ledgerDeal is the deal as ledger's postings take it.
func (d Deal) ledgerDeal() ledger.Deal {
	ld := ledger.Deal{ID: d.ID, BuyerOrgID: d.BuyerOrgID, SellerOrgID: d.SellerOrgID, IntermediaryOrgID: d.IntermediaryOrgID,
		Currency: d.Currency, PlatformBPS: d.PlatformBPS, Fee: d.Fee, Provider: d.Provider}
	for _, m := range d.Milestones {
		ld.Milestones = append(ld.Milestones, market.LedgerMilestone(m))
	}
	return ld
}

// Split is ledger.Deal.Split for a domain milestone.
func (d Deal) Split(m market.Milestone) (ledger.Shares, error) {
	return d.ledgerDeal().Split(market.LedgerMilestone(m))
}

// PostMilestone is market.PostMilestone on the test deal: the domain's
// state checks, then the ledger's postings.
func PostMilestone(d Deal, after market.Milestone, cmd market.MilestoneCommand, at time.Time) (market.Transaction, bool, error) {
	return market.PostMilestone(d.ledgerDeal(), after, cmd, at)
}

func bpsTerms(bps int64, payer string) ledger.FeeTerms {
	return ledger.FeeTerms{Basis: ledger.FeeBasisBPS, BPS: bps, Payer: payer}
}
