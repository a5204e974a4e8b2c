package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"techbridge/api"
	"techbridge/api/auth"
	"techbridge/api/kv"
	"techbridge/market"
	"techbridge/search"
	"techbridge/web"
)

// shutdownTimeout bounds how long in-flight requests may finish after a
// signal.
const shutdownTimeout = 10 * time.Second

func runServe(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	serveFlags(fs, &c)
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	log := c.logger(os.Stderr)
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return err
	}
	unlock, err := lockDataDir(c.DataDir)
	if err != nil {
		return err
	}
	defer unlock()
	holder, err := instanceID(c.DataDir)
	if err != nil {
		return err
	}
	svc, db, err := c.openService(ctx, log)
	if err != nil {
		return err
	}
	defer db.Close()
	svc.Hashing = c.Capacity.hashGate()
	if svc.Payments, err = c.Payments.configure(); err != nil {
		return fmt.Errorf("payments: %w", err)
	}
	svc.DealIdleTTL = c.DealIdleTTL
	svc.LinkBase = c.PublicURL
	if svc.LinkBase == "" {
		svc.LinkBase = "http://" + displayAddr(c.Addr)
	}
	mailer, err := c.Mail.mailer(c.DataDir, log)
	if err != nil {
		return err
	}
	defer startMail(ctx, svc, mailer, c.Mail.Every)() // stops before the database closes

	// The demo logins are printed after the start-up log lines, below the
	// URL, where a newcomer reads them.
	var logins bytes.Buffer
	if c.Demo {
		seeded, err := seedDemo(ctx, svc, &logins)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if !seeded {
			fmt.Fprintln(&logins, "Demo data already present; logins as printed on first run (password "+demoPassword+").")
		}
	}

	store, closeKV, err := c.openKV(ctx, log)
	if err != nil {
		return err
	}
	defer closeKV()
	key, err := auth.LoadOrCreateKey(c.JWTKey, c.DataDir)
	if err != nil {
		return err
	}
	apiSrv, err := api.New(api.Config{TrustedProxies: splitList(c.TrustedProxies), RequestTimeout: c.RequestTimeout,
		CORSOrigins: splitList(c.CORSOrigins), CacheTTL: c.Capacity.CacheTTL}, svc,
		&auth.Tokens{Key: key, KV: store, Revocations: svc, TTL: c.AccessTTL}, store, log)
	if err != nil {
		return err
	}
	metrics := api.NewMetrics()
	apiSrv.Metrics = metrics
	apiSrv.Throttle.GlobalFailures = c.Capacity.LoginBudget
	engine, err := c.openSearch(ctx, db)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer engine.Close()
	ix, stopIndexer := wireSearch(ctx, svc, apiSrv, engine, log,
		searchWiring{Local: c.localCursor(), Holder: holder, MaxBacklog: c.ReadyMaxBacklog})
	defer stopIndexer() // before the engine and the database close

	// Singletons run on one instance at a time, by lease.
	singleton := func(name string) *market.Singleton {
		return &market.Singleton{Store: svc.Store, Name: name, Holder: holder, Log: log}
	}
	stopSweeper := goUntilStopped(ctx, func(ctx context.Context) {
		singleton("deal-sweeper").Run(ctx, c.SweepEvery, func(ctx context.Context) error {
			n, err := svc.SweepIdleDeals(ctx, c.DealIdleTTL)
			if n > 0 {
				log.Info("deal sweeper expired idle deals", "count", n)
			}
			return err
		})
	})
	defer stopSweeper() // before the database closes
	retrier := &market.PayoutRetrier{Service: svc, MinAge: market.ProviderCallTimeout}
	stopRetries := goUntilStopped(ctx, func(ctx context.Context) {
		singleton("payout-retries").Run(ctx, time.Minute, func(ctx context.Context) error {
			n, err := retrier.Step(ctx)
			if n > 0 {
				log.Info("payout retries completed pending payouts", "count", n)
			}
			return err
		})
	})
	defer stopRetries()
	// Daily digests: checked hourly, each account gets one a day at most.
	stopDigests := goUntilStopped(ctx, func(ctx context.Context) {
		singleton("mail-digests").Run(ctx, time.Hour, func(ctx context.Context) error {
			n, err := svc.QueueDigests(ctx)
			if n > 0 {
				log.Info("digests queued", "count", n)
			}
			return err
		})
	})
	defer stopDigests()

	matcher := &search.Matcher{Search: apiSrv.Search, Market: svc}
	apiSrv.Matcher = matcher
	alerts := &search.Alerts{Store: svc.Store, Matcher: matcher, Log: log, WaitForIndex: true, IndexPosition: ix.Position,
		Service: svc}
	if pos, err := alerts.SkipHistory(ctx); err != nil {
		return fmt.Errorf("match alerts: %w", err)
	} else if pos > 0 {
		log.Info("match alerts start at the end of the existing history", "seq", pos)
	}
	stopAlerts := goUntilStopped(ctx, func(ctx context.Context) {
		singleton("match-alerts").Run(ctx, search.DefaultAlertPoll, func(ctx context.Context) error {
			for {
				n, err := alerts.Step(ctx)
				if err != nil || n == 0 {
					return err
				}
			}
		})
	})
	defer stopAlerts() // runs before stopIndexer, the engine and the database close
	webSrv, err := web.New(web.Config{Service: svc, Log: log, Matcher: matcher, Throttle: apiSrv.Throttle,
		ClientIP: apiSrv.ClientIP, SecureCookies: strings.HasPrefix(c.PublicURL, "https://")})
	if err != nil {
		return err
	}

	mux := http.NewServeMux()
	for _, p := range []string{"/api/", "/healthz", "/readyz", "/webhooks/"} {
		mux.Handle(p, apiSrv)
	}
	mux.Handle("/", apiSrv.Pages(withDeadline(webSrv, c.RequestTimeout), web.SessionCookie, webSrv.Pattern))
	registerGauges(metrics, db, svc, apiSrv.SearchBacklog)
	apiSrv.RegisterCacheMetrics(metrics)
	stopMetrics, err := serveMetrics(c.Capacity, metrics, mux, log)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	defer stopMetrics()

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	url := c.PublicURL
	if url == "" {
		url = "http://" + displayAddr(ln.Addr().String())
	}
	svc.LinkBase = url // mailed links use the address actually listened on (--addr with port 0)
	srv := &http.Server{Handler: mux, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Every wait has a bound: slow or stalled clients cannot hold a
		// connection, idle keep-alive connections are closed, and a
		// response may take as long as the longest request deadline (a
		// bulk import) and a little more.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       api.DefaultImportTimeout,
		WriteTimeout:      api.DefaultImportTimeout + 30*time.Second,
		IdleTimeout:       c.IdleTimeout,
	}
	fmt.Fprintf(stdout, "TechBridge is running at %s (database: %s, data dir: %s)\n", url, db.Dialect(), c.DataDir)
	stdout.Write(logins.Bytes())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	apiSrv.Drain()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// goUntilStopped runs fn in a goroutine until ctx ends or stop is called;
// stop waits for fn to return, so serve can call it before it closes what
// fn uses.
func goUntilStopped(ctx context.Context, fn func(context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(ctx)
	}()
	return func() { cancel(); <-done }
}

// openKV connects to Redis when configured, else keeps state in process.
// Redis is used through kv.Fallback: while it is down, rate limits and
// throttles count in this process (see README, Scaled set-up), so an
// unreachable Redis at start is a warning, not a failure.
func (c *config) openKV(ctx context.Context, log *slog.Logger) (kv.Store, func(), error) {
	if c.RedisURL == "" {
		return kv.NewMemory(), func() {}, nil
	}
	r, err := kv.NewRedis(c.RedisURL, c.RedisPrefix)
	if err != nil {
		return nil, nil, err
	}
	if err := r.Ping(ctx); err != nil {
		log.Warn("redis unreachable at start; rate limits and throttles count in this process until it answers", "err", err)
	}
	return kv.NewFallback(r, log), func() { r.Close() }, nil
}

// withDeadline bounds the work of each request of h (the web pages; the
// API sets its own per route group).
func withDeadline(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// displayAddr turns a wildcard listen address into one a browser can open.
func displayAddr(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
