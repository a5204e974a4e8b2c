package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

// keyBatcher coalesces concurrent reads of single rows by key of one table
// outside a transaction (DB.Read). While maxRunning reads of the table are
// at the database, later ones queue, and when a read comes back the keys
// queued meanwhile are read in one statement. A lone read runs on its
// caller's goroutine after one yield (gather). Under load a read costs a
// share of one round trip and of one statement's fixed work (on PostgreSQL
// about 50 µs of client, server and switching CPU per statement: pgbench
// reads four times as many rows per second eight at a time as one at a
// time; on SQLite a lone read by id took 41 µs and sixteen in one
// statement 12 µs each, at -cpu 1 on a loaded machine).
// Nothing is kept: every read is asked of the database after its caller
// asked for it.
type keyBatcher struct {
	keyBatching
	fetch keyFetch
	// clone copies a row for a second caller of the same key: callers may
	// change what they are given (a redaction replaces the listing).
	clone   func(any) any
	mu      sync.Mutex
	running int
	pending []*keyCall
}

// keyBatching is how a store's batchers batch, the same for every table.
type keyBatching struct {
	maxRunning, maxBatch int
	// watch: a queued caller stops waiting when its context ends. Off on
	// SQLite, whose reads by key take microseconds and do not watch either
	// (keyRow): a wait that watches makes the request's deadline timer
	// (api's lazyDeadline), and a caller whose context has ended by the
	// time its batch is read is still left out of it.
	watch bool
	// gather, when set, runs before a lone read, whose keys it then reads
	// with those of the callers queued meanwhile. A store sets it to
	// runtime.Gosched: the goroutines ready to run reach the batcher first.
	// A read by key is shorter than the time between two arrivals (on
	// SQLite it is CPU work in process), so batches seldom formed by
	// waiting alone; on an idle machine nothing else is ready and the yield
	// returns at once. bench api's uncached detail row, 20k, alternating:
	// SQLite 0.49/0.44/0.46× of hello without, 0.55/0.46/0.56× with;
	// PostgreSQL's server CPU per read 36/36 µs without, 31/27 µs with.
	gather func()
}

// keyBatchers are a store's batchers, one per table.
type keyBatchers struct {
	keyBatching
	mu sync.Mutex
	m  map[string]*keyBatcher
}

// of returns table's batcher; reader makes its fetch and clone on first
// use only, so a read builds no closures.
func (bs *keyBatchers) of(table string, reader func() (keyFetch, func(any) any)) *keyBatcher {
	bs.mu.Lock()
	defer bs.mu.Unlock()
	b := bs.m[table]
	if b == nil {
		fetch, clone := reader()
		b = &keyBatcher{keyBatching: bs.keyBatching, fetch: fetch, clone: clone}
		if bs.m == nil {
			bs.m = map[string]*keyBatcher{}
		}
		bs.m[table] = b
	}
	return b
}

// maxKeyBatch bounds the keys of one statement on PostgreSQL; SQLite's are
// bounded by the prepared statements' (maxCachedStmtArgs).
const maxKeyBatch = 64

// pgKeyBatchRunning is how many reads by key of one table run at once on
// PostgreSQL before later ones are batched. bench api's uncached detail row
// (32 clients) read 0.40/0.39× of hello with 1, 0.35/0.36× with 2,
// 0.33/0.30× with 4 and 0.27/0.22× unbatched; 2 rather than 1 so that one
// slow round trip does not hold every detail read of the table.
const pgKeyBatchRunning = 2

// liteKeyBatchRunning is the same on SQLite, where a read takes microseconds
// in process: with 4 (the readers) batches rarely formed and bench api saw
// no gain; with 1 the detail row read 0.47/0.45× of hello against 0.40/0.40×
// (a statement's fixed work, the column names and types the driver reads
// afresh for each, shared by a batch).
const liteKeyBatchRunning = 1

// keyCall is one caller's read.
type keyCall struct {
	ctx  context.Context
	key  string
	done chan struct{} // nil for the caller running its own read
	val  any
	err  error
}

// keyFetch reads the rows of keys under ctx and passes each to found with
// its key; a missing key is left out.
type keyFetch func(ctx context.Context, keys []string, found func(key string, row any)) error

// get reads key's row through fetch, alone or in a batch; a missing row is
// sql.ErrNoRows.
func (b *keyBatcher) get(ctx context.Context, key string) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c := &keyCall{ctx: ctx, key: key}
	b.mu.Lock()
	if b.running < b.maxRunning {
		b.running++
		b.mu.Unlock()
		calls := []*keyCall{c}
		if b.gather != nil {
			b.gather()
			b.mu.Lock()
			n := min(len(b.pending), b.maxBatch-1)
			calls = append(calls, b.pending[:n]...)
			b.pending = append(b.pending[:0], b.pending[n:]...)
			b.mu.Unlock()
		}
		b.run(calls)
		return c.val, c.err
	}
	c.done = make(chan struct{})
	b.pending = append(b.pending, c)
	b.mu.Unlock()
	if !b.watch {
		<-c.done
		return c.val, c.err
	}
	select {
	case <-c.done:
		return c.val, c.err
	case <-ctx.Done():
		return nil, ctx.Err() // the batch still answers; no one reads it
	}
}

// run reads calls, then hands its slot to a batch of the calls queued
// meanwhile, on a goroutine of its own so that its caller returns now.
func (b *keyBatcher) run(calls []*keyCall) {
	b.read(calls)
	b.mu.Lock()
	if len(b.pending) == 0 {
		b.running--
		b.mu.Unlock()
		return
	}
	n := min(len(b.pending), b.maxBatch)
	next := make([]*keyCall, n)
	copy(next, b.pending)
	b.pending = append(b.pending[:0], b.pending[n:]...)
	b.mu.Unlock()
	go b.run(next)
}

// read reads the keys of calls whose callers still wait and answers each.
func (b *keyBatcher) read(calls []*keyCall) {
	var err error
	if c := calls[0]; len(calls) == 1 {
		if c.ctx.Err() == nil {
			err = b.fetchSafely(c.ctx, []string{c.key}, func(_ string, row any) { c.val = row })
		}
	} else {
		byKey := make(map[string][]*keyCall, len(calls))
		keys := make([]string, 0, len(calls))
		for _, c := range calls {
			if c.ctx.Err() != nil {
				continue // gone
			}
			if byKey[c.key] == nil {
				keys = append(keys, c.key)
			}
			byKey[c.key] = append(byKey[c.key], c)
		}
		if len(keys) > 0 {
			ctx, cancel := batchContext(calls)
			err = b.fetchSafely(ctx, keys, func(key string, row any) {
				for i, c := range byKey[key] {
					if i > 0 {
						row = b.clone(row)
					}
					c.val = row
				}
			})
			cancel()
		}
	}
	for _, c := range calls {
		switch {
		case err != nil:
			c.err, c.val = err, nil
		case c.val != nil:
		case c.ctx.Err() != nil:
			c.err = c.ctx.Err()
		default:
			c.err = sql.ErrNoRows
		}
		if c.done != nil {
			close(c.done)
		}
	}
}

// fetchSafely is fetch with a panic turned into the read's error: a panic
// would otherwise leave the batcher's slot taken and the queued callers
// waiting, and every later read of the table with them.
func (b *keyBatcher) fetchSafely(ctx context.Context, keys []string, found func(string, any)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sqlstore: a read by key panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return b.fetch(ctx, keys, found)
}

// batchContext is the context of a read for several callers: their values
// (the first's), cancelled by none of them alone, bounded by the latest of
// their deadlines when each has one. A lone caller's read runs under its
// own context.
func batchContext(calls []*keyCall) (context.Context, context.CancelFunc) {
	if len(calls) == 1 {
		return calls[0].ctx, func() {}
	}
	var latest time.Time
	for _, c := range calls {
		d, ok := c.ctx.Deadline()
		if !ok {
			return context.WithoutCancel(calls[0].ctx), func() {}
		}
		if d.After(latest) {
			latest = d
		}
	}
	return context.WithDeadline(context.WithoutCancel(calls[0].ctx), latest)
}
