package payments

import (
	"time"

	"techbridge/market"
)

// Deal is what the postings need to know about a signed deal: the parties,
// the agreed fees, the provider buyer money goes through, and every
// milestone, whose prices and order fix each one's share of the fee.
type Deal struct {
	ID                string
	BuyerOrgID        string
	SellerOrgID       string
	IntermediaryOrgID string // "" without an intermediary
	Currency          string
	PlatformBPS       int64 // the platform fee agreed when the contract was signed
	Fee               market.FeeTerms
	Provider          string // market.ProviderStripe or market.ProviderBank
	Milestones        []market.Milestone
}

// FromDeal builds the postings' view of a signed deal; platformBPS is the
// platform fee in force for it, provider the one the buyer pays through.
func FromDeal(d market.Deal, ms []market.Milestone, platformBPS int64, provider string) (Deal, error) {
	if d.Contract == nil {
		return Deal{}, market.Errorf(market.ECONFLICT, "deal %s has no contract", d.ID)
	}
	pd := Deal{ID: d.ID, BuyerOrgID: d.BuyerOrgID, SellerOrgID: d.SellerOrgID, Currency: d.Contract.Terms.Currency,
		PlatformBPS: platformBPS, Provider: provider, Milestones: ms}
	if c := d.Contract; c.Intermediary != nil && c.IntermediaryFee != nil {
		pd.IntermediaryOrgID, pd.Fee = c.Intermediary.OrgID, *c.IntermediaryFee
	}
	return pd, pd.Validate()
}

// Validate checks the parties, currency, provider and milestones.
func (d Deal) Validate() error {
	var f market.Fields
	if d.ID == "" || d.BuyerOrgID == "" || d.SellerOrgID == "" || d.BuyerOrgID == d.SellerOrgID {
		f.Add("deal", "needs an id and two different parties")
	}
	if _, err := MinorUnits(d.Currency); err != nil {
		f.Add("currency", "%q is not a currency the platform handles", d.Currency)
	}
	if d.Provider != market.ProviderStripe && d.Provider != market.ProviderBank {
		f.Add("provider", "must be %q or %q", market.ProviderStripe, market.ProviderBank)
	}
	if !d.Fee.IsZero() && d.IntermediaryOrgID == "" {
		f.Add("intermediary", "a fee needs an intermediary")
	}
	if d.IntermediaryOrgID != "" && (d.IntermediaryOrgID == d.BuyerOrgID || d.IntermediaryOrgID == d.SellerOrgID) {
		f.Add("intermediary", "must not be a party to the deal")
	}
	if len(d.Milestones) == 0 {
		f.Add("milestones", "a deal needs at least one milestone")
	}
	for _, m := range d.Milestones {
		if m.DealID != d.ID || m.Currency != d.Currency {
			f.Add("milestones", "milestone %s belongs to another deal or currency", m.ID)
			break
		}
	}
	return f.Err()
}

// Split returns how milestone m's money divides, given its refunds so far.
func (d Deal) Split(m market.Milestone) (Shares, error) {
	if err := d.Validate(); err != nil {
		return Shares{}, err
	}
	var value, before int64
	found := false
	for _, x := range d.Milestones {
		value += x.Amount
		if x.ID == m.ID {
			found = true
			if x.Amount != m.Amount || x.Seq != m.Seq {
				return Shares{}, market.Errorf(market.ECONFLICT, "milestone %s differs from the deal's copy", m.ID)
			}
		} else if x.Seq < m.Seq {
			before += x.Amount
		}
	}
	if !found {
		return Shares{}, market.Errorf(market.ENOTFOUND, "milestone %s is not part of deal %s", m.ID, d.ID)
	}
	return Split(SplitInput{Currency: d.Currency, Amount: m.Amount, ContractValue: value, Before: before,
		PlatformBPS: d.PlatformBPS, Terms: d.Fee, Refunded: m.Refunded})
}

// newTx assembles a transaction, drops zero entries (a fee of nothing books
// nothing) and validates it, so every posting returned is balanced.
func newTx(kind, key, currency string, refs market.TxRefs, at time.Time, entries ...market.Entry) (market.Transaction, error) {
	tx := market.Transaction{ID: market.NewID(), Kind: kind, IdempotencyKey: key, Currency: currency,
		At: at.UTC(), Refs: refs}
	for _, e := range entries {
		if e.Amount != 0 {
			e.Currency = currency
			tx.Entries = append(tx.Entries, e)
		}
	}
	if err := tx.Validate(); err != nil {
		return market.Transaction{}, err
	}
	return tx, nil
}
