package search_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/search"
)

// writeLog records which indexer wrote to the shared engine, in order.
type writeLog struct {
	mu      sync.Mutex
	writers []string
}

func (w *writeLog) add(holder string) {
	w.mu.Lock()
	w.writers = append(w.writers, holder)
	w.mu.Unlock()
}

func (w *writeLog) since(i int) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.writers[i:]...)
}

// loggedEngine is one instance's handle on the shared engine.
type loggedEngine struct {
	search.Engine
	holder string
	log    *writeLog
}

func (e loggedEngine) Upsert(ctx context.Context, docs ...search.Document) error {
	e.log.add(e.holder)
	return e.Engine.Upsert(ctx, docs...)
}

// waitIndexed polls cond until it holds; the deadline only stops a hung test.
func waitIndexed(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestCompetingIndexers runs two serve-like indexers against one database
// and one engine: exactly one holds the lease and writes; when it stops,
// the other takes over and nothing published is lost.
func TestCompetingIndexers(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		m := newMarket(t, db)
		shared := memEngine(t)
		log := &writeLog{}
		start := func(holder string) (*search.Indexer, context.CancelFunc, chan error) {
			ix := &search.Indexer{Store: db, Engine: loggedEngine{shared, holder, log}, Log: quietLog(),
				Holder: holder, Poll: 20 * time.Millisecond, LeaseTTL: 900 * time.Millisecond}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- ix.Run(ctx) }()
			return ix, cancel, done
		}
		publishN := func(from, n int) {
			for i := from; i < from+n; i++ {
				m.publish(m.outcome(market.OutcomeInput{Title: fmt.Sprintf("竞争索引测试 第%d项", i)}))
			}
		}
		indexed := func(n int) func() bool {
			return func() bool {
				c, err := shared.Count(context.Background())
				b, berr := newIndexer(db, nil).Backlog(context.Background())
				return err == nil && berr == nil && c == n && b == 0
			}
		}

		a, stopA, doneA := start("a")
		waitIndexed(t, "a to take the lease", a.Leader)
		b, stopB, doneB := start("b")
		defer func() { stopB(); <-doneB }()
		publishN(0, 5)
		waitIndexed(t, "5 outcomes indexed", indexed(5))
		if b.Leader() || !a.Leader() {
			t.Fatalf("leaders: a %v, b %v; want a only", a.Leader(), b.Leader())
		}
		for _, w := range log.since(0) {
			if w != "a" {
				t.Fatalf("writes %v while a held the lease", log.since(0))
			}
		}

		stopA()
		if err := <-doneA; err != nil {
			t.Fatal(err)
		}
		mark := len(log.since(0))
		publishN(5, 3)
		waitIndexed(t, "b to take over and index 8 outcomes", indexed(8))
		after := log.since(mark)
		if len(after) == 0 || !b.Leader() {
			t.Fatalf("after a stopped: writes %v, b leader %v", after, b.Leader())
		}
		for _, w := range after {
			if w != "b" {
				t.Fatalf("writes after a stopped: %v, want b only", after)
			}
		}
	})
}
