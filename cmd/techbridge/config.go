package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"techbridge/api"
	"techbridge/api/auth"
	"techbridge/market"
	"techbridge/market/sqlstore"
)

// config is every setting, from flags with TECHBRIDGE_* environment
// variables as defaults.
type config struct {
	Addr           string
	DataDir        string
	DatabaseURL    string
	RedisURL       string
	RedisPrefix    string // prefixes every Redis key, so deployments can share a server
	MeiliURL       string
	MeiliKey       string
	JWTKey         string // PEM Ed25519 key; empty = generated into the data dir
	TrustedProxies string // comma-separated addresses or CIDRs
	CORSOrigins    string // comma-separated browser origins allowed to call the API; empty = none
	PublicURL      string // the URL printed and used in links; default from Addr
	LogLevel       string
	Demo           bool
	DealIdleTTL    time.Duration // open deals with no activity for this long expire
	SweepEvery     time.Duration // how often the deal sweeper runs
	RequestTimeout time.Duration // bounds each request's work
	IdleTimeout    time.Duration // closes idle keep-alive connections
	AccessTTL      time.Duration // lifetime of access tokens, and the longest one accepted
	// ReadyMaxBacklog is how many events this instance's search index may
	// lag before /readyz fails; 0 = no limit.
	ReadyMaxBacklog int64
	Payments        paymentConfig  // payments.go
	Mail            mailConfig     // mail.go
	DBMaxConns      int            // PostgreSQL pool size / SQLite readers; 0 = default
	Capacity        capacityConfig // capacity.go: hashing, rate classes, access log, metrics
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// envDuration reads a duration variable; an unparsable one falls back to
// def (the flag's default is shown in help, so the fallback is visible).
func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

// dataFlags registers the settings every data-touching command honours.
func dataFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.DataDir, "data-dir", env("TECHBRIDGE_DATA_DIR", "data"), "directory for the SQLite database, search index and keys (TECHBRIDGE_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("TECHBRIDGE_DATABASE_URL", ""), "postgres://… to use PostgreSQL; empty = SQLite in the data dir (TECHBRIDGE_DATABASE_URL)")
	fs.StringVar(&c.LogLevel, "log-level", env("TECHBRIDGE_LOG_LEVEL", "info"), "debug, info, warn or error (TECHBRIDGE_LOG_LEVEL)")
	fs.IntVar(&c.DBMaxConns, "db-max-conns", envInt("TECHBRIDGE_DB_MAX_CONNS", 0), "database connections kept open: PostgreSQL pool (default 16), SQLite readers (default 4) (TECHBRIDGE_DB_MAX_CONNS)")
}

// envInt reads an integer variable; an unparsable one falls back to def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

// serveFlags registers the settings of the server.
func serveFlags(fs *flag.FlagSet, c *config) {
	dataFlags(fs, c)
	fs.StringVar(&c.Addr, "addr", env("TECHBRIDGE_ADDR", "127.0.0.1:8080"), "listen address (TECHBRIDGE_ADDR)")
	fs.StringVar(&c.RedisURL, "redis-url", env("TECHBRIDGE_REDIS_URL", ""), "redis://… for shared rate limits and token revocation; empty = in-process (TECHBRIDGE_REDIS_URL)")
	fs.StringVar(&c.RedisPrefix, "redis-prefix", env("TECHBRIDGE_REDIS_PREFIX", "techbridge:"), "prefix of every Redis key (TECHBRIDGE_REDIS_PREFIX)")
	fs.StringVar(&c.MeiliURL, "meili-url", env("TECHBRIDGE_MEILI_URL", ""), "Meilisearch URL; empty = embedded Bleve index (TECHBRIDGE_MEILI_URL)")
	fs.StringVar(&c.MeiliKey, "meili-key", env("TECHBRIDGE_MEILI_KEY", ""), "Meilisearch API key (TECHBRIDGE_MEILI_KEY)")
	fs.StringVar(&c.JWTKey, "jwt-key", env("TECHBRIDGE_JWT_KEY", ""), "PEM Ed25519 signing key; empty = generated once into the data dir (TECHBRIDGE_JWT_KEY)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("TECHBRIDGE_TRUSTED_PROXIES", ""), "comma-separated proxy addresses whose X-Forwarded-For is believed (TECHBRIDGE_TRUSTED_PROXIES)")
	fs.StringVar(&c.CORSOrigins, "cors-origins", env("TECHBRIDGE_CORS_ORIGINS", ""), "comma-separated browser origins (https://app.example.com) allowed to call the API cross-site; empty = CORS off (TECHBRIDGE_CORS_ORIGINS)")
	fs.StringVar(&c.PublicURL, "public-url", env("TECHBRIDGE_PUBLIC_URL", ""), "external URL, when behind a proxy (TECHBRIDGE_PUBLIC_URL)")
	paymentFlags(fs, &c.Payments)
	mailFlags(fs, &c.Mail)
	fs.DurationVar(&c.AccessTTL, "access-token-ttl", envDuration("TECHBRIDGE_ACCESS_TOKEN_TTL", auth.AccessTokenTTL), "lifetime of access tokens; longer-lived ones are refused (TECHBRIDGE_ACCESS_TOKEN_TTL)")
	fs.DurationVar(&c.DealIdleTTL, "deal-idle-ttl", envDuration("TECHBRIDGE_DEAL_IDLE_TTL", market.DefaultDealIdleTTL), "open deals idle this long expire (TECHBRIDGE_DEAL_IDLE_TTL)")
	fs.DurationVar(&c.RequestTimeout, "request-timeout", envDuration("TECHBRIDGE_REQUEST_TIMEOUT", api.DefaultRequestTimeout), "deadline of each request's database, Redis and provider calls; past it the answer is 503 (TECHBRIDGE_REQUEST_TIMEOUT)")
	fs.DurationVar(&c.IdleTimeout, "idle-timeout", envDuration("TECHBRIDGE_IDLE_TIMEOUT", 60*time.Second), "idle keep-alive connections are closed after this (TECHBRIDGE_IDLE_TIMEOUT)")
	fs.DurationVar(&c.SweepEvery, "sweep-every", envDuration("TECHBRIDGE_SWEEP_EVERY", time.Hour), "how often the deal sweeper looks for idle deals (TECHBRIDGE_SWEEP_EVERY)")
	fs.Int64Var(&c.ReadyMaxBacklog, "ready-max-backlog", int64(envInt("TECHBRIDGE_READY_MAX_BACKLOG", 1000)), "/readyz fails while this instance's search index lags more events than this; 0 = never (TECHBRIDGE_READY_MAX_BACKLOG)")
	fs.BoolVar(&c.Demo, "demo", env("TECHBRIDGE_DEMO", "") == "1", "seed the demo market when the database is empty (TECHBRIDGE_DEMO=1)")
	capacityFlags(fs, &c.Capacity)
}

func parse(fs *flag.FlagSet, args []string, stdout io.Writer) error {
	fs.SetOutput(stdout)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	return nil
}

func (c *config) logger(w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// openStore opens and migrates the configured database.
func (c *config) openStore(ctx context.Context) (*sqlstore.DB, error) {
	db, err := sqlstore.OpenWith(ctx, c.DatabaseURL, c.DataDir, sqlstore.Options{MaxConns: c.DBMaxConns})
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openService opens the store and returns the market service over it.
func (c *config) openService(ctx context.Context, log *slog.Logger) (*market.Service, *sqlstore.DB, error) {
	db, err := c.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	svc := market.NewService(db)
	svc.Log = log
	return svc, db, nil
}

func runMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	dataFlags(fs, &c)
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	db, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "migrated the %s database\n", db.Dialect())
	return nil
}
