package main

import (
	"context"
	"database/sql"
	"flag"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"techbridge/api"
	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/search"
)

// capacityConfig bounds what a flood can take: password hashing, the
// failed-login budget, and where metrics are served.
type capacityConfig struct {
	HashConcurrency int // concurrent argon2id hashes; default half the cores, at least one
	HashQueue       int // logins waiting for a hash slot; default 2 × concurrency
	LoginBudget     int // failed logins per minute across the service before logins pause
	MetricsAddr     string
	MetricsToken    string
	CacheTTL        time.Duration // anonymous listing reads shared for this long; 0 = off
}

// hashMaxWait bounds a queued login's wait for a hash slot: beyond it the
// client is told to retry rather than held.
const hashMaxWait = 2 * time.Second

func capacityFlags(fs *flag.FlagSet, c *capacityConfig) {
	fs.IntVar(&c.HashConcurrency, "hash-concurrency", envInt("TECHBRIDGE_HASH_CONCURRENCY", 0), "password hashes at once (19 MiB each); 0 = half the cores, at least 1 (TECHBRIDGE_HASH_CONCURRENCY)")
	fs.IntVar(&c.HashQueue, "hash-queue", envInt("TECHBRIDGE_HASH_QUEUE", 0), "logins that may wait for a hash; beyond, 429 at once; 0 = 2 × concurrency (TECHBRIDGE_HASH_QUEUE)")
	fs.IntVar(&c.LoginBudget, "login-failure-budget", envInt("TECHBRIDGE_LOGIN_FAILURE_BUDGET", 0), "failed logins per minute across the service before logins pause for the minute; 0 = 600 (TECHBRIDGE_LOGIN_FAILURE_BUDGET)")
	fs.DurationVar(&c.CacheTTL, "api-cache-ttl", envDuration("TECHBRIDGE_API_CACHE_TTL", api.DefaultCacheTTL), "anonymous reads of listings (lists, details) may be answered from a shared cache this old; a write through this instance empties it; 0 = off (TECHBRIDGE_API_CACHE_TTL)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("TECHBRIDGE_METRICS_ADDR", ""), "serve /metrics on this address instead of the public one (TECHBRIDGE_METRICS_ADDR)")
	fs.StringVar(&c.MetricsToken, "metrics-token", env("TECHBRIDGE_METRICS_TOKEN", ""), "bearer token /metrics asks for; without it and without a metrics address /metrics is not served (TECHBRIDGE_METRICS_TOKEN)")
}

// hashGate is the password-hash limiter of the configuration. The default
// is half the cores (at least one): hashing at full concurrency would take
// every core from the other routes during a login flood.
func (c capacityConfig) hashGate() *market.HashGate {
	workers := c.HashConcurrency
	if workers <= 0 {
		workers = max(1, runtime.GOMAXPROCS(0)/2)
	}
	queue := c.HashQueue
	if queue <= 0 {
		queue = 2 * workers
	}
	return market.NewHashGate(workers, queue, hashMaxWait)
}

// registerGauges adds what metrics read at scrape time: the database
// pools, the password-hash gate, and how far the event-log consumers (the
// search indexer, match alerts, the mail outbox) are behind.
// indexLag is this instance's own index (a Bleve index keeps its cursor
// beside it, not in the shared cursors table).
func registerGauges(m *api.Metrics, db *sqlstore.DB, svc *market.Service, indexLag func(context.Context) (int64, error)) {
	gate, store := svc.Hashing, svc.Store
	pool := func(read bool, f func(s poolStats) float64) func() float64 {
		return func() float64 {
			r, w := db.PoolStats()
			if read {
				return f(poolStats(r))
			}
			return f(poolStats(w))
		}
	}
	for _, p := range []struct {
		name string
		read bool
	}{{"read", true}, {"write", false}} {
		m.Gauge("techbridge_db_"+p.name+"_open_connections", "Open connections of the "+p.name+" pool (the same pool on PostgreSQL).",
			pool(p.read, func(s poolStats) float64 { return float64(s.OpenConnections) }))
		m.Gauge("techbridge_db_"+p.name+"_in_use_connections", "Connections in use in the "+p.name+" pool.",
			pool(p.read, func(s poolStats) float64 { return float64(s.InUse) }))
		m.Gauge("techbridge_db_"+p.name+"_idle_connections", "Idle connections of the "+p.name+" pool.",
			pool(p.read, func(s poolStats) float64 { return float64(s.Idle) }))
		m.Counter("techbridge_db_"+p.name+"_wait_total", "Times a request waited for a connection of the "+p.name+" pool.",
			pool(p.read, func(s poolStats) float64 { return float64(s.WaitCount) }))
		m.Counter("techbridge_db_"+p.name+"_wait_seconds_total", "Time spent waiting for connections of the "+p.name+" pool.",
			pool(p.read, func(s poolStats) float64 { return s.WaitDuration.Seconds() }))
		m.Counter("techbridge_db_"+p.name+"_closed_max_lifetime_total", "Connections of the "+p.name+" pool closed for their age.",
			pool(p.read, func(s poolStats) float64 { return float64(s.MaxLifetimeClosed) }))
	}
	m.Gauge("techbridge_password_hash_running", "Password hashes running.", func() float64 { return float64(gate.Stats().Running) })
	m.Gauge("techbridge_password_hash_queue_length", "Logins and registrations waiting for a hash slot.", func() float64 { return float64(gate.Stats().Waiting) })
	m.Counter("techbridge_password_hash_rejections_total", "Logins and registrations refused because the hash queue was full.", func() float64 { return float64(gate.Stats().Rejected) })
	measure := func(f func(context.Context) (int64, error)) func() float64 {
		return func() float64 {
			if f == nil {
				return 0
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := f(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}
	}
	m.Gauge("techbridge_search_indexer_lag_events", "Events this instance's search indexer has yet to index (-1: unreadable).", measure(indexLag))
	m.Gauge("techbridge_match_alerts_lag_events", "Events the match-alert consumer has yet to handle (-1: unreadable).", measure(func(ctx context.Context) (int64, error) {
		return cursorLag(ctx, store, search.AlertsCursor)
	}))
	m.Gauge("techbridge_outbox_backlog", "Mail outbox messages waiting to be sent (-1: unreadable).", measure(svc.MailBacklog))
}

// poolStats is database/sql's DBStats under a local name.
type poolStats = sql.DBStats

// cursorLag is how many events a named log consumer is behind the head.
func cursorLag(ctx context.Context, store market.Store, cursor string) (int64, error) {
	var n int64
	err := store.Read(ctx, func(tx market.Tx) error {
		last, err := tx.LastEventSeq()
		if err != nil {
			return err
		}
		cur, err := tx.Cursor(cursor)
		n = max(0, last-cur)
		return err
	})
	return n, err
}

// serveMetrics starts the metrics listener when an address is set and
// returns its stop function; otherwise /metrics goes on the public mux,
// and only behind the token.
func serveMetrics(c capacityConfig, m *api.Metrics, mux *http.ServeMux, log *slog.Logger) (stop func(), err error) {
	if c.MetricsAddr == "" {
		if c.MetricsToken != "" {
			mux.Handle("GET /metrics", m.Handler(c.MetricsToken))
		}
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", c.MetricsAddr)
	if err != nil {
		return nil, err
	}
	mm := http.NewServeMux()
	mm.Handle("GET /metrics", m.Handler(c.MetricsToken))
	srv := &http.Server{Handler: mm, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			log.Error("metrics listener stopped", "err", err)
		}
	}()
	log.Info("metrics served", "addr", ln.Addr().String())
	return func() { srv.Close() }, nil
}
