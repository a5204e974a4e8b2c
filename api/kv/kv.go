// Package kv holds the short-lived shared state of the API: rate-limit and
// login-throttle counters and revoked token ids. Memory serves one process;
// Redis serves several instances.
package kv

import (
	"context"
	"sync"
	"time"
)

// Store is a small key-value store with expiry.
type Store interface {
	// Incr adds one to key's counter. The first increment opens a window of
	// length window; it returns the count and the time left in the window.
	Incr(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error)
	// Set stores key until ttl passes.
	Set(ctx context.Context, key string, ttl time.Duration) error
	// Exists reports whether key is set and not expired.
	Exists(ctx context.Context, key string) (bool, error)
	// Del removes key.
	Del(ctx context.Context, key string) error
	Ping(ctx context.Context) error
	// Name is "memory" or "redis", for /readyz.
	Name() string
}

// Memory is an in-process Store.
type Memory struct {
	mu    sync.Mutex
	items map[string]memItem
	now   func() time.Time
	ops   int
}

type memItem struct {
	count   int64
	expires time.Time
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty in-process store.
func NewMemory() *Memory { return &Memory{items: map[string]memItem{}, now: time.Now} }

// SetClock replaces the clock, for tests.
func (m *Memory) SetClock(now func() time.Time) { m.now = now }

func (m *Memory) live(key string, now time.Time) (memItem, bool) {
	it, ok := m.items[key]
	if ok && !now.Before(it.expires) {
		delete(m.items, key)
		return memItem{}, false
	}
	return it, ok
}

// sweep drops expired items now and then so the map does not grow forever.
func (m *Memory) sweep(now time.Time) {
	m.ops++
	if m.ops%1024 != 0 {
		return
	}
	for k, it := range m.items {
		if !now.Before(it.expires) {
			delete(m.items, k)
		}
	}
}

// Incr implements Store.
func (m *Memory) Incr(_ context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.sweep(now)
	it, ok := m.live(key, now)
	if !ok {
		it = memItem{expires: now.Add(window)}
	}
	it.count++
	m.items[key] = it
	return it.count, it.expires.Sub(now), nil
}

// Set implements Store.
func (m *Memory) Set(_ context.Context, key string, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.items[key] = memItem{count: 1, expires: m.now().Add(ttl)}
	return nil
}

// Exists implements Store.
func (m *Memory) Exists(_ context.Context, key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.live(key, m.now())
	return ok, nil
}

// Del implements Store.
func (m *Memory) Del(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.items, key)
	return nil
}

// Ping implements Store.
func (m *Memory) Ping(context.Context) error { return nil }

// Name implements Store.
func (m *Memory) Name() string { return "memory" }
