package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore"
)

// TestAdminCreateFinance: `techbridge admin create --role finance` makes a
// finance account (the money desk), and an unknown role is refused naming
// the roles there are.
func TestAdminCreateFinance(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	err := run(context.Background(), []string{"admin", "create", "--data-dir", dir, "--database-url=", "--email", "desk@example.cn",
		"--password", "long enough secret", "--role", "finance"}, &out)
	if err != nil || !strings.Contains(out.String(), "is now finance") {
		t.Fatalf("admin create --role finance: %v\n%s", err, out.String())
	}
	db, err := sqlstore.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := market.NewService(db)
	var acc *market.Account
	if err := db.View(context.Background(), func(tx market.Tx) (err error) { acc, err = tx.AccountByEmail("desk@example.cn"); return err }); err != nil {
		t.Fatal(err)
	}
	a, err := svc.ActorFor(context.Background(), acc.ID)
	if err != nil || !a.IsFinance() || a.IsAdmin() || a.IsReviewer() {
		t.Fatalf("the finance account's powers: %+v %v", a, err)
	}
	err = run(context.Background(), []string{"admin", "create", "--data-dir", dir, "--database-url=", "--email", "x@example.cn",
		"--password", "long enough secret", "--role", "cashier"}, &out)
	if err == nil || !strings.Contains(err.Error(), "admin, reviewer, registrar or finance") {
		t.Fatalf("an unknown role: %v", err)
	}
}
