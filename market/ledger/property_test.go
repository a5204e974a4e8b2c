package ledger_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"techbridge/market/ledger"
)

var namedKinds = []error{ledger.ErrCurrency, ledger.ErrOutOfBounds, ledger.ErrOverflow, ledger.ErrInvalid,
	ledger.ErrUnpayable, ledger.ErrBelowZero}

// named reports whether err is made only of *ledger.Error with a named kind.
func named(err error) bool {
	es := ledger.Errors(err)
	if len(es) == 0 {
		return false
	}
	for _, e := range es {
		ok := false
		for _, k := range namedKinds {
			ok = ok || errors.Is(e, k)
		}
		if !ok {
			return false
		}
	}
	return true
}

// nearBound draws an amount that is often at or next to the platform's
// bound, sometimes far beyond it (up to int64's), sometimes small.
func nearBound(r *rand.Rand) int64 {
	switch r.IntN(6) {
	case 0:
		return ledger.MaxAmount - r.Int64N(3)
	case 1:
		return ledger.MaxAmount + 1 + r.Int64N(3)
	case 2:
		return math.MaxInt64 - r.Int64N(3)
	case 3:
		return 1 + r.Int64N(1000)
	}
	return 1 + r.Int64N(ledger.MaxAmount)
}

// TestMoneyProperty is issue 11's property test: over every currency of
// the table and random amounts near the bounds, adversarial fee terms and
// platform fees, an offer either passes CheckPayable and then every
// milestone funds, releases (or refunds and settles) and pays out with no
// refusal, every entry and balance within ±MaxBalance and escrow back to
// zero; or it is refused, and every refusal is a named ledger error.
func TestMoneyProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 2026))
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	payers := []string{ledger.FeePayerBuyer, ledger.FeePayerSeller, ledger.FeePayerSplit}
	var payable, refused int
	for _, cur := range ledger.Currencies() {
		for i := 0; i < 400; i++ {
			n := 1 + r.IntN(3)
			amounts := make([]int64, n)
			var price int64
			overflow := false
			for j := range amounts {
				amounts[j] = nearBound(r)
				if s, err := ledger.Add(price, amounts[j]); err != nil {
					overflow = true
				} else {
					price = s
				}
			}
			if overflow || r.IntN(8) == 0 {
				price = nearBound(r) // an offer whose milestones do not add up
			}
			var terms ledger.FeeTerms
			switch r.IntN(4) {
			case 1:
				terms = ledger.FeeTerms{Basis: ledger.FeeBasisBPS, BPS: r.Int64N(ledger.MaxBPS + 2), Payer: payers[r.IntN(3)]}
			case 2:
				terms = ledger.FeeTerms{Basis: ledger.FeeBasisFixed, Fixed: nearBound(r), Currency: cur.Code, Payer: payers[r.IntN(3)]}
			case 3:
				terms = ledger.FeeTerms{Basis: ledger.FeeBasisFixed, Fixed: r.Int64N(max(price, 1)/2 + 1), Currency: cur.Code, Payer: payers[r.IntN(3)]}
			}
			bps := []int64{0, 200, 9999, ledger.MaxBPS, ledger.MaxBPS + 1, r.Int64N(ledger.MaxBPS)}[r.IntN(6)]
			err := ledger.CheckPayable(cur.Code, price, amounts, terms, bps)
			if err != nil {
				if !named(err) {
					t.Fatalf("%s %d %v %+v bps %d: an unnamed refusal %v", cur.Code, price, amounts, terms, bps, err)
				}
				refused++
				continue
			}
			payable++
			payAll(t, r, cur.Code, amounts, terms, bps, at, fmt.Sprintf("%s #%d", cur.Code, i))
		}
	}
	t.Logf("%d offers payable and paid, %d refused by name", payable, refused)
	if payable < 500 || refused < 500 {
		t.Fatalf("lopsided generator: %d payable, %d refused", payable, refused)
	}
}

// payAll funds every milestone of a payable offer and then releases it, or
// refunds part and settles the rest, and pays the payees out: nothing may
// be refused, and the balances must stay within the bounds.
func payAll(t *testing.T, r *rand.Rand, cur string, amounts []int64, terms ledger.FeeTerms, bps int64, at time.Time, where string) {
	t.Helper()
	d := ledger.Deal{ID: "d", BuyerOrgID: "b", SellerOrgID: "s", Currency: cur, PlatformBPS: bps, Fee: terms,
		Provider: ledger.ProviderBank}
	if !terms.IsZero() {
		d.IntermediaryOrgID = "i"
	}
	for j, a := range amounts {
		d.Milestones = append(d.Milestones, ledger.Milestone{ID: fmt.Sprintf("m%d", j), DealID: "d", Seq: j + 1, Amount: a, Currency: cur, Version: 1})
	}
	b := ledger.Balances{}
	book := func(tx ledger.Transaction, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: a payable offer's posting was refused: %v", where, err)
		}
		if err := b.CanPost(tx); err != nil {
			t.Fatalf("%s: %s refused by the balances: %v", where, tx.Kind, err)
		}
		b.Add(tx)
	}
	for _, m := range d.Milestones {
		s, err := d.Split(m)
		if err != nil {
			t.Fatalf("%s: split of a payable milestone: %v", where, err)
		}
		m.Funded = s.Funded
		book(ledger.PostFund(d, m, at))
		if r.IntN(3) == 0 {
			refund := r.Int64N(m.Funded + 1)
			m.Refunded, m.Version = refund, 3
			if refund > 0 && r.IntN(2) == 0 {
				book(ledger.PostRefund(d, m, refund, at))
				m.Refunded, m.Version = refund, 4
				book(ledger.PostSettle(d, m, 0, at))
			} else {
				book(ledger.PostSettle(d, m, refund, at))
			}
		} else {
			book(ledger.PostRelease(d, m, at))
		}
	}
	for _, org := range []string{"s", "i"} {
		if held := b.Of(ledger.PayableAccount(org), cur); held > 0 {
			book(ledger.PostPayout(ledger.Payout{ID: "p" + org, OrgID: org, Currency: cur, Amount: held, Provider: ledger.ProviderBank}, at))
		}
	}
	for k, v := range b {
		if v > ledger.MaxBalance || v < -ledger.MaxBalance {
			t.Fatalf("%s: %s holds %d, beyond the bound", where, k.Account, v)
		}
	}
	if e := b.Of(ledger.EscrowAccount("d"), cur); e != 0 || b.Sum(cur) != 0 {
		t.Fatalf("%s: escrow %d, sum %d after every milestone closed", where, e, b.Sum(cur))
	}
	if err := b.CheckNonNegative(); err != nil {
		t.Fatalf("%s: %v", where, err)
	}
}
