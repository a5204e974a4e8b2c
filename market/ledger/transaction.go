package ledger

import (
	"errors"
	"fmt"
	"techbridge/market/msgs"
	"time"
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
//
// The error joins one *Error per problem: ErrCurrency for a currency the
// platform does not handle, ErrOutOfBounds for an entry beyond
// ±MaxBalance, ErrInvalid for the rest.
func (tx Transaction) Validate() error {
	var errs []error
	add := func(kind error, field string, code msgs.Code, args ...any) {
		errs = append(errs, refuse(kind, field, code, args...))
	}
	if tx.ID == "" {
		add(ErrInvalid, "id", "is required")
	}
	if !isTxKind(tx.Kind) {
		add(ErrInvalid, "kind", "unknown transaction kind %q", tx.Kind)
	}
	if tx.IdempotencyKey == "" || len(tx.IdempotencyKey) > 200 {
		add(ErrInvalid, "idempotency_key", "must be 1..200 bytes")
	}
	if _, err := Lookup(tx.Currency); err != nil {
		add(ErrCurrency, "currency", "%q is not a currency the platform handles", tx.Currency)
	}
	if tx.At.IsZero() || tx.At.Location() != time.UTC {
		add(ErrInvalid, "at", "must be a UTC time")
	}
	if len(tx.Entries) < 2 {
		add(ErrInvalid, "entries", "a transaction needs at least two entries")
	}
	seen := map[AccountKey]bool{}
	var sum int64
	overflow := false
	for i, e := range tx.Entries {
		field := fmt.Sprintf("entries[%d]", i)
		if e.Account.Kind() == "" {
			add(ErrInvalid, field+".account", "malformed account key %q", e.Account)
		} else if seen[e.Account] {
			add(ErrInvalid, field+".account", "account %s appears twice", e.Account)
		}
		seen[e.Account] = true
		if e.Amount == 0 {
			add(ErrInvalid, field+".amount", "must not be zero")
		} else if e.Amount > MaxBalance || e.Amount < -MaxBalance {
			add(ErrOutOfBounds, field+".amount", "must be within ±%d minor units", MaxBalance)
		}
		if e.Currency != tx.Currency {
			add(ErrInvalid, field+".currency", "is %q, the transaction is in %q", e.Currency, tx.Currency)
		}
		if next, err := Add(sum, e.Amount); err != nil {
			overflow = true
		} else {
			sum = next
		}
	}
	if overflow || sum != 0 {
		add(ErrInvalid, "entries", "do not balance: they add up to %d, not 0", sum)
	}
	return errors.Join(errs...)
}

func isTxKind(k string) bool {
	for _, x := range TxKinds {
		if x == k {
			return true
		}
	}
	return false
}
