package api

import (
	"bytes"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// Anonymous reads of published listings (the lists and the details of
// outcomes and scenarios) are answered from a short-lived response cache
// shared by all anonymous callers, as sites with many more readers than
// writers do: a popular page costs one database read per TTL, and callers
// asking for the same URL at once wait for one read (singleflight) rather
// than each running it. The semantics, stated in the README and the
// OpenAPI description: an anonymous answer may be up to the TTL old
// (default 1 s). A write through this instance (any API request or page
// that is not GET/HEAD) empties the cache when it ends, so a caller sees
// its own change at once; writes through other instances show after the
// TTL. Signed-in callers (a bearer token) are never served from it.

// DefaultCacheTTL is how long an anonymous listing read is kept.
const DefaultCacheTTL = time.Second

// MaxCachedResponses bounds the cache's entries (a scan of many distinct
// URLs evicts the oldest); maxCachedBody keeps large answers out.
const (
	MaxCachedResponses = 4096
	maxCachedBody      = 256 << 10
)

// cachedHeaders are the response headers a cached answer replays.
var cachedHeaders = []string{"Content-Type", "Etag", "Cache-Control", "Last-Modified", "Vary"}

type responseCache struct {
	// A plain LRU whose entries carry their expiry, checked on a hit: the
	// expiring LRU kept a second map by expiry bucket, updated on every
	// insert, and woke a cleaner 100 times a second even when idle. An
	// expired entry stays until it is replaced or evicted; the capacity
	// bounds them.
	lru   *lru.Cache[string, *cachedResponse]
	ttl   time.Duration
	group singleflight.Group
	// gen counts writes: an answer read while a write was under way (the
	// generation changed between its start and its end) is not kept.
	gen          atomic.Uint64
	hits, misses atomic.Uint64
}

type cachedResponse struct {
	gen     uint64
	expires time.Time
	header  http.Header
	body    []byte
}

func newResponseCache(ttl time.Duration) *responseCache {
	if ttl <= 0 {
		return nil
	}
	c, err := lru.New[string, *cachedResponse](MaxCachedResponses)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &responseCache{lru: c, ttl: ttl}
}

// invalidate empties the cache; every write calls it when it begins and
// when it ends (after its commit).
func (rc *responseCache) invalidate() {
	if rc == nil {
		return
	}
	rc.gen.Add(1)
	rc.lru.Purge()
}

// invalidateWrites brackets every request that may write (not GET, HEAD or
// OPTIONS) with invalidations.
func (s *Server) invalidateWrites(c *gin.Context) {
	if s.cache == nil || isSafeMethod(c.Request.Method) {
		c.Next()
		return
	}
	s.cache.invalidate()
	defer s.cache.invalidate()
	c.Next()
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// cached serves an anonymous GET from the cache, or runs the handler once
// for every caller asking for the same URL meanwhile and keeps a 200.
func (s *Server) cached(c *gin.Context) {
	rc := s.cache
	if rc == nil || c.Request.Method != http.MethodGet || !actor(c).Anonymous() || c.GetHeader("Authorization") != "" {
		c.Next()
		return
	}
	key := c.Request.URL.RequestURI()
	if r, ok := rc.lru.Get(key); ok && r.gen == rc.gen.Load() && time.Now().Before(r.expires) {
		rc.hits.Add(1)
		r.replay(c)
		return
	}
	leader := false
	v, _, _ := rc.group.Do(key, func() (any, error) {
		leader = true
		rc.misses.Add(1)
		gen, start := rc.gen.Load(), time.Now()
		w := &capturingWriter{ResponseWriter: c.Writer}
		c.Writer = w
		c.Next()
		c.Writer = w.ResponseWriter
		if w.Status() != http.StatusOK || w.overflow || rc.gen.Load() != gen {
			return nil, nil
		}
		r := &cachedResponse{gen: gen, expires: start.Add(rc.ttl), header: http.Header{}, body: w.body()}
		for _, h := range cachedHeaders {
			if v := w.Header().Values(h); len(v) > 0 {
				r.header[h] = v
			}
		}
		rc.lru.Add(key, r)
		return r, nil
	})
	if leader {
		return
	}
	if r, ok := v.(*cachedResponse); ok {
		rc.hits.Add(1)
		r.replay(c)
		return
	}
	c.Next() // the leader's answer is not one to share: read for ourselves
}

// replay writes a cached answer, or 304 when the caller holds its ETag.
func (r *cachedResponse) replay(c *gin.Context) {
	h := c.Writer.Header()
	for k, v := range r.header {
		h[k] = v
	}
	if etag := h.Get("ETag"); etag != "" && etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		c.Abort()
		return
	}
	c.Data(http.StatusOK, h.Get("Content-Type"), r.body)
	c.Abort()
}

// capturingWriter copies what a handler writes, up to maxCachedBody. A
// body its writer hands over (writeOwned) is kept as it is, not copied.
type capturingWriter struct {
	gin.ResponseWriter
	buf      bytes.Buffer
	owned    []byte // handed over by writeOwned, for the next Write
	kept     []byte // the whole body so far when it is owned
	overflow bool
}

// body is what was written.
func (w *capturingWriter) body() []byte {
	if w.kept != nil {
		return w.kept
	}
	return w.buf.Bytes()
}

// writeOwned writes b, which its caller never touches again, as a
// response's body: a capturing writer keeps it without a copy.
func writeOwned(c *gin.Context, status int, contentType string, b []byte) {
	if w, ok := c.Writer.(*capturingWriter); ok && w.buf.Len() == 0 && w.kept == nil {
		w.owned = b
		defer func() { w.owned = nil }()
	}
	c.Data(status, contentType, b)
}

func (w *capturingWriter) Write(b []byte) (int, error) {
	w.keep(b)
	return w.ResponseWriter.Write(b)
}

func (w *capturingWriter) WriteString(s string) (int, error) {
	w.keep([]byte(s))
	return w.ResponseWriter.WriteString(s)
}

func (w *capturingWriter) keep(b []byte) {
	if w.overflow || w.buf.Len()+len(w.kept)+len(b) > maxCachedBody {
		w.overflow = true
		return
	}
	if len(b) > 0 && len(b) == len(w.owned) && &b[0] == &w.owned[0] && w.buf.Len() == 0 && w.kept == nil {
		w.kept, w.owned = b, nil
		return
	}
	if w.kept != nil { // a later write: the body goes on in the buffer
		w.buf.Write(w.kept)
		w.kept = nil
	}
	w.buf.Write(b)
}

// CacheCounts reports the response cache's hits and misses.
func (s *Server) CacheCounts() (hits, misses uint64) {
	if s.cache == nil {
		return 0, 0
	}
	return s.cache.hits.Load(), s.cache.misses.Load()
}

// RegisterCacheMetrics adds the response cache's hits and misses to m.
func (s *Server) RegisterCacheMetrics(m *Metrics) {
	m.Counter("techbridge_response_cache_hits_total", "Anonymous listing reads answered from the response cache.",
		func() float64 { h, _ := s.CacheCounts(); return float64(h) })
	m.Counter("techbridge_response_cache_misses_total", "Anonymous listing reads that read the database (one per URL and TTL).",
		func() float64 { _, n := s.CacheCounts(); return float64(n) })
}
