package ledger

import "techbridge/market/msgs"
import "errors"

// Intermediary fee bases: a share of the contract value, or a fixed sum.
const (
	FeeBasisBPS   = "bps"
	FeeBasisFixed = "fixed"
)

// Who bears the intermediary fee. The buyer's part is paid on top of the
// price; the seller's part comes out of the seller's proceeds.
const (
	FeePayerBuyer  = "buyer"
	FeePayerSeller = "seller"
	FeePayerSplit  = "split" // half each; an odd minor unit falls to the seller
)

// MaxBPS is 100% in basis points.
const MaxBPS = 10000

// FeeTerms is the intermediary fee agreed in a deal. The zero value means no
// intermediary fee. Negotiation and payments share it so the fee a party
// agreed to is exactly the fee the ledger books.
type FeeTerms struct {
	Basis string // "", FeeBasisBPS or FeeBasisFixed
	BPS   int64  // with FeeBasisBPS: basis points of the contract value, 0..MaxBPS
	Fixed int64  // with FeeBasisFixed: minor units of Currency, 0..MaxAmount
	// Currency is the currency a fixed fee was agreed in (required with
	// FeeBasisFixed, empty otherwise): a fixed fee is agreed before any offer
	// names the contract's currency, so it carries its own, and terms in
	// another currency cannot carry it (Split and CheckPayable refuse them).
	Currency string
	Payer    string // FeePayerBuyer, FeePayerSeller or FeePayerSplit; "" only with no basis
}

// IsZero reports whether there is no intermediary fee at all.
func (t FeeTerms) IsZero() bool { return t == FeeTerms{} }

// Validate checks the terms' shape; field names are prefixed "fee_". The
// error joins one *Error per wrong field.
func (t FeeTerms) Validate() error {
	var errs []error
	add := func(kind error, field string, code msgs.Code, args ...any) {
		errs = append(errs, refuse(kind, field, code, args...))
	}
	switch t.Basis {
	case "":
		if !t.IsZero() {
			add(ErrInvalid, "fee_basis", "is required when a fee amount or payer is given")
		}
		return errors.Join(errs...)
	case FeeBasisBPS:
		if t.BPS < 0 || t.BPS > MaxBPS {
			add(ErrOutOfBounds, "fee_bps", "must be 0..%d", MaxBPS)
		}
		if t.Fixed != 0 {
			add(ErrInvalid, "fee_fixed", "must be empty with a bps fee")
		}
		if t.Currency != "" {
			add(ErrInvalid, "fee_currency", msgs.EmptyWithBPSFee)
		}
	case FeeBasisFixed:
		if t.Fixed < 0 || t.Fixed > MaxAmount {
			add(ErrOutOfBounds, "fee_fixed", "must be 0..%d minor units", MaxAmount)
		}
		if t.Currency == "" {
			add(ErrInvalid, "fee_currency", msgs.FeeCurrencyRequired)
		} else if _, err := Lookup(t.Currency); err != nil {
			add(ErrCurrency, "fee_currency", msgs.XNotCurrencyPlatformHandles, t.Currency)
		}
		if t.BPS != 0 {
			add(ErrInvalid, "fee_bps", "must be empty with a fixed fee")
		}
	default:
		add(ErrInvalid, "fee_basis", "must be %q or %q", FeeBasisBPS, FeeBasisFixed)
	}
	switch t.Payer {
	case FeePayerBuyer, FeePayerSeller, FeePayerSplit:
	default:
		add(ErrInvalid, "fee_payer", "must be %q, %q or %q", FeePayerBuyer, FeePayerSeller, FeePayerSplit)
	}
	return errors.Join(errs...)
}

// CheckCurrency refuses a fixed fee on terms in another currency than the
// one it was agreed in (ErrCurrency on "fee_currency"): converting it would
// be a new agreement the broker never made, so offers in a deal with a
// fixed broker fee are made in the fee's currency. A share (bps) fits
// every currency.
func (t FeeTerms) CheckCurrency(currency string) error {
	if t.Basis != FeeBasisFixed || t.Currency == currency {
		return nil
	}
	return refuse(ErrCurrency, "fee_currency", msgs.FixedFeeCurrencyXXX, t.Currency, t.Currency, currency)
}

// Total returns the intermediary fee over the whole contract value, rounded
// down (floor) so nobody pays more than the agreed rate. Valid terms on a
// bounded contract value never fail; anything else is 0 (Split and
// CheckPayable refuse such input before they use it).
func (t FeeTerms) Total(contractValue int64) int64 {
	switch t.Basis {
	case FeeBasisBPS:
		v, err := MulDiv(contractValue, t.BPS, MaxBPS)
		if err != nil {
			return 0
		}
		return v
	case FeeBasisFixed:
		return t.Fixed
	}
	return 0
}

// Slice returns the part of the intermediary fee that falls on one milestone,
// which covers [before, before+amount) of the contract value: the fee accrued
// up to its end minus the fee accrued up to its start, each floored. The slices
// of all milestones therefore add up to Total exactly, whatever their order.
// Negative inputs, or a slice beyond the contract value, give 0.
func (t FeeTerms) Slice(contractValue, before, amount int64) int64 {
	if contractValue <= 0 || before < 0 || amount < 0 || before > contractValue-amount {
		return 0
	}
	total := t.Total(contractValue)
	end, err1 := MulDiv(total, before+amount, contractValue)
	start, err2 := MulDiv(total, before, contractValue)
	if err1 != nil || err2 != nil {
		return 0
	}
	return end - start
}

// Split divides an intermediary fee between the buyer and the seller as the
// terms' payer says.
func (t FeeTerms) Split(fee int64) (buyer, seller int64) {
	switch t.Payer {
	case FeePayerBuyer:
		return fee, 0
	case FeePayerSplit:
		return fee / 2, fee - fee/2
	}
	return 0, fee
}

// SplitInput is everything that decides how one milestone's money divides.
type SplitInput struct {
	Currency      string
	Amount        int64 // the milestone's price, its slice of the contract value
	ContractValue int64 // the sum of all the deal's milestone prices
	Before        int64 // the sum of the prices of the milestones before this one
	PlatformBPS   int64 // the platform fee on the price, charged to the seller
	Terms         FeeTerms
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
//     (FeeTerms.Slice: accrued-to-end minus accrued-to-start, each floored),
//     so the slices of all milestones add up to the contract's fee exactly;
//     Terms.Payer divides it, the buyer's part paid on top of the price
//     (Funded = Amount + buyer part), the seller's part taken from the
//     proceeds;
//   - after a partial refund (a settlement, or a refund before release) both
//     fees shrink in proportion, floor(fee × Gross / Funded), since the buyer
//     took back a share of everything they paid, fees included.
//
// Refusals are named: an unknown currency ErrCurrency, amounts beyond the
// bounds ErrOutOfBounds, seller-borne fees beyond the price ErrUnpayable,
// other inconsistent input ErrInvalid.
func Split(in SplitInput) (Shares, error) {
	var errs []error
	add := func(kind error, field string, code msgs.Code, args ...any) {
		errs = append(errs, refuse(kind, field, code, args...))
	}
	cur, err := Lookup(in.Currency)
	if err != nil {
		errs = append(errs, err)
	}
	if in.ContractValue < 1 || err == nil && in.ContractValue > cur.Max {
		add(ErrOutOfBounds, "contract_value", "must be 1..%d minor units", MaxAmount)
	}
	if in.Amount <= 0 {
		add(ErrInvalid, "amount", "must be positive")
	} else if in.ContractValue < in.Amount || in.Before < 0 || in.Before > in.ContractValue-in.Amount {
		add(ErrInvalid, "contract_value", "the milestone must lie within the contract value")
	}
	if in.PlatformBPS < 0 || in.PlatformBPS > MaxBPS {
		add(ErrOutOfBounds, "platform_bps", "must be 0..%d", MaxBPS)
	}
	if in.Refunded < 0 {
		add(ErrInvalid, "refunded", "must not be negative")
	}
	if err := in.Terms.Validate(); err != nil {
		errs = append(errs, err)
	} else if err := in.Terms.CheckCurrency(in.Currency); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return Shares{}, errors.Join(errs...)
	}
	// Every input is now bounded by MaxAmount, so the sums below stay far
	// inside int64; they are checked all the same.
	fee := in.Terms.Slice(in.ContractValue, in.Before, in.Amount)
	buyerFee, sellerFee := in.Terms.Split(fee)
	platform, err := MulDiv(in.Amount, in.PlatformBPS, MaxBPS)
	if err != nil {
		return Shares{}, err
	}
	funded, err := Add(in.Amount, buyerFee)
	if err != nil {
		return Shares{}, err
	}
	s := Shares{Currency: in.Currency, Funded: funded}
	if in.Amount-platform < sellerFee {
		return Shares{}, refuse(ErrUnpayable, "fee", msgs.FeesXExceedMilestonePriceX,
			Money{platform + sellerFee, in.Currency}, Money{in.Amount, in.Currency})
	}
	if in.Refunded > s.Funded {
		return Shares{}, refuse(ErrInvalid, "refunded", msgs.ExceedsXFunded, Money{s.Funded, in.Currency})
	}
	s.Gross = s.Funded - in.Refunded
	// platform + fee ≤ Funded (checked above), so the seller's remainder is
	// never negative after scaling either.
	if s.Platform, err = MulDiv(platform, s.Gross, s.Funded); err != nil {
		return Shares{}, err
	}
	if s.Intermediary, err = MulDiv(fee, s.Gross, s.Funded); err != nil {
		return Shares{}, err
	}
	s.Seller = s.Gross - s.Platform - s.Intermediary
	return s, nil
}

// CheckPayable refuses contract terms that could be signed but not paid:
// an unknown currency, a price or milestone beyond the bounds, milestones
// that do not add up to the price, intermediary terms out of shape or a
// fixed fee above the price, and any milestone on which the platform fee
// and the seller's part of the intermediary fee leave the seller less than
// nothing. It runs the very Split that funding and release will run, on
// every milestone, so what passes here can be paid.
func CheckPayable(currency string, price int64, milestones []int64, terms FeeTerms, platformBPS int64) error {
	cur, err := Lookup(currency)
	if err != nil {
		return err
	}
	if price < 1 || price > cur.Max {
		return refuse(ErrOutOfBounds, "price", msgs.MinorUnitsBetween, Money{1, currency}, Money{cur.Max, currency})
	}
	if err := terms.Validate(); err != nil {
		return err
	}
	if err := terms.CheckCurrency(currency); err != nil {
		return err
	}
	if terms.Basis == FeeBasisFixed && terms.Fixed > price {
		return refuse(ErrUnpayable, "fee_fixed", msgs.IntermediarySFixedFeeXExceeds,
			Money{terms.Fixed, currency}, Money{price, currency})
	}
	var before int64
	for i, a := range milestones {
		if a < 1 || a > cur.Max {
			return refuse(ErrOutOfBounds, milestoneField(i), msgs.MinorUnitsBetween, Money{1, currency}, Money{cur.Max, currency})
		}
		if before, err = Add(before, a); err != nil {
			return err
		}
	}
	if before != price {
		return refuse(ErrInvalid, "milestones", msgs.AmountsAddUpToNPrice, Money{before, currency}, Money{price, currency})
	}
	before = 0
	for i, a := range milestones {
		if _, err := Split(SplitInput{Currency: currency, Amount: a, ContractValue: price, Before: before,
			PlatformBPS: platformBPS, Terms: terms}); err != nil {
			for _, e := range Errors(err) {
				if e.Field == "fee" {
					e.Field = milestoneField(i)
				}
			}
			return err
		}
		before += a
	}
	return nil
}

func milestoneField(i int) string {
	return "milestones[" + itoa(int64(i)) + "].amount"
}
