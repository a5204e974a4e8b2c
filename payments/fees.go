package payments

import (
	"math"

	"techbridge/market"
)

// SplitInput is everything that decides how one milestone's money divides.
type SplitInput struct {
	Currency      string
	Amount        int64 // the milestone's price, its slice of the contract value
	ContractValue int64 // the sum of all the deal's milestone prices
	Before        int64 // the sum of the prices of the milestones before this one
	PlatformBPS   int64 // the platform fee on the price, charged to the seller
	Terms         market.FeeTerms
	Refunded      int64 // returned to the buyer before release; 0 for a plain release
}

// Shares is how a milestone's money divides. Seller + Platform + Intermediary
// == Gross == Funded − Refunded, and none is negative.
type Shares struct {
	Currency     string
	Funded       int64 // what the buyer pays into escrow: the price plus the buyer's part of the intermediary fee
	Gross        int64 // what leaves escrow to be divided
	Seller       int64
	Platform     int64
	Intermediary int64
}

// Split divides a milestone's money between seller, platform and intermediary.
//
// Rounding rule: every fee is rounded down (floor) to a whole minor unit and
// the seller receives the remainder, so nobody pays more than an agreed rate
// and the parts add up to the gross exactly; sub-unit fractions favour the
// seller, never the platform. In order:
//
//   - platform fee = floor(Amount × PlatformBPS / 10000), borne by the seller;
//   - intermediary fee = the milestone's slice of Terms.Total(ContractValue)
//     (market.FeeTerms.Slice: accrued-to-end minus accrued-to-start, each
//     floored), so the slices of all milestones add up to the contract's fee
//     exactly; Terms.Payer divides it, the buyer's part paid on top of the
//     price (Funded = Amount + buyer part), the seller's part taken from the
//     proceeds;
//   - after a partial refund (a settlement, or a refund before release) both
//     fees shrink in proportion, floor(fee × Gross / Funded), since the buyer
//     took back a share of everything they paid, fees included.
//
// The seller's part may not go below zero: terms whose seller-borne fees
// exceed the price are EINVALID, as are unknown currencies and amounts out
// of range.
func Split(in SplitInput) (Shares, error) {
	var f market.Fields
	if _, err := MinorUnits(in.Currency); err != nil {
		f.Add("currency", "%q is not a currency the platform handles", in.Currency)
	}
	if in.Amount <= 0 {
		f.Add("amount", "must be positive")
	}
	if in.ContractValue < in.Amount || in.Before < 0 || in.Before > in.ContractValue-in.Amount {
		f.Add("contract_value", "the milestone must lie within the contract value")
	}
	if in.PlatformBPS < 0 || in.PlatformBPS > market.MaxBPS {
		f.Add("platform_bps", "must be 0..%d", market.MaxBPS)
	}
	if in.Refunded < 0 {
		f.Add("refunded", "must not be negative")
	}
	if err := in.Terms.Validate(); err != nil {
		f = append(f, err.(*market.Error).Fields...)
	}
	if err := f.Err(); err != nil {
		return Shares{}, err
	}

	fee := in.Terms.Slice(in.ContractValue, in.Before, in.Amount)
	buyerFee, sellerFee := in.Terms.Split(fee)
	platform := market.MulDiv(in.Amount, in.PlatformBPS, market.MaxBPS)
	if buyerFee > math.MaxInt64-in.Amount {
		return Shares{}, market.Invalid("amount", "the price plus the buyer's fee is too large")
	}
	s := Shares{Currency: in.Currency, Funded: in.Amount + buyerFee}
	if in.Amount-platform < sellerFee {
		return Shares{}, market.Invalid("fee", "fees of %s exceed the milestone price %s",
			FormatAmount(platform+sellerFee, in.Currency), FormatAmount(in.Amount, in.Currency))
	}
	if in.Refunded > s.Funded {
		return Shares{}, market.Invalid("refunded", "exceeds the %s funded", FormatAmount(s.Funded, in.Currency))
	}
	s.Gross = s.Funded - in.Refunded
	// platform + fee ≤ Funded (checked above), so the seller's remainder is
	// never negative after scaling either.
	s.Platform = market.MulDiv(platform, s.Gross, s.Funded)
	s.Intermediary = market.MulDiv(fee, s.Gross, s.Funded)
	s.Seller = s.Gross - s.Platform - s.Intermediary
	return s, nil
}

// DefaultPlatformBPS is the platform fee when none is configured: 2%.
const DefaultPlatformBPS = 200
