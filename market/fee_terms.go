package market

import "math/bits"

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
// intermediary fee. Deal negotiation and payments share it so the fee a party
// agreed to is exactly the fee the ledger books.
type FeeTerms struct {
	Basis string // "", FeeBasisBPS or FeeBasisFixed
	BPS   int64  // with FeeBasisBPS: basis points of the contract value, 0..MaxBPS
	Fixed int64  // with FeeBasisFixed: minor units of the contract currency, ≥ 0
	Payer string // FeePayerBuyer, FeePayerSeller or FeePayerSplit; "" only with no basis
}

// IsZero reports whether there is no intermediary fee at all.
func (t FeeTerms) IsZero() bool { return t == FeeTerms{} }

// Validate checks the terms' shape; field names are prefixed "fee_".
func (t FeeTerms) Validate() error {
	var f Fields
	switch t.Basis {
	case "":
		if !t.IsZero() {
			f.Add("fee_basis", "is required when a fee amount or payer is given")
		}
		return f.Err()
	case FeeBasisBPS:
		if t.BPS < 0 || t.BPS > MaxBPS {
			f.Add("fee_bps", "must be 0..%d", MaxBPS)
		}
		if t.Fixed != 0 {
			f.Add("fee_fixed", "must be empty with a bps fee")
		}
	case FeeBasisFixed:
		if t.Fixed < 0 {
			f.Add("fee_fixed", "must not be negative")
		}
		if t.BPS != 0 {
			f.Add("fee_bps", "must be empty with a fixed fee")
		}
	default:
		f.Add("fee_basis", "must be %q or %q", FeeBasisBPS, FeeBasisFixed)
	}
	switch t.Payer {
	case FeePayerBuyer, FeePayerSeller, FeePayerSplit:
	default:
		f.Add("fee_payer", "must be %q, %q or %q", FeePayerBuyer, FeePayerSeller, FeePayerSplit)
	}
	return f.Err()
}

// Total returns the intermediary fee over the whole contract value, rounded
// down (floor) so nobody pays more than the agreed rate.
func (t FeeTerms) Total(contractValue int64) int64 {
	switch t.Basis {
	case FeeBasisBPS:
		return MulDiv(contractValue, t.BPS, MaxBPS)
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
	return MulDiv(total, before+amount, contractValue) - MulDiv(total, before, contractValue)
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

// MulDiv returns floor(a*b/c) for a, b ≥ 0 and c > 0 without overflowing the
// product; it returns 0 for other inputs and saturates at the int64 maximum.
// Fee arithmetic needs it because amount × basis points overflows int64 for
// large amounts.
func MulDiv(a, b, c int64) int64 {
	if a < 0 || b < 0 || c <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return 1<<63 - 1
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	if q > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(q)
}
