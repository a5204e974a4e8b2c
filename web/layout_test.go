package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"techbridge/market"
)

// header returns the page's site header.
func (p *page) header(t *testing.T) string {
	t.Helper()
	i := strings.Index(p.body, `<header class="site-header">`)
	j := strings.Index(p.body[max(i, 0):], "</header>")
	if i < 0 || j < 0 {
		t.Fatalf("no site header on %s", p.path)
	}
	return p.body[i : i+j]
}

// TestHeaderNavigation: browsing links for everyone; the account menu
// (a <details>, no script) holds each visitor's own pages, review only for
// reviewers and admins, payouts only for admins, and the count of unread
// notifications until they are read.
func TestHeaderNavigation(t *testing.T) {
	w := newListingWorld(t)
	ctx := context.Background()
	if _, err := w.svc.CreateAdmin(ctx, market.NewAccount{Email: "admin@techbridge.test", Password: testPassword, DisplayName: "Admin"}, market.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	browse := []string{`href="/outcomes"`, `href="/scenarios"`, `href="/search"`}
	own := []string{`href="/deals"`, `href="/notifications"`, `href="/my/listings"`, `href="/my/organizations"`, `href="/my/finance"`, `action="/logout"`}
	cases := []struct {
		email     string
		want, not []string
	}{
		{"", append(browse, `href="/login"`, `href="/register"`), append(own, "account-menu", `href="/review"`)},
		{"uni@example.edu.cn", append(browse, own...), []string{`href="/review"`, `href="/admin/payouts"`, `href="/login"`}},
		{"rev@techbridge.test", append(own, `href="/review"`), []string{`href="/admin/payouts"`}},
		{"admin@techbridge.test", append(own, `href="/review"`, `href="/admin/payouts"`), nil},
	}
	for _, c := range cases {
		h := w.as(c.email).get("/outcomes").header(t)
		for _, s := range c.want {
			if !strings.Contains(h, s) {
				t.Errorf("%q: header lacks %s", c.email, s)
			}
		}
		for _, s := range c.not {
			if strings.Contains(h, s) {
				t.Errorf("%q: header has %s", c.email, s)
			}
		}
	}

	uni := w.as("uni@example.edu.cn")
	h := uni.get("/deals").header(t)
	if !strings.Contains(h, `<details class="account-menu">`) || !strings.Contains(h, `href="/deals" aria-current="page">My deals`) {
		t.Errorf("account menu or current page mark missing:\n%s", h)
	}
	if strings.Contains(h, `class="count"`) {
		t.Error("unread count shown with no notifications")
	}
	// An inquiry on the university's outcome notifies it.
	o := w.publishedOutcome(t, market.OutcomeInput{Title: "Solid-state electrolyte", Summary: "s"})
	if _, err := w.svc.OpenDealOnOutcome(ctx, w.entAct, w.ent.ID, o.ID, "We would like to license this."); err != nil {
		t.Fatal(err)
	}
	p := uni.get("/outcomes")
	if h := p.header(t); !strings.Contains(h, `<span class="count" aria-hidden="true">1</span>`) || !strings.Contains(h, "1 unread notifications") {
		t.Fatalf("unread count missing after an inquiry:\n%s", h)
	}
	p = uni.get("/notifications")
	id := regexp.MustCompile(`action="/notifications/([^/]+)/read"`).FindStringSubmatch(p.body)
	if id == nil {
		t.Fatalf("no notification to read:\n%s", p.body)
	}
	uni.submit("/notifications/"+id[1]+"/read", url.Values{})
	if h := uni.get("/outcomes").header(t); strings.Contains(h, `class="count"`) {
		t.Errorf("unread count still shown after reading:\n%s", h)
	}
	if h := w.as("ent@example.com").get("/outcomes").header(t); strings.Contains(h, `class="count"`) {
		t.Error("the inquirer got the seller's unread count")
	}
}

// TestUnreadText: the header spells out small counts and caps large ones.
func TestUnreadText(t *testing.T) {
	for n, want := range map[int]string{0: "", 1: "1", unreadShown: "9", unreadShown + 1: "9+"} {
		v := view{visit: &visit{unread: func() int { return n }}}
		if got := v.Unread(); got != want {
			t.Errorf("Unread() with %d = %q, want %q", n, got, want)
		}
	}
	if got := (view{visit: &visit{}}).Unread(); got != "" {
		t.Errorf("anonymous Unread() = %q", got)
	}
}
