package kv

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"
)

// ErrUnavailable wraps every error of a shared store that could not be
// reached or did not answer in time.
var ErrUnavailable = errors.New("shared key-value store unavailable")

// DefaultRetryAfter is how long Fallback leaves a failed primary alone.
const DefaultRetryAfter = 5 * time.Second

// Fallback serves from Primary (Redis) and, while Primary fails, from
// Local (this process's memory): rate limits and login throttles then
// count per instance instead of not at all. After a failure Primary is
// left alone for RetryAfter, so requests do not each wait out a timeout
// while it is down. Revocations do not rely on it (they are in the
// database).
type Fallback struct {
	Primary    Store
	Local      *Memory
	Log        *slog.Logger
	RetryAfter time.Duration // 0 = DefaultRetryAfter

	downUntil atomic.Int64 // unix nanoseconds; 0 = primary believed up
}

var _ Store = (*Fallback)(nil)

// NewFallback returns a Fallback over primary with an empty local store.
func NewFallback(primary Store, log *slog.Logger) *Fallback {
	if log == nil {
		log = slog.Default()
	}
	return &Fallback{Primary: primary, Local: NewMemory(), Log: log}
}

// Degraded reports whether the local store is standing in for Primary.
func (f *Fallback) Degraded() bool {
	return time.Now().UnixNano() < f.downUntil.Load()
}

// use runs op on Primary unless it is resting after a failure; on a new
// failure it marks Primary down and runs op on Local.
func use[T any](f *Fallback, ctx context.Context, op func(Store) (T, error)) (T, error) {
	if !f.Degraded() {
		v, err := op(f.Primary)
		if err == nil || ctx.Err() != nil {
			return v, err
		}
		wait := f.RetryAfter
		if wait <= 0 {
			wait = DefaultRetryAfter
		}
		if f.downUntil.Swap(time.Now().Add(wait).UnixNano()) == 0 {
			f.Log.Warn("shared store unavailable; counting rate limits and throttles in this process", "store", f.Primary.Name(), "err", err)
		}
	}
	return op(f.Local)
}

// Incr implements Store.
func (f *Fallback) Incr(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	type r struct {
		n    int64
		left time.Duration
	}
	v, err := use(f, ctx, func(s Store) (r, error) {
		n, left, err := s.Incr(ctx, key, window)
		return r{n, left}, err
	})
	return v.n, v.left, err
}

// Set implements Store.
func (f *Fallback) Set(ctx context.Context, key string, ttl time.Duration) error {
	_, err := use(f, ctx, func(s Store) (struct{}, error) { return struct{}{}, s.Set(ctx, key, ttl) })
	return err
}

// Exists implements Store.
func (f *Fallback) Exists(ctx context.Context, key string) (bool, error) {
	return use(f, ctx, func(s Store) (bool, error) { return s.Exists(ctx, key) })
}

// Del implements Store.
func (f *Fallback) Del(ctx context.Context, key string) error {
	_, err := use(f, ctx, func(s Store) (struct{}, error) { return struct{}{}, s.Del(ctx, key) })
	return err
}

// Ping reports Primary's health, and clears the down mark when it answers
// again, so recovery does not wait for RetryAfter.
func (f *Fallback) Ping(ctx context.Context) error {
	if err := f.Primary.Ping(ctx); err != nil {
		return fmt.Errorf("%w (rate limits and throttles count in this process meanwhile)", err)
	}
	if f.downUntil.Swap(0) != 0 {
		f.Log.Info("shared store back; rate limits and throttles shared again", "store", f.Primary.Name())
	}
	return nil
}

// Name implements Store: the primary's name, so /readyz reports Redis.
func (f *Fallback) Name() string { return f.Primary.Name() }
