package api

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// lazyDeadline is context.WithDeadline(parent, at), made only when someone
// watches it. A request's deadline bounds its database, Redis and provider
// calls, but many requests end without any call watching Done (SQLite's
// reads by key check Err and do not watch: sqlstore's keyRow); for those,
// the timer, the timer context and its registration with the request's
// context were made and torn down for nothing, 2% of an uncached detail
// read's CPU. Done (or a context derived from this one, which asks for
// Done) makes the real context; Deadline and Err answer without it.
//
// Past its deadline, an unwatched lazyDeadline reports DeadlineExceeded from
// Err and, once asked, a closed Done, as the real context does. The one
// difference: context.Cause of an unwatched one is its parent's cause until
// Done is asked (nothing in the request path asks Cause without Done).
type lazyDeadline struct {
	parent  context.Context
	at      time.Time
	once    sync.Once
	started atomic.Bool
	ctx     context.Context
	cancel  context.CancelFunc
}

func newLazyDeadline(parent context.Context, d time.Duration) *lazyDeadline {
	return &lazyDeadline{parent: parent, at: time.Now().Add(d)}
}

// start makes the real context on first use.
func (c *lazyDeadline) start() context.Context {
	c.once.Do(func() {
		c.ctx, c.cancel = context.WithDeadline(c.parent, c.at)
		c.started.Store(true)
	})
	return c.ctx
}

// stop releases the real context's timer, if one was made; the request's
// own context ends when its handler returns, which ends this one's Err.
func (c *lazyDeadline) stop() {
	if c.started.Load() {
		c.cancel()
	}
}

func (c *lazyDeadline) Deadline() (time.Time, bool) {
	if d, ok := c.parent.Deadline(); ok && d.Before(c.at) {
		return d, true
	}
	return c.at, true
}

func (c *lazyDeadline) Done() <-chan struct{} { return c.start().Done() }

func (c *lazyDeadline) Err() error {
	if c.started.Load() {
		return c.ctx.Err()
	}
	if !time.Now().Before(c.at) {
		return c.start().Err() // past the deadline: the real context is already done
	}
	return c.parent.Err()
}

// Value answers from the real context once it exists, so a context derived
// from this one registers with it (the context package finds its parent's
// cancel context through Value) rather than watching it from a goroutine.
func (c *lazyDeadline) Value(key any) any {
	if c.started.Load() {
		return c.ctx.Value(key)
	}
	return c.parent.Value(key)
}
