package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"techbridge/market"
)

// TestCSRFRefused: a form without the visitor's token, or sent from
// another site, is refused with a readable 403 page and changes nothing.
func TestCSRFRefused(t *testing.T) {
	s := newSite(t)
	other := s.browser()
	other.get("/register")
	foreignToken := other.last.token(t)

	cases := []struct {
		name   string
		token  func(b *browser) string
		header map[string]string
	}{
		{"missing token", func(*browser) string { return "" }, nil},
		{"wrong token", func(*browser) string { return "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }, nil},
		{"another visitor's token", func(*browser) string { return foreignToken }, nil},
		{"cross-site request with a valid token", func(b *browser) string { return b.last.token(t) },
			map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := s.browser()
			b.get("/register")
			vals := url.Values{"display_name": {"Mallory"}, "email": {"m" + string(rune('a'+i)) + "@example.com"}, "password": {testPassword}}
			if tok := c.token(b); tok != "" {
				vals.Set(csrfField, tok)
			}
			for k, v := range c.header {
				b.header.Set(k, v)
			}
			p := b.post("/register", vals)
			if p.status != http.StatusForbidden {
				t.Fatalf("status %d, want 403", p.status)
			}
			if !p.has("表单未能提交") || !p.has("内容没有保存") || strings.Contains(p.body, "goroutine") {
				t.Errorf("refusal page is not the readable one:\n%s", p.body)
			}
			if _, err := s.svc.Authenticate(t.Context(), vals.Get("email"), testPassword); err == nil {
				t.Error("the refused registration created an account")
			}
		})
	}

	t.Run("logged-in form with a token from before login", func(t *testing.T) {
		b := s.browser()
		b.register("Owner", "owner@example.com", testPassword)
		b.get("/login")
		before := b.last.token(t)
		b.submit("/login", url.Values{"email": {"owner@example.com"}, "password": {testPassword}})
		p := b.post("/my/organizations", url.Values{csrfField: {before}, "kind": {"enterprise"}, "name_zh": {"某公司"}, "credit_code": {creditCode("00003")}})
		if p.status != http.StatusForbidden {
			t.Fatalf("status %d, want 403: the token must be bound to the session", p.status)
		}
		if ms := s.memberships("owner@example.com"); len(ms) != 0 {
			t.Errorf("refused form created an organisation: %+v", ms)
		}
		// The same form with the page's token goes through.
		b.get("/my/organizations")
		p = b.submit("/my/organizations", url.Values{"kind": {"enterprise"}, "name_zh": {"某公司"}, "credit_code": {creditCode("00003")}})
		if p.status != http.StatusOK || len(s.memberships("owner@example.com")) != 1 {
			t.Errorf("valid form: status %d, path %s", p.status, p.path)
		}
	})

	t.Run("logout without token keeps the session", func(t *testing.T) {
		b := s.browser()
		b.login("owner@example.com", testPassword)
		if p := b.post("/logout", url.Values{}); p.status != http.StatusForbidden {
			t.Errorf("status %d, want 403", p.status)
		}
		if p := b.get("/my/organizations"); p.path != "/my/organizations" {
			t.Errorf("after refused logout the page went to %s; the session should live", p.path)
		}
	})
}

// TestFormBodyLimits: a listing with a 20,000-character Chinese
// description (about 180 KB encoded, over the old 64 KB cap) is accepted;
// a body over the limit gets a readable "too large" page, not the
// expired-form one, and creates nothing.
func TestFormBodyLimits(t *testing.T) {
	w := newListingWorld(t)
	uni := w.as("uni@example.edu.cn")
	long := strings.Repeat("氢", market.MaxDescription)
	uni.get("/outcomes/new")
	p := uni.submit("/outcomes", url.Values{"org_id": {w.uni.ID}, "title": {"长描述成果"}, "summary": {"摘要"},
		"description": {long}, "currency": {"CNY"}, "ip_type": {"invention_patent"}, "confidentiality": {"public"}})
	if p.status != http.StatusOK || !strings.Contains(p.path, "done=outcome_created") {
		t.Fatalf("long description: %d %s", p.status, p.path)
	}
	if got := w.outcomesOf(t, w.uni.ID); len(got) != 1 || got[0].Description != long {
		t.Fatalf("stored %d outcomes; want the one with the whole description", len(got))
	}

	uni.get("/outcomes/new")
	p = uni.submit("/outcomes", url.Values{"org_id": {w.uni.ID}, "title": {"太长"}, "description": {strings.Repeat("x", maxFormBytes)}})
	if p.status != http.StatusRequestEntityTooLarge || !p.has("The form is too large") || p.has("The form was not accepted") {
		t.Errorf("over-limit form: %d\n%s", p.status, p.body)
	}
	uni.get("/my/import")
	p = uni.upload("/my/import", map[string]string{"org_id": w.uni.ID, "format": "jsonl"}, "big.jsonl", strings.Repeat("x", maxUploadBytes))
	if p.status != http.StatusRequestEntityTooLarge || !p.has("The form is too large") {
		t.Errorf("over-limit upload: %d", p.status)
	}
	if got := w.outcomesOf(t, w.uni.ID); len(got) != 1 {
		t.Errorf("over-limit posts created outcomes: %d, want still 1", len(got))
	}
}
