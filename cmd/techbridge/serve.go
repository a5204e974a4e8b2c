package main

import (
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
	svc, db, err := c.openService(ctx, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if svc.Payments, err = c.Payments.configure(); err != nil {
		return fmt.Errorf("payments: %w", err)
	}

	if c.Demo {
		seeded, err := seedDemo(ctx, svc, stdout)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if !seeded {
			fmt.Fprintln(stdout, "Demo data already present; logins as printed on first run (password "+demoPassword+").")
		}
	}

	store, closeKV, err := c.openKV(ctx)
	if err != nil {
		return err
	}
	defer closeKV()
	key, err := auth.LoadOrCreateKey(c.JWTKey, c.DataDir)
	if err != nil {
		return err
	}
	apiSrv, err := api.New(api.Config{TrustedProxies: splitList(c.TrustedProxies), CORSOrigins: splitList(c.CORSOrigins)}, svc,
		&auth.Tokens{Key: key, KV: store}, store, log)
	if err != nil {
		return err
	}
	engine, err := c.openSearch(ctx, db)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	defer engine.Close()
	stopIndexer := wireSearch(ctx, svc, apiSrv, engine, log)
	defer stopIndexer() // before the engine and the database close

	sweepCtx, stopSweeper := context.WithCancel(ctx)
	sweeperDone := make(chan struct{})
	go func() {
		defer close(sweeperDone)
		svc.RunDealSweeper(sweepCtx, time.Hour, c.DealIdleTTL)
	}()
	defer func() { stopSweeper(); <-sweeperDone }() // before the database closes

	matcher := &search.Matcher{Search: apiSrv.Search, Market: svc}
	apiSrv.Matcher = matcher
	stopAlerts := (&search.Alerts{Store: svc.Store, Matcher: matcher, Log: log, WaitForIndex: true}).Start(ctx)
	defer stopAlerts() // runs before stopIndexer, the engine and the database close
	webSrv, err := web.New(web.Config{Service: svc, Log: log, Matcher: matcher, Throttle: auth.Throttle{KV: store},
		SecureCookies: strings.HasPrefix(c.PublicURL, "https://")})
	if err != nil {
		return err
	}

	mux := http.NewServeMux()
	for _, p := range []string{"/api/", "/healthz", "/readyz", "/webhooks/"} {
		mux.Handle(p, apiSrv)
	}
	mux.Handle("/", webSrv)

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	url := c.PublicURL
	if url == "" {
		url = "http://" + displayAddr(ln.Addr().String())
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	fmt.Fprintf(stdout, "TechBridge is running at %s (database: %s, data dir: %s)\n", url, db.Dialect(), c.DataDir)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
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

// openKV connects to Redis when configured, else keeps state in process.
func (c *config) openKV(ctx context.Context) (kv.Store, func(), error) {
	if c.RedisURL == "" {
		return kv.NewMemory(), func() {}, nil
	}
	r, err := kv.NewRedis(c.RedisURL, "techbridge:")
	if err != nil {
		return nil, nil, err
	}
	if err := r.Ping(ctx); err != nil {
		r.Close()
		return nil, nil, fmt.Errorf("redis: %w", err)
	}
	return r, func() { r.Close() }, nil
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
