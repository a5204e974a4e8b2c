package web

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"techbridge/api/auth"
	"techbridge/api/kv"
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

	if p := b.login("other@example.com", testPassword); p.path != "/my/organizations" {
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
	if p := s.browser().login("lucky@example.com", testPassword); p.path != "/my/organizations" {
		t.Errorf("after a success and %s more failures: %d %s", strconv.Itoa(auth.MaxLoginFailures-1), p.status, p.path)
	}
}
