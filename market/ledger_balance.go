package market

import (
	"sort"
)

// BalanceKey is one account in one currency.
type BalanceKey struct {
	Account  AccountKey
	Currency string
}

// Balances maps accounts to their balances: the sum of their entries. It is
// the reference computation the store's SQL sums must agree with.
type Balances map[BalanceKey]int64

// ComputeBalances sums the entries of every transaction.
func ComputeBalances(txs []Transaction) Balances {
	b := Balances{}
	for _, tx := range txs {
		b.Add(tx)
	}
	return b
}

// Add books a transaction's entries without any check.
func (b Balances) Add(tx Transaction) {
	for _, e := range tx.Entries {
		b[BalanceKey{e.Account, e.Currency}] += e.Amount
	}
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
			s += v
		}
	}
	return s
}

// CheckNonNegative returns ECONFLICT naming the first (in key order) account
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
	return Errorf(ECONFLICT, "account %s would hold %d %s; it must not go below zero", k.Account, b[k], k.Currency)
}

// CanPost checks, before a transaction is booked, that it is valid and takes
// no guarded account below zero given the current balances of the accounts
// it touches. The store calls it inside the database transaction that posts.
func (b Balances) CanPost(tx Transaction) error {
	if err := tx.Validate(); err != nil {
		return err
	}
	after := Balances{}
	for _, e := range tx.Entries {
		k := BalanceKey{e.Account, e.Currency}
		after[k] = b[k] + e.Amount
	}
	return after.CheckNonNegative()
}
