package market

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"techbridge/market/ledger"
)

// CheckLedger recomputes every balance from the stored transactions and
// returns each broken invariant: a transaction that does not validate (and
// so does not balance per currency), a guarded account below zero, an
// idempotency key used twice, a balance the database sums differently, and
// a stored balance row that differs from the derived one. None means the
// ledger is sound.
//
// A balance the database holds but cannot give back as a bounded integer
// (an overflowed row, edited by hand or written before the bounds) is a
// violation naming its account, not a failure of the check.
func (s *Service) CheckLedger(ctx context.Context) ([]string, error) {
	var txs []Transaction
	var stored, summed Balances
	var unreadable []string
	keep := func(err error) error {
		bad, ok := unreadableBalances(err)
		if !ok {
			return err
		}
		for _, u := range bad {
			unreadable = append(unreadable, u.Error())
		}
		return nil
	}
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		if txs, err = tx.LedgerTransactions(LedgerFilter{}); err != nil {
			return err
		}
		if stored, err = tx.StoredBalances(); keep(err) != nil {
			return err
		}
		var accounts []AccountKey
		seen := map[AccountKey]bool{}
		for k := range stored {
			if !seen[k.Account] {
				seen[k.Account] = true
				accounts = append(accounts, k.Account)
			}
		}
		summed, err = tx.AccountBalances(accounts...)
		return keep(err)
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(unreadable)
	return append(unreadable, LedgerViolations(txs, stored, summed)...), nil
}

// unreadableBalances returns the UnreadableBalance errors err is made of,
// and false when it holds anything else (or nothing).
func unreadableBalances(err error) ([]*UnreadableBalance, bool) {
	if err == nil {
		return nil, true
	}
	var out []*UnreadableBalance
	var walk func(error) bool
	walk = func(err error) bool {
		var u *UnreadableBalance
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				if !walk(x) {
					return false
				}
			}
			return true
		}
		if errors.As(err, &u) {
			out = append(out, u)
			return true
		}
		return false
	}
	return out, walk(err)
}

// LedgerViolations is CheckLedger's pure part: txs are every transaction,
// stored the balance rows, summed the database's sums of entries.
func LedgerViolations(txs []Transaction, stored, summed Balances) []string {
	var out []string
	keys := map[string]string{}
	for _, t := range txs {
		if err := t.Validate(); err != nil {
			out = append(out, fmt.Sprintf("transaction %s (%s): %s", t.ID, t.IdempotencyKey, ErrorMessage(err)))
		}
		if prev, dup := keys[t.IdempotencyKey]; dup {
			out = append(out, fmt.Sprintf("idempotency key %s used by %s and %s", t.IdempotencyKey, prev, t.ID))
		}
		keys[t.IdempotencyKey] = t.ID
	}
	derived, overflowed := CheckedBalances(txs)
	for _, k := range overflowed {
		out = append(out, fmt.Sprintf("account %s %s: its entries add up beyond the ledger's bound of ±%d", k.Account, k.Currency, ledger.MaxBalance))
	}
	currencies := map[string]bool{}
	for k := range derived {
		currencies[k.Currency] = true
	}
	for c := range currencies {
		if sum := derived.Sum(c); sum != 0 {
			out = append(out, fmt.Sprintf("currency %s: balances add up to %d, not 0", c, sum))
		}
	}
	for _, k := range sortedBalanceKeys(derived, stored, summed) {
		d := derived[k]
		if d < 0 && k.Account.NonNegative() {
			out = append(out, fmt.Sprintf("account %s holds %d %s; it must not go below zero", k.Account, d, k.Currency))
		}
		if st, ok := stored[k]; (ok || d != 0) && st != d {
			out = append(out, fmt.Sprintf("account %s %s: stored balance %d, entries add up to %d", k.Account, k.Currency, st, d))
		}
		if sm := summed[k]; sm != d && (sm != 0 || d != 0) {
			out = append(out, fmt.Sprintf("account %s %s: the database sums %d, the transactions %d", k.Account, k.Currency, sm, d))
		}
	}
	return out
}

func sortedBalanceKeys(bs ...Balances) []BalanceKey {
	seen := map[BalanceKey]bool{}
	var keys []BalanceKey
	for _, b := range bs {
		for k := range b {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Account != keys[j].Account {
			return keys[i].Account < keys[j].Account
		}
		return keys[i].Currency < keys[j].Currency
	})
	return keys
}

// Reconcile compares the ledger and the payment operations with the
// provider's own records and returns every mismatch: a completed operation
// the provider does not know (or knows with another amount), a provider
// record no operation claims, a completed operation without its ledger
// transaction, and provider refunds the ledger lacks.
func (s *Service) Reconcile(ctx context.Context) ([]string, error) {
	p, err := s.payments()
	if err != nil {
		return nil, err
	}
	records, err := p.Provider.Records(ctx)
	if err != nil {
		return nil, err
	}
	var ops []PaymentOp
	var txs []Transaction
	var ms = map[string]*Milestone{}
	err = s.Store.View(ctx, func(tx Tx) error {
		if ops, err = tx.ListPaymentOps(PaymentOpFilter{}); err != nil {
			return err
		}
		if txs, err = tx.LedgerTransactions(LedgerFilter{}); err != nil {
			return err
		}
		for _, op := range ops {
			if op.Kind == PayFund && op.ProviderRefunded > 0 && ms[op.MilestoneID] == nil {
				if ms[op.MilestoneID], err = tx.MilestoneByID(op.MilestoneID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return Mismatches(p.Provider.Name(), ops, txs, records, ms), nil
}

// Mismatches is Reconcile's pure part.
func Mismatches(provider string, ops []PaymentOp, txs []Transaction, records []ProviderRecord, ms map[string]*Milestone) []string {
	var out []string
	byKey := map[string]Transaction{}
	for _, t := range txs {
		byKey[t.IdempotencyKey] = t
	}
	recByRef := map[string]ProviderRecord{}
	for _, r := range records {
		recByRef[r.Kind+":"+r.Ref] = r
	}
	claimed := map[string]bool{}
	for _, op := range ops {
		if op.Provider != provider {
			continue
		}
		if op.State == PaySucceeded && op.ExternalRef == "" {
			out = append(out, fmt.Sprintf("%s %s (%s) succeeded without a reference", op.Kind, op.ID, op.IdempotencyKey))
		}
		if op.State == PaySucceeded && provider != ProviderBank {
			r, ok := recByRef[op.Kind+":"+op.ExternalRef]
			claimed[op.Kind+":"+op.ExternalRef] = true
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("%s %s (%s): %s has no record %s", op.Kind, op.ID, op.IdempotencyKey, provider, op.ExternalRef))
			case r.Amount != op.Amount || r.Currency != op.Currency:
				out = append(out, fmt.Sprintf("%s %s (%s): ledger %d %s, %s %d %s", op.Kind, op.ID, op.IdempotencyKey,
					op.Amount, op.Currency, provider, r.Amount, r.Currency))
			}
		}
		switch {
		case op.Kind == PayFund && op.State == PaySucceeded:
			if t, ok := byKey[op.IdempotencyKey]; !ok {
				out = append(out, fmt.Sprintf("fund %s (%s): no ledger transaction", op.ID, op.IdempotencyKey))
			} else if fundAmount(t) != op.Amount {
				out = append(out, fmt.Sprintf("fund %s: ledger %d, operation %d", op.ID, fundAmount(t), op.Amount))
			}
			if m := ms[op.MilestoneID]; m != nil && op.ProviderRefunded > m.Refunded {
				out = append(out, fmt.Sprintf("fund %s: %s refunded %d, the ledger %d", op.ID, provider, op.ProviderRefunded, m.Refunded))
			}
		case op.Kind == PayTransfer && op.State == PaySucceeded:
			if _, ok := byKey["payout:"+op.ID]; !ok {
				out = append(out, fmt.Sprintf("transfer %s (%s): no ledger payout", op.ID, op.IdempotencyKey))
			}
		case op.State == PayPending && op.Kind != PayFund:
			out = append(out, fmt.Sprintf("%s %s (%s) of %d %s is still pending", op.Kind, op.ID, op.IdempotencyKey, op.Amount, op.Currency))
		}
	}
	for _, r := range records {
		if !claimed[r.Kind+":"+r.Ref] {
			out = append(out, fmt.Sprintf("%s record %s %s of %d %s matches no operation", provider, r.Kind, r.Ref, r.Amount, r.Currency))
		}
	}
	return out
}

func fundAmount(t Transaction) int64 {
	for _, e := range t.Entries {
		if e.Account.Kind() == AccountEscrow {
			return e.Amount
		}
	}
	return 0
}
