package ledger

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

func TestFeeTermsValidate(t *testing.T) {
	tests := []struct {
		terms FeeTerms
		field string // "" = valid
	}{
		{FeeTerms{}, ""},
		{FeeTerms{Basis: FeeBasisBPS, BPS: 300, Payer: FeePayerSeller}, ""},
		{FeeTerms{Basis: FeeBasisBPS, BPS: MaxBPS, Payer: FeePayerSplit}, ""},
		{FeeTerms{Basis: FeeBasisFixed, Fixed: 5000, Currency: "JPY", Payer: FeePayerBuyer}, ""},
		{FeeTerms{Basis: FeeBasisFixed, Fixed: 5000, Payer: FeePayerBuyer}, "fee_currency"},
		{FeeTerms{Basis: FeeBasisFixed, Fixed: 5000, Currency: "BTC", Payer: FeePayerBuyer}, "fee_currency"},
		{FeeTerms{Basis: FeeBasisBPS, BPS: 5, Currency: "CNY", Payer: FeePayerBuyer}, "fee_currency"},
		{FeeTerms{Payer: FeePayerBuyer}, "fee_basis"},
		{FeeTerms{Basis: "percent", Payer: FeePayerBuyer}, "fee_basis"},
		{FeeTerms{Basis: FeeBasisBPS, BPS: MaxBPS + 1, Payer: FeePayerSeller}, "fee_bps"},
		{FeeTerms{Basis: FeeBasisBPS, BPS: -1, Payer: FeePayerSeller}, "fee_bps"},
		{FeeTerms{Basis: FeeBasisBPS, BPS: 10, Fixed: 1, Payer: FeePayerSeller}, "fee_fixed"},
		{FeeTerms{Basis: FeeBasisFixed, Fixed: -1, Payer: FeePayerSeller}, "fee_fixed"},
		{FeeTerms{Basis: FeeBasisFixed, Fixed: 1, BPS: 1, Payer: FeePayerSeller}, "fee_bps"},
		{FeeTerms{Basis: FeeBasisFixed, Fixed: 1}, "fee_payer"},
		{FeeTerms{Basis: FeeBasisFixed, Fixed: MaxAmount + 1, Payer: FeePayerSeller}, "fee_fixed"},
	}
	for i, tt := range tests {
		err := tt.terms.Validate()
		has := false
		for _, e := range Errors(err) {
			has = has || e.Field == tt.field
		}
		if tt.field == "" && err != nil || tt.field != "" && !has {
			t.Errorf("case %d %+v: %v, want field %q", i, tt.terms, err, tt.field)
		}
	}
}

func TestFeeTermsTotalAndSplit(t *testing.T) {
	tests := []struct {
		terms                FeeTerms
		value                int64
		total, buyer, seller int64
	}{
		{FeeTerms{}, 100000, 0, 0, 0},
		{FeeTerms{Basis: FeeBasisBPS, BPS: 250, Payer: FeePayerSeller}, 100000, 2500, 0, 2500},
		{FeeTerms{Basis: FeeBasisBPS, BPS: 250, Payer: FeePayerBuyer}, 99, 2, 2, 0}, // 2.475 floors to 2
		{FeeTerms{Basis: FeeBasisBPS, BPS: 1, Payer: FeePayerSplit}, 9999, 0, 0, 0},
		{FeeTerms{Basis: FeeBasisFixed, Fixed: 7, Payer: FeePayerSplit}, 1000, 7, 3, 4}, // odd unit to the seller
		{FeeTerms{Basis: FeeBasisBPS, BPS: 10000, Payer: FeePayerSeller}, MaxAmount, MaxAmount, 0, MaxAmount},
	}
	for i, tt := range tests {
		total := tt.terms.Total(tt.value)
		b, s := tt.terms.Split(total)
		if total != tt.total || b != tt.buyer || s != tt.seller {
			t.Errorf("case %d: total %d buyer %d seller %d", i, total, b, s)
		}
	}
}

// TestFeeSlicesAddUp cuts random contracts into random milestones: the
// slices always add up to the total fee, and none is negative.
func TestFeeSlicesAddUp(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		terms := FeeTerms{Basis: FeeBasisBPS, BPS: r.Int64N(MaxBPS + 1), Payer: FeePayerSeller}
		if i%2 == 1 {
			terms = FeeTerms{Basis: FeeBasisFixed, Fixed: r.Int64N(1 << uint(r.IntN(40))), Payer: FeePayerBuyer}
		}
		n := 1 + r.IntN(6)
		parts := make([]int64, n)
		var value int64
		for j := range parts {
			parts[j] = 1 + r.Int64N(1<<uint(r.IntN(50)))
			value += parts[j]
		}
		var before, sum int64
		for _, p := range parts {
			s := terms.Slice(value, before, p)
			if s < 0 {
				t.Fatalf("negative slice %d", s)
			}
			sum += s
			before += p
		}
		if sum != terms.Total(value) {
			t.Fatalf("%+v over %v: slices add up to %d, total %d", terms, parts, sum, terms.Total(value))
		}
	}
	if got := (FeeTerms{Basis: FeeBasisFixed, Fixed: 10}).Slice(100, 90, 20); got != 0 {
		t.Errorf("slice beyond the contract: %d", got)
	}
}

func TestMulDiv(t *testing.T) {
	tests := []struct {
		a, b, c, want int64
		kind          error
	}{
		{7, 3, 2, 10, nil},
		{math.MaxInt64, MaxBPS, MaxBPS, math.MaxInt64, nil},
		{math.MaxInt64, 9999, MaxBPS, 9222449699651090329, nil}, // exact: Python (2**63-1)*9999//10000
		{-1, 5, 2, 0, ErrInvalid},
		{5, 5, 0, 0, ErrInvalid},
		{math.MaxInt64, 2, 1, 0, ErrOverflow}, // named, never saturated or wrapped
	}
	for _, tt := range tests {
		got, err := MulDiv(tt.a, tt.b, tt.c)
		if got != tt.want || !errors.Is(err, tt.kind) || (tt.kind == nil) != (err == nil) {
			t.Errorf("MulDiv(%d, %d, %d) = %d, %v; want %d, %v", tt.a, tt.b, tt.c, got, err, tt.want, tt.kind)
		}
	}
}
