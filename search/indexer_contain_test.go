package search_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/search"
)

// panickyEngine panics on writes while full is set, as Bleve's segment
// writer did when the disk filled.
type panickyEngine struct {
	search.Engine
	full *atomic.Bool
}

func (p panickyEngine) Upsert(ctx context.Context, docs ...search.Document) error {
	if p.full.Load() {
		panic("write /data/search.bleve/store/000000000042.zap: no space left on device")
	}
	return p.Engine.Upsert(ctx, docs...)
}

// TestIndexWriteFailureIsContained: a panicking index write (disk full)
// crashed the server; now the indexer reports the failure (Err, which
// /readyz shows), the market keeps taking writes, and once the engine
// works again the indexer catches up alone.
func TestIndexWriteFailureIsContained(t *testing.T) {
	db := sqltest.MustOpen(t)
	m := newMarket(t, db)
	full := &atomic.Bool{}
	full.Store(true)
	engine := memEngine(t)
	ix := &search.Indexer{Store: db, Engine: panickyEngine{engine, full}, Log: quietLog(), Poll: 10 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ix.Run(ctx) }()
	defer func() { cancel(); <-done }()

	m.publish(m.outcome(market.OutcomeInput{Title: "磁盘写满时的发布"}))
	waitIndexed(t, "the indexer to report the failed write", func() bool {
		err := ix.Err()
		return err != nil && strings.Contains(err.Error(), "no space left")
	})
	// Listing writes are still answered.
	m.publish(m.outcome(market.OutcomeInput{Title: "磁盘写满后的第二次发布"}))

	full.Store(false)
	waitIndexed(t, "recovery", func() bool {
		n, err := engine.Count(context.Background())
		b, berr := ix.Backlog(context.Background())
		return ix.Err() == nil && err == nil && berr == nil && n == 2 && b == 0
	})
}
