package sqlstore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

func takeLease(t *testing.T, db *sqlstore.DB, holder string, now time.Time) bool {
	t.Helper()
	var ok bool
	if err := update(t, db, func(tx market.Tx) (err error) {
		ok, err = tx.TakeLease("job", holder, now, 10*time.Second)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return ok
}

func TestLeaseTakeRenewExpireRelease(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		steps := []struct {
			holder string
			at     time.Duration // after t0
			want   bool
			why    string
		}{
			{"a", 0, true, "a free lease is taken"},
			{"b", time.Second, false, "a held lease is refused to another holder"},
			{"a", 5 * time.Second, true, "the holder renews"},
			{"b", 14 * time.Second, false, "the renewal moved the expiry to 15s"},
			{"b", 15 * time.Second, true, "an expired lease is taken over"},
			{"a", 16 * time.Second, false, "the old holder lost it"},
		}
		for _, s := range steps {
			if got := takeLease(t, db, s.holder, t0.Add(s.at)); got != s.want {
				t.Fatalf("%s at +%v: got %v; %s", s.holder, s.at, got, s.why)
			}
		}
		// Releasing someone else's lease changes nothing; the holder's own
		// release frees it at once.
		if err := update(t, db, func(tx market.Tx) error { return tx.ReleaseLease("job", "a") }); err != nil {
			t.Fatal(err)
		}
		if takeLease(t, db, "a", t0.Add(17*time.Second)) {
			t.Fatal("a took b's lease after releasing a lease it did not hold")
		}
		if err := update(t, db, func(tx market.Tx) error { return tx.ReleaseLease("job", "b") }); err != nil {
			t.Fatal(err)
		}
		if !takeLease(t, db, "a", t0.Add(17*time.Second)) {
			t.Fatal("a released lease was not free")
		}
	})
}

// TestLeaseRaceHasOneWinner has many holders race for a free lease at once;
// the conditional upsert must grant it to exactly one.
func TestLeaseRaceHasOneWinner(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		for round := range 5 {
			now := t0.Add(time.Duration(round) * time.Minute) // each round, the last lease has expired
			var wg sync.WaitGroup
			var mu sync.Mutex
			var winners []string
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					holder := fmt.Sprintf("r%d-h%d", round, i)
					var ok bool
					err := db.Update(context.Background(), func(tx market.Tx) (err error) {
						ok, err = tx.TakeLease("job", holder, now, 10*time.Second)
						return err
					})
					if err != nil {
						t.Error(err)
						return
					}
					if ok {
						mu.Lock()
						winners = append(winners, holder)
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if len(winners) != 1 {
				t.Fatalf("round %d: winners %v, want exactly one", round, winners)
			}
		}
	})
}
