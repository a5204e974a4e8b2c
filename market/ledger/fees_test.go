package ledger

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

func bpsTerms(bps int64, payer string) FeeTerms {
	return FeeTerms{Basis: FeeBasisBPS, BPS: bps, Payer: payer}
}

func TestSplitExamples(t *testing.T) {
	tests := []struct {
		name string
		in   SplitInput
		want Shares
	}{
		{"no intermediary",
			SplitInput{Currency: "CNY", Amount: 100000, ContractValue: 100000, PlatformBPS: 500},
			Shares{Currency: "CNY", Funded: 100000, Gross: 100000, Seller: 95000, Platform: 5000, Intermediary: 0}},
		{"seller pays 3%",
			SplitInput{Currency: "CNY", Amount: 100000, ContractValue: 100000, PlatformBPS: 500, Terms: bpsTerms(300, FeePayerSeller)},
			Shares{Currency: "CNY", Funded: 100000, Gross: 100000, Seller: 92000, Platform: 5000, Intermediary: 3000}},
		{"buyer pays 3% on top",
			SplitInput{Currency: "CNY", Amount: 100000, ContractValue: 100000, PlatformBPS: 500, Terms: bpsTerms(300, FeePayerBuyer)},
			Shares{Currency: "CNY", Funded: 103000, Gross: 103000, Seller: 95000, Platform: 5000, Intermediary: 3000}},
		{"split, odd unit to the seller",
			SplitInput{Currency: "JPY", Amount: 1001, ContractValue: 1001, PlatformBPS: 0,
				Terms: FeeTerms{Basis: FeeBasisFixed, Fixed: 7, Currency: "JPY", Payer: FeePayerSplit}},
			Shares{Currency: "JPY", Funded: 1004, Gross: 1004, Seller: 997, Platform: 0, Intermediary: 7}},
		{"fees floor in JPY", // 333 × 2.5% = 8.325 → 8; 333 × 1.5% = 4.995 → 4
			SplitInput{Currency: "JPY", Amount: 333, ContractValue: 333, PlatformBPS: 250, Terms: bpsTerms(150, FeePayerSeller)},
			Shares{Currency: "JPY", Funded: 333, Gross: 333, Seller: 321, Platform: 8, Intermediary: 4}},
		{"second of two milestones takes its slice of a fixed fee", // 10 over 3:7 → 3 then 7
			SplitInput{Currency: "KWD", Amount: 7000, ContractValue: 10000, Before: 3000, PlatformBPS: 100,
				Terms: FeeTerms{Basis: FeeBasisFixed, Fixed: 10, Currency: "KWD", Payer: FeePayerSeller}},
			Shares{Currency: "KWD", Funded: 7000, Gross: 7000, Seller: 6923, Platform: 70, Intermediary: 7}},
		{"half refunded in a settlement: fees halve",
			SplitInput{Currency: "CNY", Amount: 100000, ContractValue: 100000, PlatformBPS: 500, Terms: bpsTerms(300, FeePayerBuyer), Refunded: 51500},
			Shares{Currency: "CNY", Funded: 103000, Gross: 51500, Seller: 47500, Platform: 2500, Intermediary: 1500}},
		{"all fees, nothing left for the seller",
			SplitInput{Currency: "USD", Amount: 100, ContractValue: 100, PlatformBPS: 4000, Terms: bpsTerms(6000, FeePayerSeller)},
			Shares{Currency: "USD", Funded: 100, Gross: 100, Seller: 0, Platform: 40, Intermediary: 60}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Split(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("got %+v %v, want %+v", got, err, tt.want)
			}
		})
	}
}

func TestSplitRefuses(t *testing.T) {
	ok := SplitInput{Currency: "CNY", Amount: 1000, ContractValue: 1000, PlatformBPS: 500}
	tests := []struct {
		name string
		edit func(*SplitInput)
	}{
		{"unknown currency", func(in *SplitInput) { in.Currency = "XYZ" }},
		{"zero amount", func(in *SplitInput) { in.Amount = 0 }},
		{"beyond the contract", func(in *SplitInput) { in.Before = 1 }},
		{"platform over 100%", func(in *SplitInput) { in.PlatformBPS = 10001 }},
		{"bad terms", func(in *SplitInput) { in.Terms = FeeTerms{Basis: "x"} }},
		{"seller fees above the price", func(in *SplitInput) {
			in.Terms = FeeTerms{Basis: FeeBasisFixed, Fixed: 951, Currency: in.Currency, Payer: FeePayerSeller}
		}},
		{"refund above funding", func(in *SplitInput) { in.Refunded = 1001 }},
		{"negative refund", func(in *SplitInput) { in.Refunded = -1 }},
		{"beyond the bound", func(in *SplitInput) { in.Amount, in.ContractValue = MaxAmount+1, MaxAmount+1 }},
		{"overflow", func(in *SplitInput) {
			in.Amount, in.ContractValue = math.MaxInt64, math.MaxInt64
			in.Terms = bpsTerms(1, FeePayerBuyer)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.edit(&in)
			if _, err := Split(in); len(Errors(err)) == 0 {
				t.Fatalf("want a named refusal, got %v", err)
			}
		})
	}
	if _, err := Split(ok); err != nil {
		t.Fatalf("the base case must pass: %v", err)
	}
}

// floorFrac is floor(a×b/c) in exact big-integer arithmetic, the reference
// the int64 fee arithmetic must agree with.
func floorFrac(a, b, c int64) *big.Int {
	p := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	return p.Div(p, big.NewInt(c)) // operands are non-negative, so Div is floor
}

// refSplit is the reference for Split, written from its documented rule in
// exact big-integer arithmetic and sharing no code with it. It reports
// whether the inputs are feasible (seller's part ≥ 0, refund ≤ funding,
// funding fits in int64); input shape (currency, ranges) is assumed valid.
func refSplit(in SplitInput) (Shares, bool) {
	var total *big.Int
	switch in.Terms.Basis {
	case FeeBasisBPS:
		total = floorFrac(in.ContractValue, in.Terms.BPS, MaxBPS)
	case FeeBasisFixed:
		total = big.NewInt(in.Terms.Fixed)
	default:
		total = new(big.Int)
	}
	accrued := func(upTo int64) *big.Int {
		p := new(big.Int).Mul(total, big.NewInt(upTo))
		return p.Div(p, big.NewInt(in.ContractValue))
	}
	fee := new(big.Int).Sub(accrued(in.Before+in.Amount), accrued(in.Before)).Int64()
	buyerFee := map[string]int64{FeePayerBuyer: fee, FeePayerSplit: fee / 2}[in.Terms.Payer]
	platform := floorFrac(in.Amount, in.PlatformBPS, MaxBPS).Int64()
	funded := new(big.Int).Add(big.NewInt(in.Amount), big.NewInt(buyerFee))
	if in.ContractValue > MaxAmount || in.Terms.Fixed > MaxAmount || !funded.IsInt64() ||
		in.Amount-platform-(fee-buyerFee) < 0 || in.Refunded > funded.Int64() {
		return Shares{}, false
	}
	s := Shares{Currency: in.Currency, Funded: funded.Int64(), Gross: funded.Int64() - in.Refunded}
	s.Platform = floorFrac(platform, s.Gross, s.Funded).Int64()
	s.Intermediary = floorFrac(fee, s.Gross, s.Funded).Int64()
	s.Seller = s.Gross - s.Platform - s.Intermediary
	return s, true
}

// TestSplitProperties draws random amounts (zero-decimal to three-decimal
// currencies, from 1 minor unit to near the int64 limit, many around
// MaxAmount), rates, terms and refunds. Whenever Split succeeds it equals refSplit, the parts add up to
// the gross exactly and none is negative; whenever it fails, the inputs
// really were infeasible.
func TestSplitProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(20260301, 7))
	currencies := []string{"JPY", "KRW", "CNY", "USD", "EUR", "KWD", "BHD"}
	payers := []string{FeePayerBuyer, FeePayerSeller, FeePayerSplit}
	const cases = 20000
	var okCount, refusedCount int
	for i := 0; i < cases; i++ {
		// Bit lengths up to 51 straddle MaxAmount (2^49.8); a tenth go to 61.
		bitsMax := 51
		if r.IntN(10) == 0 {
			bitsMax = 61
		}
		amount := 1 + r.Int64N(int64(1)<<uint(1+r.IntN(bitsMax)))
		before := r.Int64N(int64(1) << uint(r.IntN(bitsMax)))
		after := r.Int64N(int64(1) << uint(r.IntN(bitsMax)))
		in := SplitInput{Currency: currencies[r.IntN(len(currencies))], Amount: amount,
			ContractValue: before + amount + after, Before: before, PlatformBPS: r.Int64N(3001)}
		switch r.IntN(3) {
		case 1:
			in.Terms = bpsTerms(r.Int64N(MaxBPS+1), payers[r.IntN(3)])
		case 2:
			in.Terms = FeeTerms{Basis: FeeBasisFixed, Fixed: r.Int64N(in.ContractValue/2 + 1), Currency: in.Currency, Payer: payers[r.IntN(3)]}
		}
		want, feasible := refSplit(in)
		if feasible && r.IntN(2) == 0 {
			in.Refunded = r.Int64N(want.Funded + 1)
			want, _ = refSplit(in)
		}

		s, err := Split(in)
		if !feasible {
			if len(Errors(err)) == 0 {
				t.Fatalf("%+v: infeasible inputs accepted: %+v %v", in, s, err)
			}
			refusedCount++
			continue
		}
		if err != nil {
			t.Fatalf("%+v: %v", in, err)
		}
		okCount++
		if s != want || s.Seller < 0 || s.Seller+s.Platform+s.Intermediary != s.Gross {
			t.Fatalf("%+v: got %+v, want %+v", in, s, want)
		}
	}
	t.Logf("%d splits checked, %d refused as infeasible", okCount, refusedCount)
	if okCount < cases/2 || refusedCount == 0 {
		t.Fatalf("the generator is lopsided: %d ok, %d refused", okCount, refusedCount)
	}
}
