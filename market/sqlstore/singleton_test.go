package sqlstore_test

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// jobRecord counts who ran a singleton job and how many ran at once.
type jobRecord struct {
	mu      sync.Mutex
	runs    map[string]int
	running atomic.Int32
	overlap atomic.Bool
}

func (r *jobRecord) job(holder string) func(context.Context) error {
	return func(ctx context.Context) error {
		if r.running.Add(1) > 1 {
			r.overlap.Store(true)
		}
		defer r.running.Add(-1)
		r.mu.Lock()
		r.runs[holder]++
		r.mu.Unlock()
		select { // a job that takes a while, so overlaps would show
		case <-ctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
		return nil
	}
}

func (r *jobRecord) count(holder string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runs[holder]
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second) // only stops a hung test
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestSingletonRunsOnOneInstance runs the same job on two "instances": only
// the lease holder runs it, never both at once; when the holder stops the
// other takes over; and a crashed holder restarted under its own id takes
// its lease back at once instead of waiting out the old period.
func TestSingletonRunsOnOneInstance(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		quiet := slog.New(slog.DiscardHandler)
		rec := &jobRecord{runs: map[string]int{}}
		start := func(holder string, ttl time.Duration) (stop func()) {
			s := &market.Singleton{Store: db, Name: "sweeper", Holder: holder, TTL: ttl, Log: quiet}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); s.Run(ctx, 30*time.Millisecond, rec.job(holder)) }()
			return func() { cancel(); <-done }
		}
		stopA := start("a", 900*time.Millisecond)
		waitFor(t, "a to run", func() bool { return rec.count("a") > 0 })
		stopB := start("b", 900*time.Millisecond)
		time.Sleep(1200 * time.Millisecond) // over one lease period: a renews, b stays out
		if n := rec.count("b"); n != 0 {
			t.Fatalf("b ran %d times while a held the lease", n)
		}
		stopA()
		waitFor(t, "b to take over", func() bool { return rec.count("b") > 0 })
		stopB()
		if rec.overlap.Load() {
			t.Fatal("two instances ran the job at once")
		}

		// A crash leaves c's lease behind with a long period; c restarted
		// under the same id runs at once, d does not.
		if !takeLease(t, db, "c", time.Now()) { // "job" lease, 10 s
			t.Fatal("c could not take the free lease")
		}
		crash := &market.Singleton{Store: db, Name: "job", Holder: "c", TTL: 10 * time.Second, Log: quiet}
		other := &market.Singleton{Store: db, Name: "job", Holder: "d", TTL: 10 * time.Second, Log: quiet}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for _, s := range []*market.Singleton{other, crash} {
			wg.Go(func() { s.Run(ctx, time.Hour, rec.job(s.Holder)) })
		}
		waitFor(t, "the restarted c to run", func() bool { return rec.count("c") > 0 })
		cancel()
		wg.Wait()
		if n := rec.count("d"); n != 0 {
			t.Fatalf("d ran %d times while c's lease was live", n)
		}
	})
}
