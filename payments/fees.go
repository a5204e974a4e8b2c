package payments

import (
	"techbridge/market"
	"techbridge/market/ledger"
)

// SplitInput is everything that decides how one milestone's money divides
// (ledger.SplitInput).
type SplitInput = ledger.SplitInput

// Shares is how a milestone's money divides (ledger.Shares).
type Shares = ledger.Shares

// Split is ledger.Split with its named refusals as domain errors.
func Split(in SplitInput) (Shares, error) {
	s, err := ledger.Split(in)
	return s, market.MoneyError(err)
}

// DefaultPlatformBPS is the platform fee when none is configured: 2%.
const DefaultPlatformBPS = 200
