package ledger

import (
	"sort"
	"techbridge/market/msgs"
)

// BalanceKey is one account in one currency.
type BalanceKey struct {
	Account  AccountKey
	Currency string
}

// Balances maps accounts to their balances: the sum of their entries. It is
// the reference computation the store's SQL sums must agree with.
type Balances map[BalanceKey]int64

// ComputeBalances sums the entries of every transaction; an account whose
// sum leaves the ledger's bounds is left out (CheckedBalances names it).
func ComputeBalances(txs []Transaction) Balances {
	b, _ := CheckedBalances(txs)
	return b
}

// CheckedBalances sums the entries of every transaction with checked
// arithmetic; a balance the sum would take beyond ±MaxBalance (or
// out of int64) is left out of b and named in overflowed instead.
func CheckedBalances(txs []Transaction) (b Balances, overflowed []BalanceKey) {
	b = Balances{}
	bad := map[BalanceKey]bool{}
	for _, tx := range txs {
		for _, e := range tx.Entries {
			k := BalanceKey{e.Account, e.Currency}
			if bad[k] {
				continue
			}
			v, err := Add(b[k], e.Amount)
			if err != nil {
				bad[k] = true
				overflowed = append(overflowed, k)
				delete(b, k)
				continue
			}
			b[k] = v
		}
	}
	return b, overflowed
}

// Add books a transaction's entries, refusing (and leaving b unchanged)
// when a balance would leave ±MaxBalance.
func (b Balances) Add(tx Transaction) error {
	after := map[BalanceKey]int64{}
	for _, e := range tx.Entries {
		k := BalanceKey{e.Account, e.Currency}
		cur, ok := after[k]
		if !ok {
			cur = b[k]
		}
		v, err := Add(cur, e.Amount)
		if err != nil {
			return refuse(ErrOutOfBounds, "entries", msgs.AccountLeavesBounds, e.Account, err)
		}
		after[k] = v
	}
	for k, v := range after {
		b[k] = v
	}
	return nil
}

// Of returns an account's balance in a currency; 0 when it never moved.
func (b Balances) Of(account AccountKey, currency string) int64 {
	return b[BalanceKey{account, currency}]
}

// Sum returns the total over all accounts in a currency, which is 0 whenever
// every transaction booked balanced.
func (b Balances) Sum(currency string) int64 {
	var s int64
	for k, v := range b {
		if k.Currency == currency {
			s += v // balances are within ±MaxBalance, a few hundred of them cannot wrap
		}
	}
	return s
}

// CheckNonNegative returns ErrBelowZero naming the first (in key order) account
// that must not be negative but is.
func (b Balances) CheckNonNegative() error {
	keys := make([]BalanceKey, 0, len(b))
	for k, v := range b {
		if v < 0 && k.Account.NonNegative() {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Account != keys[j].Account {
			return keys[i].Account < keys[j].Account
		}
		return keys[i].Currency < keys[j].Currency
	})
	k := keys[0]
	return refuse(ErrBelowZero, "", msgs.AccountXWouldHoldNX, k.Account, Money{b[k], k.Currency})
}

// CanPost checks, before a transaction is booked, that it is valid, that
// no balance it touches would leave ±MaxBalance (a named
// ledger.ErrOutOfBounds, never a wrapped sum) and that it takes no guarded
// account below zero, given the current balances of the accounts it
// touches. The store calls it inside the database transaction that posts.
func (b Balances) CanPost(tx Transaction) error {
	if err := tx.Validate(); err != nil {
		return err
	}
	after := Balances{}
	for _, e := range tx.Entries {
		k := BalanceKey{e.Account, e.Currency}
		after[k] = b[k]
	}
	if err := after.Add(tx); err != nil {
		return err
	}
	return after.CheckNonNegative()
}
