package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"techbridge/api"
	"techbridge/api/auth"
	"techbridge/api/kv"
	"techbridge/market"
	"techbridge/market/sqlstore/sqltest"
)

// The API's throttle is what serve passes as Config.Throttle.
var _ LoginThrottle = auth.Throttle{}

// TestLoginThrottle: after auth.MaxLoginFailures wrong passwords for an
// email, even the right one is refused with a readable 429 that says to
// wait; other emails are unaffected; a success clears earlier failures.
func TestLoginThrottle(t *testing.T) {
	s := newSiteWith(t, func(c *Config) { c.Throttle = auth.Throttle{KV: kv.NewMemory()} })
	for _, email := range []string{"victim@example.com", "other@example.com", "lucky@example.com"} {
		s.browser().register("x", email, testPassword)
	}
	b := s.browser()
	b.header.Set("Accept-Language", "en")
	wrong := func(email string) *page {
		b.get("/login")
		return b.submit("/login", url.Values{"email": {email}, "password": {"not the password"}})
	}
	for i := 0; i < auth.MaxLoginFailures; i++ {
		if p := wrong("victim@example.com"); p.status != http.StatusUnauthorized || !p.has("Wrong email or password") {
			t.Fatalf("failure %d: %d", i+1, p.status)
		}
	}
	p := b.login("Victim@Example.com", testPassword)
	if p.status != http.StatusTooManyRequests || !p.has("Too many failed attempts") || !p.has("15 minutes") || p.path != "/login" {
		t.Fatalf("right password while throttled: %d %s\n%s", p.status, p.path, p.body)
	}
	if !p.has(`value="Victim@Example.com"`) {
		t.Error("throttled login form lost the email")
	}
	if p := b.get("/my/organizations"); p.path == "/my/organizations" {
		t.Error("a throttled login started a session")
	}

	zh := s.browser()
	zh.get("/login")
	if p := zh.submit("/login", url.Values{"email": {"victim@example.com"}, "password": {testPassword}}); p.status != http.StatusTooManyRequests || !p.has("请 15 分钟后再试") {
		t.Errorf("Chinese throttled page: %d", p.status)
	}

	if p := b.login("other@example.com", testPassword); p.path != "/dashboard" {
		t.Errorf("another email from the same client: landed on %s (%d)", p.path, p.status)
	}

	// Failures short of the limit are forgotten after a success.
	for i := 0; i < auth.MaxLoginFailures-1; i++ {
		wrong("lucky@example.com")
	}
	s.browser().login("lucky@example.com", testPassword)
	for i := 0; i < auth.MaxLoginFailures-1; i++ {
		wrong("lucky@example.com")
	}
	if p := s.browser().login("lucky@example.com", testPassword); p.path != "/dashboard" {
		t.Errorf("after a success and %s more failures: %d %s", strconv.Itoa(auth.MaxLoginFailures-1), p.status, p.path)
	}
}

// TestLoginSharesTheAPIsLimits: the pages count failures in the same
// throttle as the API, under the client address the API's trusted-proxy
// rule gives: failures for an account recorded by the API from other
// addresses lock the web login too, and a spraying address behind the
// trusted proxy is blocked by its forwarded address, not the proxy's.
func TestLoginSharesTheAPIsLimits(t *testing.T) {
	store := kv.NewMemory()
	throttle := auth.Throttle{KV: store, AccountFailures: 2, AddressFailures: 2}
	apiSrv, err := api.New(api.Config{TrustedProxies: []string{"127.0.0.1", "::1"}}, market.NewService(sqltest.MustOpen(t)),
		&auth.Tokens{Key: auth.GenerateKey(), KV: store}, store, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := newSiteWith(t, func(c *Config) { c.Throttle, c.ClientIP = throttle, apiSrv.ClientIP })
	s.browser().register("x", "stuffed@example.com", testPassword)
	s.browser().register("y", "fine@example.com", testPassword)
	ctx := context.Background()
	// As the API records failed logins from two addresses.
	for _, addr := range []string{"203.0.113.1", "203.0.113.2"} {
		if err := throttle.Failed(ctx, "stuffed@example.com", addr); err != nil {
			t.Fatal(err)
		}
	}
	b := s.browser()
	b.header.Set("X-Forwarded-For", "198.51.100.20")
	if p := b.login("stuffed@example.com", testPassword); p.status != http.StatusTooManyRequests {
		t.Fatalf("web login after the API saw the account's failures: %d %s", p.status, p.path)
	}
	sprayer := s.browser()
	sprayer.header.Set("X-Forwarded-For", "198.51.100.66")
	for _, email := range []string{"a@example.com", "b@example.com"} {
		sprayer.get("/login")
		sprayer.submit("/login", url.Values{"email": {email}, "password": {"guess"}})
	}
	if p := sprayer.login("fine@example.com", testPassword); p.status != http.StatusTooManyRequests {
		t.Fatalf("the spraying address logged in: %d", p.status)
	}
	other := s.browser()
	other.header.Set("X-Forwarded-For", "198.51.100.67")
	if p := other.login("fine@example.com", testPassword); p.path != "/dashboard" {
		t.Fatalf("another address behind the same proxy: %d %s", p.status, p.path)
	}
}
