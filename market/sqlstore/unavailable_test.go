package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"testing"

	"techbridge/market"
)

// TestUnreachableDatabaseIsUnavailable: a PostgreSQL that refuses
// connections (stopped) is a dependency failure the API answers with 503,
// not an internal error; a plain SQL error stays internal.
func TestUnreachableDatabaseIsUnavailable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	pool, err := sql.Open("pgx", "postgres://postgres@"+addr+"/none?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db := &DB{dialect: Postgres, write: pool, read: pool}
	err = db.View(context.Background(), func(market.Tx) error { return nil })
	if code := market.ErrorCode(err); code != market.EUNAVAILABLE {
		t.Fatalf("stopped database: code %q (%v)", code, err)
	}
	// Read (one statement, no transaction) answers the same: a read that
	// met a reset connection once answered 500 instead of 503.
	err = db.Read(context.Background(), func(tx market.Tx) error {
		_, err := tx.LastEventSeq()
		return err
	})
	if code := market.ErrorCode(err); code != market.EUNAVAILABLE {
		t.Fatalf("stopped database, read without a transaction: code %q (%v)", code, err)
	}
	if code := market.ErrorCode(markUnavailable(errors.New("syntax error at or near"))); code != market.EINTERNAL {
		t.Fatalf("plain error: code %q", code)
	}
	if err := markUnavailable(context.Canceled); market.ErrorCode(err) != market.EINTERNAL || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancellation: %v", err)
	}
}
