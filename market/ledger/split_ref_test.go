package ledger_test

import (
	"math/big"

	"techbridge/market"
	"techbridge/market/ledger"
)

// The exact reference split of market/ledger's tests, for the posting
// model: it shares no code with ledger.Split.

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
func refSplit(in ledger.SplitInput) (ledger.Shares, bool) {
	var total *big.Int
	switch in.Terms.Basis {
	case market.FeeBasisBPS:
		total = floorFrac(in.ContractValue, in.Terms.BPS, market.MaxBPS)
	case market.FeeBasisFixed:
		total = big.NewInt(in.Terms.Fixed)
	default:
		total = new(big.Int)
	}
	accrued := func(upTo int64) *big.Int {
		p := new(big.Int).Mul(total, big.NewInt(upTo))
		return p.Div(p, big.NewInt(in.ContractValue))
	}
	fee := new(big.Int).Sub(accrued(in.Before+in.Amount), accrued(in.Before)).Int64()
	buyerFee := map[string]int64{market.FeePayerBuyer: fee, market.FeePayerSplit: fee / 2}[in.Terms.Payer]
	platform := floorFrac(in.Amount, in.PlatformBPS, market.MaxBPS).Int64()
	funded := new(big.Int).Add(big.NewInt(in.Amount), big.NewInt(buyerFee))
	if in.ContractValue > ledger.MaxAmount || in.Terms.Fixed > ledger.MaxAmount || !funded.IsInt64() ||
		in.Amount-platform-(fee-buyerFee) < 0 || in.Refunded > funded.Int64() {
		return ledger.Shares{}, false
	}
	s := ledger.Shares{Currency: in.Currency, Funded: funded.Int64(), Gross: funded.Int64() - in.Refunded}
	s.Platform = floorFrac(platform, s.Gross, s.Funded).Int64()
	s.Intermediary = floorFrac(fee, s.Gross, s.Funded).Int64()
	s.Seller = s.Gross - s.Platform - s.Intermediary
	return s, true
}
