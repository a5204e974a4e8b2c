package main

import (
	"bytes"
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// overflowBalance books one sound funding, then edits the database by hand
// the way issue 11's attack left it: the escrow's balance row and its
// entries add up beyond int64. SQLite turns such a sum into a REAL; on
// PostgreSQL a bigint cannot hold it, so the entries are inserted by hand.
func overflowBalance(t *testing.T, db *sqlstore.DB) market.AccountKey {
	t.Helper()
	ctx := context.Background()
	escrow := market.EscrowAccount("poisoned")
	tr := market.Transaction{ID: market.NewID(), Kind: market.TxFund, IdempotencyKey: "milestone:p:fund", Currency: "CNY",
		At: time.Now().UTC().Truncate(time.Second), Entries: []market.Entry{
			{Account: market.ClearingAccount(market.ProviderBank), Amount: -1000, Currency: "CNY"},
			{Account: escrow, Amount: 1000, Currency: "CNY"}}}
	if err := db.Update(ctx, func(tx market.Tx) error { return tx.PostTransaction(tr) }); err != nil {
		t.Fatal(err)
	}
	for i, q := range []string{
		`INSERT INTO ledger_transactions (id, kind, idempotency_key, currency, at) VALUES ('evil', 'fund', 'evil', 'CNY', $1)`,
		`INSERT INTO ledger_entries (transaction_id, line, account, amount, currency) VALUES ('evil', 1, $2, $3, 'CNY')`,
		`INSERT INTO ledger_entries (transaction_id, line, account, amount, currency) VALUES ('evil', 2, $2, $3, 'CNY')`,
	} {
		args := []any{tr.At}
		if i > 0 {
			args = []any{string(escrow), int64(math.MaxInt64)}
			q = strings.ReplaceAll(strings.ReplaceAll(q, "$2", "$1"), "$3", "$2")
		}
		if _, err := db.DB().ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	overflowed := `UPDATE ledger_balances SET balance = 9.3e18 WHERE account = $1` // a REAL, as SQLite stored it
	if db.Dialect() == sqlstore.Postgres {
		overflowed = `UPDATE ledger_balances SET balance = 9223372036854775807 WHERE account = $1`
	}
	if _, err := db.DB().ExecContext(ctx, overflowed, string(escrow)); err != nil {
		t.Fatal(err)
	}
	return escrow
}

// TestLedgerCheckNamesAnOverflowedAccount: `ledger check` used to crash on
// such a database; it now names the account and fails, on both engines.
func TestLedgerCheckNamesAnOverflowedAccount(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		escrow := overflowBalance(t, db)
		var out bytes.Buffer
		err := ledgerCheck(context.Background(), market.NewService(db), &out)
		if err == nil {
			t.Fatalf("ledger check passed an overflowed ledger:\n%s", out.String())
		}
		if !strings.Contains(out.String(), string(escrow)) {
			t.Fatalf("the report does not name %s:\n%s", escrow, out.String())
		}
		if strings.Contains(out.String(), "clearing:bank CNY: stored") {
			t.Fatalf("a sound account reported:\n%s", out.String())
		}
	})
}

// TestLedgerCheckCommand runs the real command on an SQLite data dir edited
// by hand: it exits with an error and names the account.
func TestLedgerCheckCommand(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	escrow := overflowBalance(t, db)
	db.Close()
	var out bytes.Buffer
	err = run(ctx, []string{"ledger", "check", "--data-dir", filepath.Clean(dir)}, &out)
	if err == nil || !strings.Contains(out.String(), string(escrow)) {
		t.Fatalf("ledger check: %v\n%s", err, out.String())
	}
	if testing.Verbose() {
		t.Logf("%v\n%s", err, out.String())
	}
}
