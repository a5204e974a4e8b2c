package sqlstore_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"techbridge/market"
	"techbridge/market/ledger"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestLedgerRefusesOverflow is issue 11's poisoned clearing account: an
// entry of 9223372036854775807 took clearing:bank to −9.22e18 (a REAL on
// SQLite, "bigint out of range" on PostgreSQL) and every later funding on
// the platform failed. The store now refuses, inside the transaction, any
// posting beyond the bounds, and the account keeps working.
func TestLedgerRefusesOverflow(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		clearing := market.ClearingAccount(market.ProviderBank)
		post := func(tr market.Transaction) error {
			return db.Update(ctx, func(tx market.Tx) error { return tx.PostTransaction(tr) })
		}
		// The attack's own posting: refused by shape, not wrapped.
		if err := post(ledgerTx("milestone:evil:fund", math.MaxInt64, clearing, market.EscrowAccount("evil"))); market.ErrorCode(err) != market.EINVALID {
			t.Fatalf("an int64-maximum entry: %v, want invalid", err)
		}
		// Fill clearing:bank to its bound with valid postings, then one
		// more unit: refused as out of bounds, by name.
		if err := post(ledgerTx("milestone:a:fund", ledger.MaxBalance, clearing, market.EscrowAccount("a"))); err != nil {
			t.Fatal(err)
		}
		err := post(ledgerTx("milestone:b:fund", 1, clearing, market.EscrowAccount("b")))
		if market.ErrorCode(err) != market.EINVALID || !errors.Is(err, ledger.ErrOutOfBounds) {
			t.Fatalf("beyond the bound: %v, want ledger.ErrOutOfBounds", err)
		}
		// Money leaving clearing still posts: the account is not poisoned.
		out := ledgerTx("milestone:a:refund:v2", 1000, market.EscrowAccount("a"), clearing)
		out.Kind = market.TxRefund
		if err := post(out); err != nil {
			t.Fatalf("a refund after the refusal: %v", err)
		}
		if err := post(ledgerTx("milestone:b:fund2", 1000, clearing, market.EscrowAccount("b"))); err != nil {
			t.Fatalf("another deal's funding after the refusal: %v", err)
		}
		v, err := market.NewService(db).CheckLedger(ctx)
		if err != nil || len(v) != 0 {
			t.Fatalf("ledger check: %v %v", v, err)
		}
	})
}
