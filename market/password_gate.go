package market

import (
	"context"
	"sync/atomic"
	"techbridge/market/msgs"
	"time"
)

// HashGate bounds password hashing. An argon2id hash takes argonMemoryKiB
// (19 MiB) and most of a core for tens of milliseconds, so unbounded
// concurrent logins exhaust memory and starve every other request. At most
// Workers hashes run at once (about the number of cores); up to Queue more
// wait, each at most MaxWait; anyone beyond is refused at once with
// ETOOMANY and a Retry-After, which costs nothing to answer. Memory for
// hashing stays within Workers × 19 MiB.
type HashGate struct {
	// OnRefuse, when set before use, is called for every refusal (the
	// login throttle counts them against its global budget).
	OnRefuse func()

	slots    chan struct{}
	queue    int64
	maxWait  time.Duration
	waiting  atomic.Int64
	rejected atomic.Int64
}

// NewHashGate returns a gate for workers concurrent hashes with queue
// waiting, each for at most maxWait.
func NewHashGate(workers, queue int, maxWait time.Duration) *HashGate {
	return &HashGate{slots: make(chan struct{}, max(workers, 1)), queue: int64(max(queue, 0)), maxWait: maxWait}
}

// errHashBusy is the answer beyond the queue: the client should come back
// shortly; nothing about the account is told.
var errHashBusy = Errorf(ETOOMANY, msgs.HashBusy).RetryAfter(1)

// Do runs fn, which hashes, when a worker slot is free; nil g runs it
// unbounded (tools and tests).
func (g *HashGate) Do(ctx context.Context, fn func()) error {
	if g == nil {
		fn()
		return nil
	}
	select {
	case g.slots <- struct{}{}:
	default:
		if g.waiting.Add(1) > g.queue {
			g.waiting.Add(-1)
			return g.refuse()
		}
		timer := time.NewTimer(g.maxWait)
		select {
		case g.slots <- struct{}{}:
			timer.Stop()
			g.waiting.Add(-1)
		case <-timer.C:
			g.waiting.Add(-1)
			return g.refuse()
		case <-ctx.Done():
			timer.Stop()
			g.waiting.Add(-1)
			return ctx.Err()
		}
	}
	defer func() { <-g.slots }()
	fn()
	return nil
}

func (g *HashGate) refuse() error {
	g.rejected.Add(1)
	if g.OnRefuse != nil {
		g.OnRefuse()
	}
	return errHashBusy
}

// HashGateStats is what metrics report of a gate.
type HashGateStats struct {
	Running, Waiting int
	Rejected         int64 // since start
}

// Stats reports the gate's state; zero for a nil gate.
func (g *HashGate) Stats() HashGateStats {
	if g == nil {
		return HashGateStats{}
	}
	return HashGateStats{Running: len(g.slots), Waiting: int(g.waiting.Load()), Rejected: g.rejected.Load()}
}
