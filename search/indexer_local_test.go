package search_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/search"
)

// TestLocalIndexersEachIndexEverything is the two-instance bug: with an
// embedded index per instance, each instance must index every event into
// its own index and keep its own position. Before, one instance held the
// lease and the shared cursor, and the other's index stayed empty while
// its backlog read 0.
func TestLocalIndexersEachIndexEverything(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		m := newMarket(t, db)
		dir := t.TempDir()
		type instance struct {
			ix     *search.Indexer
			engine search.Engine
			stop   context.CancelFunc
			done   chan error
		}
		start := func(name string) *instance {
			in := &instance{engine: memEngine(t)}
			in.ix = &search.Indexer{Store: db, Engine: in.engine, Log: quietLog(), Holder: name,
				Local: search.CursorFile{Path: filepath.Join(dir, name+".cursor")}, Poll: 20 * time.Millisecond}
			ctx, cancel := context.WithCancel(context.Background())
			in.stop, in.done = cancel, make(chan error, 1)
			go func() { in.done <- in.ix.Run(ctx) }()
			return in
		}
		a, b := start("a"), start("b")
		for i := range 6 {
			m.publish(m.outcome(market.OutcomeInput{Title: fmt.Sprintf("实例索引测试 第%d项", i)}))
		}
		for _, in := range []*instance{a, b} {
			waitIndexed(t, in.ix.Holder+" to index 6 outcomes", func() bool {
				n, err := in.engine.Count(context.Background())
				bl, berr := in.ix.Backlog(context.Background())
				return err == nil && berr == nil && n == 6 && bl == 0
			})
		}
		a.stop()
		b.stop()
		<-a.done
		<-b.done

		// The shared cursor row and the lease table are left alone.
		err := db.View(context.Background(), func(tx market.Tx) error {
			cur, err := tx.Cursor(search.CursorName)
			if err == nil && cur != 0 {
				t.Errorf("shared cursor moved to %d by per-instance indexers", cur)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// A restarted instance resumes from its own file.
		posA, err := a.ix.Position(context.Background())
		if err != nil || posA == 0 {
			t.Fatalf("a's saved position %d, %v", posA, err)
		}
		if p, _ := (search.CursorFile{Path: filepath.Join(dir, "a.cursor")}).Load(); p != posA {
			t.Fatalf("cursor file %d, position %d", p, posA)
		}
	})
}

// TestCursorFile checks the file round trip and that a missing file is 0.
func TestCursorFile(t *testing.T) {
	f := search.CursorFile{Path: filepath.Join(t.TempDir(), "x.cursor")}
	if n, err := f.Load(); err != nil || n != 0 {
		t.Fatalf("missing file: %d, %v", n, err)
	}
	for _, want := range []int64{7, 123456789} {
		if err := f.Save(want); err != nil {
			t.Fatal(err)
		}
		if n, err := f.Load(); err != nil || n != want {
			t.Fatalf("load = %d, %v; want %d", n, err, want)
		}
	}
}
