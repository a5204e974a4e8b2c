package market

import (
	"fmt"
	"time"

	"techbridge/market/ledger"
)

// Ledger transaction kinds, one per money movement.
const (
	TxFund    = "fund"    // buyer's money arrives: clearing → escrow
	TxRelease = "release" // escrow → seller and intermediary payables, platform revenue
	TxRefund  = "refund"  // escrow → clearing, back to the buyer
	TxSettle  = "settle"  // an admin's ruling: part refund, part release
	TxPayout  = "payout"  // payable → clearing, out to the organisation's bank account
)

// TxKinds lists every transaction kind.
var TxKinds = []string{TxFund, TxRelease, TxRefund, TxSettle, TxPayout}

// Transaction is one balanced money movement. Transactions and their entries
// are immutable: a mistake is corrected by another transaction, never by an
// edit. The store keeps IdempotencyKey unique, so posting the same movement
// twice (a retried request, a replayed webhook) books it once.
type Transaction struct {
	ID             string
	Kind           string
	IdempotencyKey string // derived from domain ids, e.g. "milestone:<id>:release"
	Currency       string // a transaction never mixes currencies: the platform does no exchange
	Entries        []Entry
	At             time.Time
	Refs           TxRefs
}

// TxRefs ties a transaction to the objects it concerns, for queries and audit.
type TxRefs struct {
	DealID      string
	MilestoneID string
	OrgID       string // the payee of a payout
	External    string // the provider's reference: Stripe object id, bank transfer reference
}

// Entry changes one account's balance. Amount is signed: positive adds to the
// balance (money held for the account's owner grows), negative takes from it.
// The entries of a transaction add up to zero.
type Entry struct {
	Account  AccountKey
	Amount   int64 // minor units, never zero
	Currency string
}

// Validate checks that the transaction is complete and balanced: known kind,
// idempotency key, UTC time, at least two entries on well-formed, distinct
// accounts, no zero amounts, one currency, and a sum of exactly zero.
func (tx Transaction) Validate() error {
	var f Fields
	if tx.ID == "" {
		f.Add("id", "is required")
	}
	if !isTxKind(tx.Kind) {
		f.Add("kind", "unknown transaction kind %q", tx.Kind)
	}
	if tx.IdempotencyKey == "" || len(tx.IdempotencyKey) > 200 {
		f.Add("idempotency_key", "must be 1..200 bytes")
	}
	if _, err := ledger.Lookup(tx.Currency); err != nil {
		f.Add("currency", "%q is not a currency the platform handles", tx.Currency)
	}
	if tx.At.IsZero() || tx.At.Location() != time.UTC {
		f.Add("at", "must be a UTC time")
	}
	if len(tx.Entries) < 2 {
		f.Add("entries", "a transaction needs at least two entries")
	}
	seen := map[AccountKey]bool{}
	var sum int64
	overflow := false
	for i, e := range tx.Entries {
		field := fmt.Sprintf("entries[%d]", i)
		if e.Account.Kind() == "" {
			f.Add(field+".account", "malformed account key %q", e.Account)
		} else if seen[e.Account] {
			f.Add(field+".account", "account %s appears twice", e.Account)
		}
		seen[e.Account] = true
		if e.Amount == 0 {
			f.Add(field+".amount", "must not be zero")
		} else if e.Amount > ledger.MaxBalance || e.Amount < -ledger.MaxBalance {
			f.Add(field+".amount", "must be within ±%d minor units", ledger.MaxBalance)
		}
		if e.Currency != tx.Currency {
			f.Add(field+".currency", "is %q, the transaction is in %q", e.Currency, tx.Currency)
		}
		if next, err := ledger.Add(sum, e.Amount); err != nil {
			overflow = true
		} else {
			sum = next
		}
	}
	if overflow || sum != 0 {
		f.Add("entries", "do not balance: they add up to %d, not 0", sum)
	}
	return f.Err()
}

func isTxKind(k string) bool {
	for _, x := range TxKinds {
		if x == k {
			return true
		}
	}
	return false
}
