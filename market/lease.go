package market

import (
	"context"
	"log/slog"
	"time"
)

// LeaseTx grants named, time-limited leases, so that of several instances
// exactly one runs a singleton job (the search indexer) at a time. A lease
// is held by one holder until it expires; the holder renews it well before
// then, and another holder can take it only once it has expired, so a
// crashed instance is replaced after at most one lease period.
type LeaseTx interface {
	// TakeLease gives the named lease to holder until now+ttl when it is
	// free, expired at now, or already held by holder (a renewal); it
	// reports whether holder holds the lease afterwards. Times come from
	// the caller's clock, so instances' clocks must agree within a small
	// fraction of ttl.
	TakeLease(name, holder string, now time.Time, ttl time.Duration) (bool, error)
	// ReleaseLease ends holder's lease early; a lease held by someone else
	// is left alone.
	ReleaseLease(name, holder string) error
}

// DefaultSingletonTTL is a singleton lease's period when none is given.
const DefaultSingletonTTL = 15 * time.Second

// Singleton runs a job on one instance at a time, whichever instances run
// it: the holder of the named lease runs the job every interval and renews
// the lease meanwhile; the others try for the lease every third of its
// period, so a stopped holder is replaced within one period, and a
// restarted one (same Holder) takes its lease back at once.
type Singleton struct {
	Store  Store
	Name   string // the lease's name
	Holder string // this instance; keep it stable across restarts
	TTL    time.Duration
	Now    func() time.Time
	Log    *slog.Logger
}

// Run calls job every interval while this instance holds the lease, until
// ctx ends; job's context is cancelled when the lease cannot be renewed.
// Job errors are logged and the job runs again at the next interval. The
// lease is given up on return.
func (s *Singleton) Run(ctx context.Context, every time.Duration, job func(context.Context) error) {
	ttl := s.TTL
	if ttl <= 0 {
		ttl = DefaultSingletonTTL
	}
	now := s.Now
	if now == nil {
		now = time.Now
	}
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	take := func() bool {
		var ok bool
		err := s.Store.Update(ctx, func(tx Tx) (err error) {
			ok, err = tx.TakeLease(s.Name, s.Holder, now(), ttl)
			return err
		})
		if err != nil && ctx.Err() == nil {
			log.Warn("lease", "name", s.Name, "err", err)
		}
		return ok && err == nil
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		s.Store.Update(rctx, func(tx Tx) error { return tx.ReleaseLease(s.Name, s.Holder) })
	}()
	tick := min(every, ttl/3)
	var last time.Time
	for {
		if take() && (last.IsZero() || now().Sub(last) >= every) {
			last = now()
			if err := s.runHeld(ctx, ttl, take, job); err != nil && ctx.Err() == nil {
				log.Error("singleton job", "name", s.Name, "err", err)
			}
		}
		t := time.NewTimer(tick)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// runHeld runs job while renewing the lease every third of its period; a
// failed renewal cancels the job, since another instance may take over.
func (s *Singleton) runHeld(ctx context.Context, ttl time.Duration, take func() bool, job func(context.Context) error) error {
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	defer close(done)
	go func() {
		t := time.NewTicker(ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if !take() {
					cancel()
					return
				}
			}
		}
	}()
	return job(jctx)
}
