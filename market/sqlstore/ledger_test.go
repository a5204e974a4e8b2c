package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

func ledgerTx(key string, amount int64, from, to market.AccountKey) market.Transaction {
	return market.Transaction{ID: market.NewID(), Kind: market.TxFund, IdempotencyKey: key, Currency: "CNY",
		At: time.Now().UTC().Truncate(time.Microsecond), Refs: market.TxRefs{DealID: "d1"},
		Entries: []market.Entry{{Account: from, Amount: -amount, Currency: "CNY"}, {Account: to, Amount: amount, Currency: "CNY"}}}
}

// TestLedgerPostingAndImmutability books transactions, refuses a replayed
// key and an overdraft, and shows that entries and transactions refuse
// UPDATE and DELETE on both engines, even through raw SQL.
func TestLedgerPostingAndImmutability(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		escrow, clearing := market.EscrowAccount("d1"), market.ClearingAccount(market.ProviderBank)
		fund := ledgerTx("milestone:m1:fund", 1000, clearing, escrow)
		if err := db.Update(ctx, func(tx market.Tx) error { return tx.PostTransaction(fund) }); err != nil {
			t.Fatal(err)
		}
		replay := ledgerTx("milestone:m1:fund", 1000, clearing, escrow)
		if err := db.Update(ctx, func(tx market.Tx) error { return tx.PostTransaction(replay) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Fatalf("replayed key: %v", err)
		}
		over := ledgerTx("milestone:m1:refund:v3", 1001, escrow, clearing)
		over.Kind = market.TxRefund
		if err := db.Update(ctx, func(tx market.Tx) error { return tx.PostTransaction(over) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Fatalf("overdraft of escrow: %v", err)
		}
		for _, q := range []string{
			`UPDATE ledger_entries SET amount = amount + 1`,
			`DELETE FROM ledger_entries`,
			`UPDATE ledger_transactions SET kind = 'refund'`,
			`DELETE FROM ledger_transactions`,
		} {
			if _, err := db.DB().ExecContext(ctx, q); err == nil {
				t.Errorf("%s: accepted, want refused by trigger", q)
			}
		}
		err := db.View(ctx, func(tx market.Tx) error {
			got, err := tx.TransactionByKey("milestone:m1:fund")
			if err != nil {
				return err
			}
			if len(got.Entries) != 2 || got.Entries[1].Amount != 1000 || !got.At.Equal(fund.At) {
				t.Errorf("read back %+v", got)
			}
			b, err := tx.AccountBalances(escrow, clearing)
			if err != nil {
				return err
			}
			stored, err := tx.StoredBalances()
			if err != nil {
				return err
			}
			if b.Of(escrow, "CNY") != 1000 || b.Of(clearing, "CNY") != -1000 || stored.Of(escrow, "CNY") != 1000 {
				t.Errorf("balances %v stored %v", b, stored)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// A stored balance edited behind the ledger's back is a violation.
		if _, err := db.DB().ExecContext(ctx, `UPDATE ledger_balances SET balance = 5 WHERE account = $1`, string(escrow)); err != nil {
			t.Fatal(err)
		}
		v, err := market.NewService(db).CheckLedger(ctx)
		if err != nil || len(v) != 1 {
			t.Fatalf("check after tampering: %v %v", v, err)
		}
	})
}
