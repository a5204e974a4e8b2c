package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"techbridge/market"
)

// Indexer names in the store.
const (
	// CursorName is the indexer's position in the event log.
	CursorName = "search"
	// LeaseName is the lease that lets one instance index at a time.
	LeaseName = "search-indexer"
)

// Indexer defaults.
const (
	DefaultIndexBatch = 1000
	DefaultPoll       = 250 * time.Millisecond
	DefaultLeaseTTL   = 15 * time.Second
)

// ErrLeaseLost means another instance took the indexer lease while this one
// was working; its cursor was not saved and it goes back to standby.
var ErrLeaseLost = errors.New("search indexer: lease lost to another instance")

// Indexer keeps an Engine in step with the market's event log. It reads the
// events after its saved cursor, reloads every listing they name from the
// store and upserts it (published) or deletes it (anything else), then
// saves the cursor. Reloading rather than trusting event payloads means an
// older version can never overwrite a newer one, whatever the order of
// work; the engines' version guard covers two indexers racing. The cursor is
// saved after the engine write, so a crash in between repeats work
// (at-least-once) and never loses it; upserts are idempotent.
//
// A shared engine (Meilisearch) is indexed once for every instance: a
// lease (market.LeaseTx) keeps indexing to one of them, the cursor is the
// shared row CursorName, and the others stand by and take over when the
// lease expires. An embedded engine (Bleve) is one instance's own: with
// Local set the indexer takes no lease and keeps its cursor beside the
// index, so every instance indexes every event for itself.
type Indexer struct {
	Store  market.Store
	Engine Engine
	Log    *slog.Logger
	// Local, when set, makes this a per-instance indexer: no lease, and the
	// position is kept here instead of in the shared cursors table.
	Local LocalCursor
	// Now is the lease clock; nil means time.Now.
	Now func() time.Time
	// Holder names this instance in the lease table; "" means a new id.
	Holder string
	// Batch is how many events one step reads; 0 means DefaultIndexBatch.
	Batch int
	// Poll is how often an idle indexer looks for events it was not nudged
	// about (commits of other instances); 0 means DefaultPoll.
	Poll time.Duration
	// LeaseTTL is the lease period, renewed every third of it; 0 means
	// DefaultLeaseTTL.
	LeaseTTL time.Duration

	initOnce sync.Once
	nudge    chan struct{}
	renewed  time.Time // when the lease was last taken or renewed; zero when not held
	held     atomic.Bool
	lastErr  atomic.Pointer[error]
}

// IndexStats counts one catch-up's work.
type IndexStats struct {
	Events  int // events read
	Upserts int // documents written
	Deletes int // documents removed
}

func (ix *Indexer) init() {
	ix.initOnce.Do(func() {
		ix.nudge = make(chan struct{}, 1)
		if ix.Log == nil {
			ix.Log = slog.Default()
		}
		if ix.Now == nil {
			ix.Now = time.Now
		}
		if ix.Holder == "" {
			ix.Holder = market.NewID()
		}
		if ix.Batch <= 0 {
			ix.Batch = DefaultIndexBatch
		}
		if ix.Poll <= 0 {
			ix.Poll = DefaultPoll
		}
		if ix.LeaseTTL <= 0 {
			ix.LeaseTTL = DefaultLeaseTTL
		}
		// A per-instance index is always its own indexer's to write.
		ix.held.Store(ix.Local != nil)
	})
}

// Nudge tells a running indexer that something was committed, so a publish
// is searchable without waiting for the next poll. It never blocks.
func (ix *Indexer) Nudge() {
	ix.init()
	select {
	case ix.nudge <- struct{}{}:
	default:
	}
}

// Leader reports whether this indexer currently holds the lease.
func (ix *Indexer) Leader() bool { return ix.held.Load() }

// Err returns the error of the last step, nil when it succeeded.
func (ix *Indexer) Err() error {
	if p := ix.lastErr.Load(); p != nil {
		return *p
	}
	return nil
}

// Backlog counts the events not yet indexed: LastEventSeq − cursor.
func (ix *Indexer) Backlog(ctx context.Context) (int64, error) {
	var last int64
	err := ix.Store.View(ctx, func(tx market.Tx) (err error) {
		last, err = tx.LastEventSeq()
		return err
	})
	if err != nil {
		return 0, err
	}
	cur, err := ix.Position(ctx)
	return max(0, last-cur), err
}

// Run indexes until ctx is done: as the lease holder it catches up after
// every nudge and poll; otherwise it stands by and tries for the lease
// every third of its period. Failures are logged and retried with backoff.
// It gives the lease up on return.
func (ix *Indexer) Run(ctx context.Context) error {
	ix.init()
	defer ix.release()
	var backoff time.Duration
	for {
		_, err := ix.catchUpOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := ix.Poll
		if err != nil {
			backoff = min(max(2*backoff, 500*time.Millisecond), 30*time.Second)
			wait = backoff
			ix.Log.Warn("search indexer", "err", err, "retry_in", backoff)
		} else {
			backoff = 0
		}
		nudged := ix.nudge
		if !ix.held.Load() {
			wait, nudged = ix.LeaseTTL/3, nil // a standby has nothing to be nudged about
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-nudged:
		case <-t.C:
		}
		t.Stop()
	}
}

// CatchUp takes the lease (waiting for it while another instance holds it,
// until ctx is done), indexes every event up to the end of the log, and
// gives the lease back. Commands such as eval and bench use it.
func (ix *Indexer) CatchUp(ctx context.Context) (IndexStats, error) {
	ix.init()
	defer ix.release()
	for {
		st, err := ix.catchUpOnce(ctx)
		if err != nil || ix.held.Load() {
			return st, err
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-time.After(min(ix.LeaseTTL/3, time.Second)):
		}
	}
}

// catchUpOnce takes or renews the lease and, when held, indexes batches
// until the log is exhausted. Each batch is read (events and the listings
// they name) while the one before it is written to the engine: the two
// use different resources, and the cursor is still saved batch by batch,
// after each engine write.
func (ix *Indexer) catchUpOnce(ctx context.Context) (IndexStats, error) {
	var total IndexStats
	ok, err := ix.lease(ctx)
	if err != nil || !ok {
		ix.setErr(err)
		return total, err
	}
	cur, err := ix.Position(ctx)
	if err != nil {
		ix.setErr(err)
		return total, err
	}
	next := ix.read(ctx, cur)
	for {
		b := next
		if b.err != nil || b.events == 0 {
			ix.setErr(b.err)
			return total, b.err
		}
		ahead := make(chan batch, 1)
		go func() { ahead <- ix.read(ctx, b.last) }()
		err := ix.write(ctx, b)
		next = <-ahead
		ix.setErr(err)
		if err != nil {
			return total, err
		}
		total.Events += b.events
		total.Upserts += len(b.upserts)
		total.Deletes += len(b.deletes)
	}
}

func (ix *Indexer) setErr(err error) {
	if err == nil {
		ix.lastErr.Store(nil)
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	ix.lastErr.Store(&err)
}

// lease takes the lease or renews it once a third of its period has passed.
func (ix *Indexer) lease(ctx context.Context) (bool, error) {
	if ix.Local != nil {
		return true, nil // a per-instance index needs no lease
	}
	now := ix.Now()
	if ix.held.Load() && now.Sub(ix.renewed) < ix.LeaseTTL/3 {
		return true, nil
	}
	var ok bool
	err := ix.Store.Update(ctx, func(tx market.Tx) (err error) {
		ok, err = tx.TakeLease(LeaseName, ix.Holder, now, ix.LeaseTTL)
		return err
	})
	ix.setHeld(ok && err == nil, now)
	return ok, err
}

func (ix *Indexer) setHeld(ok bool, at time.Time) {
	was := ix.held.Swap(ok)
	if ok {
		ix.renewed = at
	} else {
		ix.renewed = time.Time{}
	}
	if was != ok {
		ix.Log.Info("search indexer lease", "holder", ix.Holder, "held", ok)
	}
}

// release gives the lease up so another instance need not wait out its
// period (shutdown, the end of a command).
func (ix *Indexer) release() {
	if ix.Local != nil || !ix.held.Load() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := ix.Store.Update(ctx, func(tx market.Tx) error { return tx.ReleaseLease(LeaseName, ix.Holder) })
	if err != nil {
		ix.Log.Warn("search indexer: release lease", "err", err)
	}
	ix.setHeld(false, time.Time{})
}

// batch is one read of the event log: the documents to write for the
// events after a position, up to last.
type batch struct {
	events  int
	last    int64
	upserts []Document
	deletes []string
	err     error
}

// read reads the events after position and reloads the listings they name.
func (ix *Indexer) read(ctx context.Context, after int64) batch {
	var b batch
	b.err = ix.Store.View(ctx, func(tx market.Tx) error {
		events, err := tx.EventsAfter(after, ix.Batch)
		if err != nil || len(events) == 0 {
			return err
		}
		b.events, b.last = len(events), events[len(events)-1].Seq
		b.upserts, b.deletes, err = reload(tx, listingRefs(events))
		return err
	})
	return b
}

// write writes a batch to the engine, then saves the cursor together with
// a lease renewal.
func (ix *Indexer) write(ctx context.Context, b batch) error {
	// Renew before writing if the lease has aged, so a paused instance
	// does not write after its lease could have passed to another.
	if ok, err := ix.lease(ctx); err != nil {
		return err
	} else if !ok {
		return ErrLeaseLost
	}
	if err := contained(func() error { return ix.Engine.Upsert(ctx, b.upserts...) }); err != nil {
		return fmt.Errorf("search indexer: upsert: %w", err)
	}
	if err := contained(func() error { return ix.Engine.Delete(ctx, b.deletes...) }); err != nil {
		return fmt.Errorf("search indexer: delete: %w", err)
	}
	return ix.saveCursor(ctx, b.last)
}

// contained runs an engine write and turns a panic into an error. Bleve's
// segment writer panics when the disk fills ("no space left on device");
// that must mark the index unhealthy (Err, /readyz) and be retried, not
// take the whole server, and its listing writes, down.
func contained(write func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("engine write panicked: %v", r)
		}
	}()
	return write()
}

// saveCursor records the position after an engine write: beside a local
// index, or in the shared row together with a lease renewal (a holder
// that lost the lease must not move the shared cursor).
func (ix *Indexer) saveCursor(ctx context.Context, seq int64) error {
	if ix.Local != nil {
		return ix.Local.Save(seq)
	}
	now := ix.Now()
	err := ix.Store.Update(ctx, func(tx market.Tx) error {
		ok, err := tx.TakeLease(LeaseName, ix.Holder, now, ix.LeaseTTL)
		if err != nil {
			return err
		}
		if !ok {
			return ErrLeaseLost
		}
		return tx.SetCursor(CursorName, seq)
	})
	ix.setHeld(err == nil, now)
	return err
}

// listingRef names one listing an event touched.
type listingRef struct{ objectType, id string }

// listingRefs returns the distinct listings named by events, in first-seen
// order; other events (accounts, deals …) do not change the index.
func listingRefs(events []market.Event) []listingRef {
	seen := make(map[listingRef]bool, len(events))
	var out []listingRef
	for _, e := range events {
		if e.ObjectType != market.OutcomeObjectType && e.ObjectType != market.ScenarioObjectType {
			continue
		}
		r := listingRef{e.ObjectType, e.ObjectID}
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// reload reads the current state of each listing: published ones become
// documents, the rest (and vanished ones) deletions.
func reload(tx market.Tx, refs []listingRef) (upserts []Document, deletes []string, err error) {
	var outcomeIDs, scenarioIDs []string
	for _, r := range refs {
		if r.objectType == market.OutcomeObjectType {
			outcomeIDs = append(outcomeIDs, r.id)
		} else {
			scenarioIDs = append(scenarioIDs, r.id)
		}
	}
	docs, err := loadDocuments(tx, outcomeIDs, scenarioIDs, false)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range refs {
		if d, ok := docs[r.id]; ok {
			upserts = append(upserts, d)
		} else {
			deletes = append(deletes, r.id)
		}
	}
	return upserts, deletes, nil
}

// nudgingStore calls nudge after every committed Update.
type nudgingStore struct {
	market.Store
	nudge func()
}

// NudgeOnCommit wraps store so that every committed Update nudges the
// indexer: a publish is then searchable within one engine write rather
// than one poll.
func NudgeOnCommit(store market.Store, ix *Indexer) market.Store {
	return nudgingStore{Store: store, nudge: ix.Nudge}
}

// Update runs fn and nudges after a commit.
func (s nudgingStore) Update(ctx context.Context, fn func(market.Tx) error) error {
	err := s.Store.Update(ctx, fn)
	if err == nil {
		s.nudge()
	}
	return err
}
