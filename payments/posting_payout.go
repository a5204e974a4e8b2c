package payments

import (
	"time"

	"techbridge/market"
)

// Payout is money leaving the platform for an organisation's own account.
type Payout struct {
	ID       string // the platform's payout id; the idempotency key derives from it
	OrgID    string
	Currency string
	Amount   int64
	Provider string // market.ProviderStripe or market.ProviderBank
	External string // the provider's transfer reference, when known
}

// PostPayout books a payout: the organisation's payable → provider clearing.
// Whether the payable holds enough is a question for the current balances:
// the store checks market.Balances.CanPost before it books.
func PostPayout(p Payout, at time.Time) (market.Transaction, error) {
	var f market.Fields
	if p.ID == "" {
		f.Add("id", "is required")
	}
	if market.PayableAccount(p.OrgID).Kind() == "" {
		f.Add("org_id", "is not a valid organisation id")
	}
	if _, err := MinorUnits(p.Currency); err != nil {
		f.Add("currency", "%q is not a currency the platform handles", p.Currency)
	}
	if p.Amount <= 0 {
		f.Add("amount", "must be positive")
	}
	if p.Provider != market.ProviderStripe && p.Provider != market.ProviderBank {
		f.Add("provider", "must be %q or %q", market.ProviderStripe, market.ProviderBank)
	}
	if err := f.Err(); err != nil {
		return market.Transaction{}, err
	}
	return newTx(market.TxPayout, "payout:"+p.ID, p.Currency, market.TxRefs{OrgID: p.OrgID, External: p.External}, at,
		market.Entry{Account: market.PayableAccount(p.OrgID), Amount: -p.Amount},
		market.Entry{Account: market.ClearingAccount(p.Provider), Amount: p.Amount})
}
