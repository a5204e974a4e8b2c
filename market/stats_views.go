package market

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"sync"
	"time"

	"github.com/bits-and-blooms/bloom/v3"
)

// ViewCounter counts listing detail views without personal data and
// without a write per request: a visitor is the HMAC of (listing, client
// address, user agent) under a salt drawn at random each UTC day and
// thrown away at the next, so yesterday's visitors cannot be recomputed
// by anyone, and only the 8-byte digest is held, in memory, for the day.
// Counts are buffered and flushed (Flush) into the funnel rows of the
// listing, its owner and the market, one transaction per flush. A crash
// loses at most one flush interval of views; several instances each
// deduplicate their own visitors (a visitor served by two counts twice).
//
// The day's visitors are held in a Bloom filter of fixed size, not a set,
// so a crawler from many addresses cannot grow the counter's memory: up to
// Visitors a day, about one new visitor in a thousand is taken for one
// already seen (counted as a load, not a visitor); beyond that the share
// rises, so a flood undercounts visitors rather than taking the memory.
type ViewCounter struct {
	Now func() time.Time
	// Visitors is the daily number of distinct visitors the filter is
	// sized for at a 0.1% false-positive rate; 0 means DefaultDailyVisitors.
	Visitors uint

	mu     sync.Mutex
	day    time.Time
	salt   [32]byte
	seen   *bloom.BloomFilter
	counts map[viewKey]*viewCount
}

// DefaultDailyVisitors sizes a ViewCounter's filter: 2,000,000 visitors at
// 0.1% take 3.6 MB, allocated once and cleared at each day's change.
const DefaultDailyVisitors = 2_000_000

type viewKey struct {
	listing string
	day     time.Time
}

type viewCount struct{ visitors, loads int64 }

func (v *ViewCounter) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// Count records one detail view of a listing by a client (address and
// user agent, neither kept).
func (v *ViewCounter) Count(listingID, client, userAgent string) {
	day := StatDay(v.now())
	v.mu.Lock()
	defer v.mu.Unlock()
	if !day.Equal(v.day) || v.seen == nil {
		v.day = day
		rand.Read(v.salt[:])
		if v.seen == nil {
			n := v.Visitors
			if n == 0 {
				n = DefaultDailyVisitors
			}
			v.seen = bloom.NewWithEstimates(n, 0.001)
		} else {
			v.seen.ClearAll()
		}
	}
	if v.counts == nil {
		v.counts = map[viewKey]*viewCount{}
	}
	m := hmac.New(sha256.New, v.salt[:])
	for _, s := range []string{listingID, client, userAgent} {
		m.Write([]byte(s))
		m.Write([]byte{0})
	}
	h := m.Sum(nil)[:8]
	k := viewKey{listingID, day}
	c := v.counts[k]
	if c == nil {
		c = &viewCount{}
		v.counts[k] = c
	}
	c.loads++
	if !v.seen.TestAndAdd(h) {
		c.visitors++
	}
}

// Flush writes the buffered counts; on failure they are kept for the
// next flush.
func (v *ViewCounter) Flush(ctx context.Context, store Store) error {
	v.mu.Lock()
	counts := v.counts
	v.counts = nil
	v.mu.Unlock()
	if len(counts) == 0 {
		return nil
	}
	err := store.Update(ctx, func(tx Tx) error {
		var ds []FunnelDelta
		for k, c := range counts {
			scopes := [][2]string{{ScopeListing, k.listing}, {ScopeAll, ""}}
			l, err := tx.StatsListing(k.listing)
			if err != nil {
				return err
			}
			if l != nil {
				scopes = append(scopes, [2]string{ScopeOrg, l.OrgID})
			}
			for _, sc := range scopes {
				ds = append(ds, FunnelDelta{Scope: sc[0], ScopeID: sc[1], Day: k.day, Step: StepView, N: c.visitors},
					FunnelDelta{Scope: sc[0], ScopeID: sc[1], Day: k.day, Step: StepDetail, N: c.loads})
			}
		}
		return tx.StatsFunnelAdd(ds)
	})
	if err != nil {
		v.mu.Lock()
		if v.counts == nil {
			v.counts = map[viewKey]*viewCount{}
		}
		for k, c := range counts {
			if cur := v.counts[k]; cur != nil {
				cur.visitors += c.visitors
				cur.loads += c.loads
			} else {
				v.counts[k] = c
			}
		}
		v.mu.Unlock()
	}
	return err
}

// CountView counts a listing detail view when the service has a view
// counter (serve sets one); a no-op otherwise.
func (s *Service) CountView(listingID, client, userAgent string) {
	if s.Views != nil {
		s.Views.Count(listingID, client, userAgent)
	}
}
