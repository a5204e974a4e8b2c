package sqlstore_test

import (
	"context"
	"sync"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/market/testenv"
)

// TestPoolStaysWarm: a burst of concurrent reads opens at most MaxConns
// connections, and every one stays open for the next burst (idle = open),
// so a busy minute opens no new sessions; a second burst opens none.
func TestPoolStaysWarm(t *testing.T) {
	url := testenv.Lookup(t, sqltest.PostgresVar, "PostgreSQL")
	ctx := context.Background()
	const conns = 6
	db, err := sqlstore.OpenWith(ctx, url, "", sqlstore.Options{MaxConns: conns})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	burst := func() {
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 4 * conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				// Hold a connection long enough that the burst needs them all.
				if _, err := db.DB().ExecContext(ctx, "SELECT pg_sleep(0.05)"); err != nil {
					t.Error(err)
				}
			}()
		}
		close(start)
		wg.Wait()
	}
	burst()
	read, _ := db.PoolStats()
	if read.MaxOpenConnections != conns || read.OpenConnections != conns || read.Idle != conns || read.MaxIdleClosed != 0 {
		t.Fatalf("after a burst: %+v; want %d open and idle, none closed for idleness", read, conns)
	}
	burst()
	again, _ := db.PoolStats()
	if again.OpenConnections != conns || again.MaxIdleClosed != 0 {
		t.Fatalf("after a second burst: %+v", again)
	}
}

// TestReadReusesPreparedStatements: on SQLite a Read's statement is
// prepared once and reused, and a read through View after it still works
// (it borrows the prepared statement on its own connection).
func TestReadReusesPreparedStatements(t *testing.T) {
	db := sqltest.MustOpen(t)
	ctx := context.Background()
	org := listingOrg(t, db, 41, market.OrgUniversity, "上海市")
	o := sampleOutcome(org, "P1")
	if err := update(t, db, func(tx market.Tx) error { return tx.CreateOutcome(o) }); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		for _, read := range []func(context.Context, func(market.Tx) error) error{db.Read, db.View} {
			err := read(ctx, func(tx market.Tx) error {
				got, err := tx.OutcomeByID(o.ID)
				if err == nil && got.Title != o.Title {
					t.Fatalf("read %q", got.Title)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := sqlstore.PreparedStatements(db); n != 1 {
		t.Fatalf("%d statements prepared for one query read six times, want 1", n)
	}
}
