package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2/client"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/market/testenv"
)

// ToxiproxyVar names the Toxiproxy API the fault tests drive.
const ToxiproxyVar = "TECHBRIDGE_TEST_TOXIPROXY_URL"

// faultRequestTimeout is serve's per-request deadline in the fault tests.
const faultRequestTimeout = 2 * time.Second

// proxied creates a Toxiproxy proxy to upstream (host:port) on a free
// loopback port and returns it; it is deleted when the test ends.
func proxied(t *testing.T, tp *toxiproxy.Client, name, upstream string) *toxiproxy.Proxy {
	t.Helper()
	p, err := tp.CreateProxy(name+"-"+market.NewID()[:8], "127.0.0.1:0", upstream)
	if err != nil {
		t.Fatalf("toxiproxy: %v", err)
	}
	t.Cleanup(func() { p.Delete() })
	return p
}

// viaProxy rewrites a URL's host:port to the proxy's listen address.
func viaProxy(t *testing.T, raw string, p *toxiproxy.Proxy) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = p.Listen
	return u.String()
}

func hostOf(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// timedGet fetches path without keep-alive (no idle connections left
// behind to count as leaks) and returns the status and how long it took.
func timedGet(t *testing.T, base, path, token string) (int, time.Duration) {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 60 * time.Second}
	req, _ := http.NewRequest("GET", base+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode == 503 && res.Header.Get("Retry-After") == "" {
		t.Errorf("GET %s: 503 without Retry-After", path)
	}
	return res.StatusCode, time.Since(start)
}

// redisInUse reports whether /readyz says Redis answers (not degraded).
func redisInUse(t *testing.T, base string) bool {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 30 * time.Second}
	res, err := client.Get(base + "/readyz")
	if err != nil {
		t.Fatalf("readyz: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return strings.Contains(string(b), `"redis":"ok"`)
}

// TestFaultsBetweenServerAndDependencies puts Toxiproxy between a real
// serve and its PostgreSQL and Redis, and for each fault (latency beyond
// the request deadline, connection reset, blackhole) checks the status,
// that the answer came within a bound (the deadline plus slack, not the
// whole stall), that the service recovers alone once the fault is removed,
// and that no goroutines are left behind.
func TestFaultsBetweenServerAndDependencies(t *testing.T) {
	tpURL := testenv.Lookup(t, ToxiproxyVar, "Toxiproxy")
	pgURL := sqltest.PostgresSchemaURL(t)
	redisURL := testenv.Lookup(t, "TECHBRIDGE_TEST_REDIS_URL", "Redis")
	tp := toxiproxy.NewClient(tpURL)
	if _, err := tp.Proxies(); err != nil {
		testenv.Missing(t, "Toxiproxy at "+tpURL+" not reachable: "+err.Error())
	}
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, pgURL, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	newE2EMarket(t, market.NewService(db), "faults@example.cn") // an account to log in with
	db.Close()

	pgProxy := proxied(t, tp, "pg", hostOf(t, pgURL))
	redisProxy := proxied(t, tp, "redis", hostOf(t, redisURL))
	base := startServe(t, "--database-url", viaProxy(t, pgURL, pgProxy),
		"--redis-url", viaProxy(t, redisURL, redisProxy), "--redis-prefix", "faults:"+market.NewID()+":",
		"--request-timeout", faultRequestTimeout.String(), "--log-level", "error")
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	login := func() string {
		res, err := client.Post(base+"/api/v1/auth/login", "application/json",
			strings.NewReader(`{"email":"faults@example.cn","password":"`+e2ePassword+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("login: %d %s", res.StatusCode, b)
		}
		_, tok, _ := strings.Cut(string(b), `"access_token":"`)
		tok, _, _ = strings.Cut(tok, `"`)
		return tok
	}
	token := login()
	healthy := func(what string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second) // recovery bound, not a timing claim
		for {
			st1, _ := timedGet(t, base, "/api/v1/outcomes", "")
			st2, _ := timedGet(t, base, "/api/v1/me", token)
			// /readyz pings Redis and ends the in-process fallback once it
			// answers, so the next fault starts with Redis in use.
			if st1 == 200 && st2 == 200 && redisInUse(t, base) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not recovered (outcomes %d, me %d)", what, st1, st2)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	healthy("before any fault")
	runtime.GC()
	baseline := runtime.NumGoroutine()

	// The bound on a faulty answer: the deadline, pgx's one-second grace
	// to abandon a connection, and slack for a loaded machine. The stall
	// itself is far longer, so an unbounded wait cannot pass.
	bound := faultRequestTimeout + 4*time.Second
	faults := []struct {
		name      string
		proxy     *toxiproxy.Proxy
		toxic     string
		attrs     toxiproxy.Attributes
		wantDB    int // status of a database-bound request
		wantRedis int // status of a request whose rate limit goes through Redis
	}{
		{"postgres latency beyond the deadline", pgProxy, "latency", toxiproxy.Attributes{"latency": 20000}, 503, 200},
		{"postgres connection reset", pgProxy, "reset_peer", toxiproxy.Attributes{"timeout": 0}, 503, 200},
		{"postgres blackhole", pgProxy, "timeout", toxiproxy.Attributes{"timeout": 0}, 503, 200},
		{"redis latency beyond the timeouts", redisProxy, "latency", toxiproxy.Attributes{"latency": 20000}, 200, 200},
		{"redis connection reset", redisProxy, "reset_peer", toxiproxy.Attributes{"timeout": 0}, 200, 200},
		{"redis blackhole", redisProxy, "timeout", toxiproxy.Attributes{"timeout": 0}, 200, 200},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			if _, err := f.proxy.AddToxic("fault", f.toxic, "downstream", 1, f.attrs); err != nil {
				t.Fatal(err)
			}
			if _, err := f.proxy.AddToxic("fault-up", f.toxic, "upstream", 1, f.attrs); err != nil {
				t.Fatal(err)
			}
			// A URL of its own (a fresh cursor: the first page), so the
			// anonymous response cache cannot answer it: the database must.
			st, tookDB := timedGet(t, base, "/api/v1/outcomes?cursor="+market.NewID(), "")
			if st != f.wantDB || tookDB > bound {
				t.Errorf("GET /outcomes during the fault: %d after %v, want %d within %v", st, tookDB, f.wantDB, bound)
			}
			st, took := timedGet(t, base, "/api/v1/taxonomy/fields", "")
			if st != f.wantRedis || took > bound {
				t.Errorf("GET /taxonomy/fields during the fault: %d after %v, want %d within %v", st, took, f.wantRedis, bound)
			}
			t.Logf("%s: /outcomes answered %d after %v, /taxonomy/fields after %v", f.name, f.wantDB, tookDB, took)
			f.proxy.RemoveToxic("fault")
			f.proxy.RemoveToxic("fault-up")
			healthy("after " + f.name)
		})
	}

	// Leaks: once recovered, goroutines come back to about the baseline
	// (pool connections do not hold goroutines; a stuck call would).
	deadline := time.Now().Add(20 * time.Second)
	for {
		runtime.GC()
		n := runtime.NumGoroutine()
		if n <= baseline+5 {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("goroutines: %d after the faults, %d before\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(200 * time.Millisecond)
	}
}
