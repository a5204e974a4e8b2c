package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/api/kv"
	"techbridge/market"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/search"
)

// doFrom sends a request from a peer address, with extra headers.
func (e *testEnv) doFrom(remote, method, path, token string, body any, header map[string]string) response {
	e.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		req = httptest.NewRequest(method, path, bytes.NewReader(raw))
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	req.RemoteAddr = remote
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, req)
	return response{w, e.t}
}

// loginVia logs in through the trusted proxy 192.0.2.1 on behalf of client.
func (e *testEnv) loginVia(client, email, password string) response {
	e.t.Helper()
	return e.doFrom("192.0.2.1:1234", "POST", "/api/v1/auth/login", "", loginRequest{Email: email, Password: password},
		map[string]string{"X-Forwarded-For": client})
}

// TestHashFloodIsRefusedAtOnce: with every hash slot busy and the queue
// full, further logins get 429 with Retry-After without waiting, while
// /healthz and the other routes answer; the queued ones proceed once a
// slot frees.
func TestHashFloodIsRefusedAtOnce(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{TrustedProxies: []string{"192.0.2.1"}})
	e.user("flood@example.com")
	gate := market.NewHashGate(1, 2, time.Minute)
	e.svc.Hashing = gate
	release := make(chan struct{})
	held := make(chan struct{})
	go gate.Do(context.Background(), func() { close(held); <-release })
	<-held

	const logins = 10
	codes := make(chan int, logins)
	var wg sync.WaitGroup
	for i := range logins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := e.loginVia("198.51.100."+strconv.Itoa(i+1), "flood@example.com", "correct horse battery")
			if res.Code == http.StatusTooManyRequests && res.Header().Get("Retry-After") == "" {
				t.Errorf("429 without Retry-After")
			}
			codes <- res.Code
		}()
	}
	// Two wait in the queue; the other eight are refused while the slot is
	// still held, so their refusal did not wait for a hash.
	refused := 0
	for refused < logins-2 {
		if c := <-codes; c != http.StatusTooManyRequests {
			t.Fatalf("a login beyond the queue got %d while every slot was busy", c)
		}
		refused++
	}
	if st := gate.Stats(); st.Waiting != 2 || st.Rejected != logins-2 || st.Running != 1 {
		t.Fatalf("gate %+v; want 1 running, 2 waiting, %d rejected", st, logins-2)
	}
	e.expect(e.do("GET", "/healthz", "", nil), 200)
	e.expect(e.do("GET", "/api/v1/outcomes", "", nil), 200)
	close(release)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK {
			t.Fatalf("a queued login got %d after the slot freed", c)
		}
	}
}

// TestThrottlePerAccountAcrossAddresses: credential stuffing spread over
// addresses still locks the account's logins, while the last of those
// addresses may log in to another account.
func TestThrottlePerAccountAcrossAddresses(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{TrustedProxies: []string{"192.0.2.1"}})
	e.user("victim@example.com")
	e.user("bystander@example.com")
	e.srv.Throttle.AccountFailures = 3
	for i := 1; i <= 3; i++ {
		e.expect(e.loginVia("203.0.113."+strconv.Itoa(i), "victim@example.com", "wrong guess"), 401)
	}
	p := e.expect(e.loginVia("203.0.113.50", "victim@example.com", "correct horse battery"), 429).problem()
	if p.Code != market.ETOOMANY {
		t.Fatalf("problem %+v", p)
	}
	e.expect(e.loginVia("203.0.113.3", "bystander@example.com", "correct horse battery"), 200)
}

// TestThrottlePerAddressAcrossAccounts: password spraying from one address
// over many accounts blocks that address, not the accounts elsewhere.
func TestThrottlePerAddressAcrossAccounts(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{TrustedProxies: []string{"192.0.2.1"}})
	e.user("sprayed@example.com")
	e.srv.Throttle.AddressFailures = 3
	for i := 1; i <= 3; i++ {
		e.expect(e.loginVia("203.0.113.7", "someone"+strconv.Itoa(i)+"@example.com", "Summer2026!"), 401)
	}
	e.expect(e.loginVia("203.0.113.7", "sprayed@example.com", "correct horse battery"), 429).problem()
	e.expect(e.loginVia("203.0.113.8", "sprayed@example.com", "correct horse battery"), 200)
}

// TestGlobalFailedLoginBudget: failures from many addresses at many
// accounts, each under every per-key limit, spend the service's budget;
// after it logins pause for everyone until the window ends.
func TestGlobalFailedLoginBudget(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{TrustedProxies: []string{"192.0.2.1"}})
	e.user("regular@example.com")
	e.srv.Throttle.GlobalFailures = 4
	for i := 1; i <= 4; i++ {
		e.expect(e.loginVia("198.18.0."+strconv.Itoa(i), "nobody"+strconv.Itoa(i)+"@example.com", "guess"), 401)
	}
	res := e.expect(e.loginVia("198.18.0.99", "regular@example.com", "correct horse battery"), 429)
	if res.Header().Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
}

// TestRateClasses: matching has a budget of its own; using it up leaves
// the lists and the login answering, and the refusals are counted.
func TestRateClasses(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{Rates: RateLimits{Match: 2}})
	e.srv.Metrics = NewMetrics()
	for range 2 {
		if res := e.do("POST", "/api/v1/match", "", map[string]string{"text": "电池"}); res.Code == http.StatusTooManyRequests {
			t.Fatalf("refused within the budget: %s", res.Body)
		}
	}
	e.expect(e.do("POST", "/api/v1/match", "", map[string]string{"text": "电池"}), 429).problem()
	e.expect(e.do("GET", "/api/v1/search?q=x", "", nil), 429)
	e.expect(e.do("GET", "/api/v1/outcomes", "", nil), 200)
	body := scrape(t, e.srv.Metrics, "")
	if !strings.Contains(body, `techbridge_rate_limit_rejections_total{class="match"} 2`) {
		t.Fatalf("metrics miss the refusals:\n%s", grepLines(body, "rate_limit"))
	}
}

// TestReadyzHidesDetailsFromStrangers: anonymous callers from elsewhere
// learn only the status; a probe on the host and admins see the engines.
func TestReadyzHidesDetailsFromStrangers(t *testing.T) {
	e := newEnv(t)
	admin := e.admin().AccessToken
	var body map[string]any
	e.expect(e.do("GET", "/readyz", "", nil), 200).json(&body)
	if len(body) != 1 || body["status"] != "ok" {
		t.Fatalf("anonymous remote readyz = %v", body)
	}
	e.expect(e.doFrom("[::1]:4000", "GET", "/readyz", "", nil, map[string]string{"X-Forwarded-For": "198.51.100.1"}), 200).json(&body)
	if len(body) != 1 {
		t.Fatalf("relayed request counted as local: %v", body)
	}
	for name, res := range map[string]response{
		"loopback": e.doFrom("127.0.0.1:4000", "GET", "/readyz", "", nil, nil),
		"admin":    e.do("GET", "/readyz", admin, nil),
	} {
		body = nil
		e.expect(res, 200).json(&body)
		if body["database_engine"] != "sqlite" || body["database"] != "ok" {
			t.Fatalf("%s readyz = %v", name, body)
		}
	}
}

// TestConstantResponsesRevalidate: the taxonomy and the OpenAPI document
// carry a strong ETag and Cache-Control; a matching If-None-Match gets 304.
func TestConstantResponsesRevalidate(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/taxonomy/fields", "/api/openapi.json"} {
		first := e.expect(e.do("GET", path, "", nil), 200)
		tag := first.Header().Get("ETag")
		if !strings.HasPrefix(tag, `"`) || first.Header().Get("Cache-Control") == "" || first.Body.Len() == 0 {
			t.Fatalf("%s: ETag %q, Cache-Control %q", path, tag, first.Header().Get("Cache-Control"))
		}
		again := e.doFrom("192.0.2.1:1", "GET", path, "", nil, map[string]string{"If-None-Match": tag})
		if again.Code != http.StatusNotModified || again.Body.Len() != 0 {
			t.Fatalf("%s with If-None-Match: %d, %d bytes", path, again.Code, again.Body.Len())
		}
		other := e.doFrom("192.0.2.1:1", "GET", path, "", nil, map[string]string{"If-None-Match": `"stale"`})
		if other.Code != http.StatusOK || other.Body.String() != first.Body.String() {
			t.Fatalf("%s with a stale tag: %d", path, other.Code)
		}
	}
}

// TestMetricsReportRoutesAndNeedTheToken: /metrics counts requests by
// route pattern and status class and answers only with the token.
func TestMetricsReportRoutesAndNeedTheToken(t *testing.T) {
	e := newEnv(t)
	e.srv.Metrics = NewMetrics()
	e.expect(e.do("GET", "/api/v1/outcomes/nope", "", nil), 404)
	e.expect(e.do("GET", "/api/v1/outcomes", "", nil), 200)
	e.expect(e.do("GET", "/no/such/route", "", nil), 404)

	rec := httptest.NewRecorder()
	e.srv.Metrics.Handler("s3cret").ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("metrics without the token: %d", rec.Code)
	}
	body := scrape(t, e.srv.Metrics, "s3cret")
	for _, want := range []string{
		`techbridge_http_requests_total{method="GET",route="/api/v1/outcomes/:id",status="4xx"} 1`,
		`techbridge_http_requests_total{method="GET",route="/api/v1/outcomes",status="2xx"} 1`,
		`techbridge_http_requests_total{method="GET",route="unmatched",status="4xx"} 1`,
		`techbridge_http_request_duration_seconds_bucket{method="GET",route="/api/v1/outcomes",status="2xx",le="+Inf"} 1`,
		`techbridge_http_requests_in_flight 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics miss %s:\n%s", want, grepLines(body, "techbridge_http"))
		}
	}
}

// TestPagesRateLimitedByClientClass: web pages have an anonymous and a
// signed-in budget, the login form also spends the login budget, and the
// client address follows the API's trusted-proxy rule.
func TestPagesRateLimitedByClientClass(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{TrustedProxies: []string{"192.0.2.1"}, Rates: RateLimits{Pages: 2, PagesSession: 3, Login: 1}})
	pages := e.srv.Pages(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "page") }), "tb_session", nil)
	get := func(client, cookie, method, path string) int {
		req := httptest.NewRequest(method, path, nil)
		req.RemoteAddr = "192.0.2.1:9"
		req.Header.Set("X-Forwarded-For", client)
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "tb_session", Value: cookie})
		}
		rec := httptest.NewRecorder()
		pages.ServeHTTP(rec, req)
		if rec.Code == http.StatusTooManyRequests && rec.Header().Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
		return rec.Code
	}
	for range 2 {
		if c := get("198.51.100.1", "", "GET", "/outcomes"); c != 200 {
			t.Fatalf("within the budget: %d", c)
		}
	}
	if c := get("198.51.100.1", "", "GET", "/outcomes"); c != 429 {
		t.Fatalf("beyond the anonymous budget: %d", c)
	}
	if c := get("198.51.100.2", "", "GET", "/outcomes"); c != 200 {
		t.Fatalf("another client: %d", c)
	}
	for range 3 {
		if c := get("198.51.100.1", "sess", "GET", "/outcomes"); c != 200 {
			t.Fatalf("signed-in class: %d", c)
		}
	}
	if c := get("198.51.100.3", "", "POST", "/login"); c != 200 {
		t.Fatalf("first login: %d", c)
	}
	if c := get("198.51.100.3", "", "POST", "/login"); c != 429 {
		t.Fatalf("second login beyond the login budget: %d", c)
	}
}

// TestClientIPMatchesGin: the rule the API and the pages share is Gin's
// with X-Forwarded-For as its one header, and it allocates nothing.
func TestClientIPMatchesGin(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{TrustedProxies: []string{"192.0.2.1", "10.0.0.0/8", "2001:db8::/32"}})
	cases := []struct {
		remote string
		xff    []string
		bad    bool // a malformed header: the parse error allocates, and no hot path sees one
	}{
		{"192.0.2.1:1", []string{"198.51.100.4"}, false},
		{"192.0.2.1:1", []string{"198.51.100.4, 10.1.2.3"}, false},
		{"192.0.2.1:1", []string{"6.6.6.6, 198.51.100.4"}, false},
		{"192.0.2.1:1", []string{"6.6.6.6", "198.51.100.4, 10.0.0.1"}, false},
		{"192.0.2.1:1", []string{"6.6.6.6, 7.7.7.7", "10.0.0.2,10.0.0.1"}, false},
		{"192.0.2.1:1", []string{"10.0.0.3, 10.0.0.2", "10.0.0.1"}, false},
		{"192.0.2.1:1", []string{"  198.51.100.4 ,10.0.0.1 "}, false},
		{"[2001:db8::1]:443", []string{"2001:db8::2, 2a00::7"}, false},
		{"203.0.113.9:1", []string{"198.51.100.4"}, false},
		{"192.0.2.1:1", nil, false},
		{"192.0.2.1:1", []string{""}, true},
		{"192.0.2.1:1", []string{"garbage"}, true},
		{"192.0.2.1:1", []string{"198.51.100.4, garbage, 10.0.0.1"}, true},
		{"192.0.2.1:1", []string{"198.51.100.4,,10.0.0.1"}, true},
	}
	for _, c := range cases {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = c.remote
		for _, v := range c.xff {
			req.Header.Add("X-Forwarded-For", v)
		}
		req.Header.Set("X-Real-IP", "192.0.2.99") // not believed: one header only
		var ginIP string
		rec := httptest.NewRecorder()
		_, eng := gin.CreateTestContext(rec)
		if err := eng.SetTrustedProxies(e.srv.cfg.TrustedProxies); err != nil {
			t.Fatal(err)
		}
		eng.ForwardedByClientIP = true
		eng.RemoteIPHeaders = e.srv.engine.RemoteIPHeaders
		eng.GET("/", func(g *gin.Context) { ginIP = g.ClientIP() })
		eng.ServeHTTP(rec, req)
		if got := e.srv.ClientIP(req); got != ginIP {
			t.Errorf("remote %s, X-Forwarded-For %q: ClientIP %s, gin %s", c.remote, c.xff, got, ginIP)
		}
		if n := testing.AllocsPerRun(10, func() { e.srv.ClientIP(req) }); n != 0 && !c.bad {
			t.Errorf("remote %s, X-Forwarded-For %q: ClientIP allocates %v times", c.remote, c.xff, n)
		}
	}
}

// TestAPIRateLimitBelievesOnlyForwardedFor: the API's limiter keys on the
// pages' rule. It used Gin's, which also believed X-Real-IP from a trusted
// proxy, so a client behind one could rotate that header for a fresh budget
// on every API request while the pages limited it.
func TestAPIRateLimitBelievesOnlyForwardedFor(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{TrustedProxies: []string{"192.0.2.1"}, RateLimit: 2})
	for i := range 3 {
		req := httptest.NewRequest("GET", "/api/v1/taxonomy/fields", nil)
		req.RemoteAddr = "192.0.2.1:9"
		req.Header.Set("X-Real-IP", fmt.Sprintf("198.51.100.%d", i+1))
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if want := map[bool]int{true: 200, false: 429}[i < 2]; rec.Code != want {
			t.Fatalf("request %d from one proxy with a new X-Real-IP: %d, want %d", i+1, rec.Code, want)
		}
	}
}

// scrape reads the metrics as Prometheus would.
func scrape(t *testing.T, m *Metrics, token string) string {
	t.Helper()
	req := httptest.NewRequest("GET", "/metrics", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	m.Handler(token).ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("metrics: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestPasswordResetAndChangeAreGated: a reset and a password change hash
// too, so they wait for the same gate as logins. An anonymous flood of
// resets with made-up links used to hash each one (19 MiB) outside it.
func TestPasswordResetAndChangeAreGated(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{})
	_, tok := e.user("gated@example.com")
	gate := market.NewHashGate(1, 0, time.Minute)
	e.svc.Hashing = gate
	release := make(chan struct{})
	held := make(chan struct{})
	go gate.Do(context.Background(), func() { close(held); <-release })
	<-held

	e.expect(e.do("POST", "/api/v1/auth/password/reset", "",
		map[string]string{"token": "made-up", "password": "a brand new passphrase"}), 429)
	e.expect(e.do("POST", "/api/v1/me/password", tok.AccessToken,
		map[string]string{"current_password": "correct horse battery", "password": "a brand new passphrase"}), 429)
	if st := gate.Stats(); st.Rejected != 2 {
		t.Fatalf("gate %+v; want both refused by it", st)
	}
	close(release)
	for gate.Stats().Running > 0 { // the holder lets go of its slot
		time.Sleep(time.Millisecond)
	}
	e.expect(e.do("POST", "/api/v1/me/password", tok.AccessToken,
		map[string]string{"current_password": "correct horse battery", "password": "a brand new passphrase"}), 204)
}

// TestForgotPasswordCountsInTheLoginClass: each forgot-password request can
// mail a typed address, so one client gets the login class's budget, not
// the general one's.
func TestForgotPasswordCountsInTheLoginClass(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{Rates: RateLimits{Login: 3}})
	for range 3 {
		e.expect(e.do("POST", "/api/v1/auth/password/forgot", "", map[string]string{"email": "someone@example.com"}), 202)
	}
	e.expect(e.do("POST", "/api/v1/auth/password/forgot", "", map[string]string{"email": "someone@example.com"}), 429)
}

// TestHashGateRefusalsSpendTheGlobalBudget: logins the password-hash gate
// turns away count against the global failed-login budget, so a flood
// beyond the hashing capacity pauses every login (and the hashing) at
// once instead of keeping the gate busy for the rest of the window.
func TestHashGateRefusalsSpendTheGlobalBudget(t *testing.T) {
	db := sqltest.MustOpen(t)
	gate := market.NewHashGate(1, 0, time.Second)
	svc := market.NewService(db)
	svc.Hashing = gate
	e := newEnvOn(t, db, kv.NewMemory(), Config{TrustedProxies: []string{"192.0.2.1"}})
	svc.Log = e.svc.Log
	srv, err := New(Config{TrustedProxies: []string{"192.0.2.1"}}, svc, e.srv.Tokens, e.kv, e.svc.Log)
	if err != nil {
		t.Fatal(err)
	}
	e.srv, e.svc = srv, svc
	e.user("regular@example.com")
	e.srv.Throttle.GlobalFailures = 3

	hold, held := make(chan struct{}), make(chan struct{})
	go gate.Do(context.Background(), func() { close(held); <-hold }) // the one hash slot, taken
	<-held
	for i := 1; i <= 3; i++ {
		res := e.expect(e.loginVia("198.18.0."+strconv.Itoa(i), "nobody"+strconv.Itoa(i)+"@example.com", "guess"), 429)
		if !strings.Contains(res.problem().Detail, "at once") {
			t.Fatalf("refusal %d: %q, want the gate's", i, res.problem().Detail)
		}
	}
	close(hold)
	res := e.expect(e.loginVia("198.18.0.99", "regular@example.com", "correct horse battery"), 429)
	if d := res.problem().Detail; !strings.Contains(d, "failed logins") {
		t.Fatalf("after the gate's refusals: %q, want the global budget's pause", d)
	}
}

// discardWriter is a ResponseWriter that keeps only the headers.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

// TestConstantRouteCostsNoMoreThanHealthz: a constant answer (the taxonomy)
// is written from bytes and headers built once, and its route skips the
// deadline, body limit and media check that guard handlers doing I/O, so a
// request allocates no more than /healthz's (it allocated 22 to /healthz's
// 10 when every /api/v1 middleware ran and its headers were set per request).
func TestConstantRouteCostsNoMoreThanHealthz(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{RateLimit: 1 << 30})
	e.srv.Metrics = NewMetrics()
	allocs := func(path string) float64 {
		req := httptest.NewRequest("GET", path, nil)
		return testing.AllocsPerRun(200, func() { e.srv.ServeHTTP(&discardWriter{h: http.Header{}}, req) })
	}
	health, fields := allocs("/healthz"), allocs("/api/v1/taxonomy/fields")
	if fields > health {
		t.Fatalf("taxonomy allocates %.0f per request, /healthz %.0f", fields, health)
	}
}

// TestConstantRouteKeepsItsGuards: the lean constant route is still rate
// limited, still refuses a bad token, and still answers HEAD with the
// GET's length.
func TestConstantRouteKeepsItsGuards(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{RateLimit: 2})
	const path = "/api/v1/taxonomy/fields"
	e.expect(e.do("GET", path, "not-a-token", nil), 401)
	get := e.expect(e.do("GET", path, "", nil), 200)
	res := e.expect(e.do("GET", path, "", nil), 429)
	if res.Header().Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	e2 := newEnv(t)
	head := e2.expect(e2.do("HEAD", path, "", nil), 200)
	if head.Body.Len() != 0 || head.Header().Get("Content-Length") != strconv.Itoa(get.Body.Len()) {
		t.Fatalf("HEAD: %d bytes, Content-Length %q, GET %d bytes", head.Body.Len(), head.Header().Get("Content-Length"), get.Body.Len())
	}
}

// TestOpenAPIDocumentIsRateLimited: the served OpenAPI document, the largest
// constant answer, counts against the general per-client limit like the API.
func TestOpenAPIDocumentIsRateLimited(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{RateLimit: 2})
	e.expect(e.do("GET", "/api/openapi.json", "", nil), 200)
	e.expect(e.do("GET", "/api/openapi.json", "", nil), 200)
	if res := e.expect(e.do("GET", "/api/openapi.json", "", nil), 429); res.Header().Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
}

// TestRequestIDsAreASequence: a request without an X-Request-ID gets an id
// of this process's prefix and a sequence number (no random UUID per
// request); a sane caller's id is still echoed.
func TestRequestIDsAreASequence(t *testing.T) {
	e := newEnv(t)
	a := e.do("GET", "/healthz", "", nil).Header().Get("X-Request-ID")
	b := e.do("GET", "/healthz", "", nil).Header().Get("X-Request-ID")
	cut := func(id string) (string, string) { i := strings.LastIndex(id, "-"); return id[:max(i, 0)], id[i+1:] }
	pa, sa := cut(a)
	pb, sb := cut(b)
	na, _ := strconv.ParseUint(sa, 36, 64)
	nb, _ := strconv.ParseUint(sb, 36, 64)
	if pa != pb || na == 0 || nb != na+1 || !validRequestID.MatchString(a) {
		t.Fatalf("ids %q then %q", a, b)
	}
	if got := e.doFrom("192.0.2.1:1", "GET", "/healthz", "", nil, map[string]string{"X-Request-ID": "mine-1"}).Header().Get("X-Request-ID"); got != "mine-1" {
		t.Fatalf("caller's id came back as %q", got)
	}
}

// TestJSONEncodersAgree: the listing answers encoded by goccy/go-json
// (writeJSON) are byte for byte what encoding/json writes, on a detail and
// a page with HTML-significant characters, line separators, empty and nil
// lists, optional times and an embedded struct.
func TestJSONEncodersAgree(t *testing.T) {
	now := time.Date(2026, 12, 6, 15, 4, 5, 123456789, time.UTC)
	trl := 7
	o := market.Outcome{ListingMeta: market.ListingMeta{ID: "01a2-x", OrgID: "org", Status: market.ListingPublished,
		RejectReason: "<script>&amp;", CreatedAt: now, UpdatedAt: now, PublishedAt: &now, Version: 3},
		Title: "锂电池 <b>\u2028\u2029 \"quoted\" \\ \x01", Summary: "", Keywords: nil, IPC: []string{"H01M 10/05"}, TRL: trl,
		Price: market.Money{Min: 1, Max: 1 << 40, Currency: "CNY", Negotiable: true}, FreshUntil: now}
	bare := market.Outcome{ListingMeta: market.ListingMeta{ID: "b"}}
	admin := market.Actor{AccountID: "a", PlatformRole: market.RoleAdmin}
	for name, v := range map[string]any{
		"detail":     toOutcomeResponse(&o, admin),
		"bare":       toOutcomeResponse(&bare, market.Actor{}),
		"page":       pageResponse(market.Page[market.Outcome]{Items: []market.Outcome{o, bare}, Counted: true, Total: 2, HasMore: true, NextCursor: "b"}, func(x *market.Outcome) outcomeResponse { return toOutcomeResponse(x, market.Actor{}) }),
		"empty page": pageResponse(market.Page[market.Outcome]{}, func(x *market.Outcome) outcomeResponse { return toOutcomeResponse(x, market.Actor{}) }),
		"search": toSearchResponse(search.Result{Total: 2, Hits: []search.Hit{{
			Document: search.Document{ID: "h1", Kind: search.KindOutcome, Title: "锂电池 <b>\u2028", Summary: "a \"b\" & c",
				IPC: []string{"H01M"}, TRL: 7, PriceMin: 1, PriceMax: 1 << 40, Currency: "CNY", Langs: []string{"zh", "en"}, PublishedAt: now},
			Score:      1.2345678901234567,
			Highlights: map[string][]string{"title": {"<mark>锂</mark>电池"}, "summary": {"x"}, "keywords": nil},
			Bridge:     &search.Bridge{From: "en", Classes: []string{"H01M"}, Chance: 0.25, Terms: []search.Translation{{From: "battery", To: "电池"}}},
		}, {Document: search.Document{ID: "h2", Kind: search.KindScenario}}},
			Facets: map[string][]search.FacetValue{"kind": {{Value: "outcome", Count: 1}}, "field": {{Value: "ai", Count: 2}}, "ipc": nil}}),
		"empty search": toSearchResponse(search.Result{}),
		"matches": toMatchResultResponse(search.MatchResult{Subject: search.Document{ID: "s", Title: "需求"}, Matches: []search.Match{{
			Hit: search.Hit{Document: search.Document{ID: "m1", Title: "电池 <x>"}, Score: 3.5, Terms: []string{"电池"}}, Score: 61.25,
			Reasons: []search.Reason{{Kind: "text", Points: 30.5, Terms: []string{"电池"}}, {Kind: "ipc", Points: 20, Codes: []string{"H01M"}}},
			Gaps:    []search.Reason{{Kind: "trl", Points: 0}}}}}),
		"empty matches": toMatchResultResponse(search.MatchResult{}),
	} {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		gin.SetMode(gin.TestMode)
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		writeJSON(c, http.StatusOK, v)
		if got := rec.Body.String(); got != string(want) {
			t.Errorf("%s:\ngoccy:         %s\nencoding/json: %s", name, got, want)
		}
	}
}

// TestListingTimesAreTheTimesJSON: a listing answer's times, formatted by
// the handler, are what encoding/json writes for the time.Time (a zone
// other than UTC, whole seconds, nanoseconds), and a listing never
// published has no published_at.
func TestListingTimesAreTheTimesJSON(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	for _, at := range []time.Time{
		time.Date(2026, 12, 6, 15, 4, 5, 123456789, time.UTC),
		time.Date(2026, 12, 6, 15, 4, 5, 0, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 120000000, shanghai),
	} {
		r := toListingMetaResponse(market.ListingMeta{CreatedAt: at, UpdatedAt: at, PublishedAt: &at}, market.Actor{})
		want, err := json.Marshal(at)
		if err != nil {
			t.Fatal(err)
		}
		for name, got := range map[string]string{"created_at": r.CreatedAt, "updated_at": r.UpdatedAt, "published_at": r.PublishedAt} {
			if `"`+got+`"` != string(want) {
				t.Errorf("%s of %v = %q, time.Time writes %s", name, at, got, want)
			}
		}
	}
	b, err := json.Marshal(toListingMetaResponse(market.ListingMeta{ID: "draft"}, market.Actor{}))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "published_at") {
		t.Errorf("a draft's answer names published_at: %s", b)
	}
}
