package market

import (
	"fmt"

	"techbridge/market/ledger"
)

// LedgerTx persists the double-entry ledger. Transactions and entries are
// only ever inserted; balances are the sums of the entries.
type LedgerTx interface {
	// PostTransaction books t after checking, against the balances of the
	// accounts it touches read (and, on PostgreSQL, locked) inside this
	// transaction, that it is valid and takes no guarded account below zero
	// (Balances.CanPost). A transaction whose idempotency key is already
	// booked is ECONFLICT; use TransactionByKey to tell a replay apart.
	PostTransaction(t Transaction) error
	// TransactionByKey returns the transaction booked under an idempotency key.
	TransactionByKey(key string) (*Transaction, error)
	// AccountBalances returns the derived balances (sums of entries) of the
	// given accounts in every currency they hold.
	AccountBalances(accounts ...AccountKey) (Balances, error)
	// LedgerTransactions returns transactions in booking order after the
	// cursor (a transaction id, "" for the start), up to limit, optionally
	// only those of one deal or touching one account.
	LedgerTransactions(f LedgerFilter) ([]Transaction, error)
	// StoredBalances returns the per-account balance rows kept beside the
	// entries, for `ledger check` to compare with the derived sums.
	StoredBalances() (Balances, error)
}

// LedgerFilter selects ledger transactions.
type LedgerFilter struct {
	DealID  string
	Account AccountKey // "" = any
	After   string     // id of the last transaction of the previous page
	Limit   int        // 0 = no limit
}

// UnreadableBalance is a balance the store holds but cannot read back as an
// integer within ±ledger.MaxBalance: a row edited by hand, or a sum of
// entries beyond the bounds. Stores return one per such account (joined),
// so `ledger check` names each instead of failing on the first.
type UnreadableBalance struct {
	Account  AccountKey
	Currency string
	Value    string // what the database holds, as text
	Stored   bool   // a balance row (true) or the sum of the entries (false)
}

func (u *UnreadableBalance) Error() string {
	what := "entries add up to"
	if u.Stored {
		what = "stored balance is"
	}
	return fmt.Sprintf("account %s %s: %s %s, beyond the ledger's bound of ±%d", u.Account, u.Currency, what, u.Value, ledger.MaxBalance)
}
