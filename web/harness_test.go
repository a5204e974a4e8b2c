package web

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore/sqltest"
)

// site is the web pages over a fresh SQLite store, behind a real HTTP server.
type site struct {
	t   *testing.T
	srv *httptest.Server
	svc *market.Service
}

func newSite(t *testing.T) *site {
	t.Helper()
	return newSiteWith(t, nil)
}

// newSiteWith is newSite with the Config changed by set first.
func newSiteWith(t *testing.T, set func(*Config)) *site {
	t.Helper()
	svc := market.NewService(sqltest.MustOpen(t))
	svc.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := Config{Service: svc, Log: svc.Log}
	if set != nil {
		set(&cfg)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &site{t: t, srv: srv, svc: svc}
}

// browser is one visitor with its own cookie jar; it follows redirects
// like a browser and remembers the last page, whose forms it submits.
type browser struct {
	t        *testing.T
	site     *site
	c        *http.Client
	header   http.Header // sent with every request
	last     *page
	redirect []string // the Location headers of the last request's redirects
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	b := &browser{t: s.t, site: s, header: http.Header{}}
	b.c = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		b.redirect = append(b.redirect, req.URL.RequestURI())
		return nil
	}}
	return b
}

// page is a fetched page.
type page struct {
	status int
	path   string // after redirects, with the query
	body   string
}

func (b *browser) do(req *http.Request) *page {
	b.t.Helper()
	for k, v := range b.header {
		req.Header[k] = v
	}
	b.redirect = nil
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	p := &page{status: resp.StatusCode, path: resp.Request.URL.RequestURI(), body: string(body)}
	b.last = p
	return p
}

func (b *browser) get(path string) *page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.site.srv.URL+path, nil)
	return b.do(req)
}

// post sends a form as is, with no token added.
func (b *browser) post(path string, vals url.Values) *page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.site.srv.URL+path, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// submit posts a form with the CSRF token of the last page, as a browser
// submitting a form on it would.
func (b *browser) submit(path string, vals url.Values) *page {
	b.t.Helper()
	if b.last == nil {
		b.t.Fatal("submit before any page was loaded")
	}
	vals.Set(csrfField, b.last.token(b.t))
	return b.post(path, vals)
}

var tokenRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// token returns the CSRF token in the page's forms.
func (p *page) token(t *testing.T) string {
	t.Helper()
	m := tokenRE.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no csrf token on %s:\n%s", p.path, p.body)
	}
	return m[1]
}

// field returns the HTML of the form field whose input has id, from its
// <div class="field…"> to the end of that div.
func (p *page) field(t *testing.T, id string) string {
	t.Helper()
	i := strings.Index(p.body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no element %q on %s", id, p.path)
	}
	start := strings.LastIndex(p.body[:i], `<div class="field`)
	end := strings.Index(p.body[i:], "</div>")
	if start < 0 || end < 0 {
		t.Fatalf("element %q is not in a field div", id)
	}
	return p.body[start : i+end]
}

func (p *page) has(s string) bool { return strings.Contains(p.body, s) }

// register creates an account through the register page.
func (b *browser) register(name, email, password string) *page {
	b.t.Helper()
	b.get("/register")
	return b.submit("/register", url.Values{"display_name": {name}, "email": {email}, "password": {password}})
}

// login logs in through the login page.
func (b *browser) login(email, password string) *page {
	b.t.Helper()
	b.get("/login")
	return b.submit("/login", url.Values{"email": {email}, "password": {password}})
}

// creditCode returns a valid unified social credit code ending in n.
func creditCode(n string) string {
	first := "91310000MA1F" + n
	return first + string(market.CreditCodeCheckChar(first))
}

// memberships returns the organisations an account belongs to, read from
// the service rather than the pages.
func (s *site) memberships(email string) []market.Member {
	s.t.Helper()
	acc, err := s.svc.Authenticate(context.Background(), email, testPassword)
	if err != nil {
		s.t.Fatalf("authenticate %s: %v", email, err)
	}
	_, ms, err := s.svc.Me(context.Background(), market.Actor{AccountID: acc.ID})
	if err != nil {
		s.t.Fatal(err)
	}
	return ms
}

const testPassword = "correct horse battery"

// testAdmin is a platform admin for set-up through the service.
var testAdmin = market.Actor{AccountID: "test-admin", PlatformRole: market.RoleAdmin, EmailVerified: true}

// join invites email into orgID by owner and accepts for the invitee, the
// one consented way into an organisation.
func (s *site) join(t *testing.T, owner market.Actor, orgID, email string) {
	t.Helper()
	ctx := context.Background()
	inv, err := s.svc.InviteMember(ctx, owner, orgID, email, market.MemberMember)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := s.svc.Authenticate(ctx, email, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	invitee, err := s.svc.ActorFor(ctx, acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.AnswerInvitation(ctx, invitee, market.InvitationRef{ID: inv.ID}, true); err != nil {
		t.Fatal(err)
	}
}

// mailTo returns the newest queued mail of kind to the address.
func (s *site) mailTo(t *testing.T, to, kind string) market.OutboxMail {
	t.Helper()
	var due []market.OutboxMail
	if err := s.svc.Store.View(context.Background(), func(tx market.Tx) (err error) {
		due, err = tx.DueMail(time.Now().AddDate(1, 0, 0), 1000)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for i := len(due) - 1; i >= 0; i-- {
		if due[i].To == to && due[i].Kind == kind {
			return due[i]
		}
	}
	t.Fatalf("no %s mail to %s", kind, to)
	return market.OutboxMail{}
}

var (
	confirmFormRE = regexp.MustCompile(`(?s)<form method="post" action="([^"]+)" class="act-row confirm-form">(.*?)</form>`)
	hiddenRE      = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// confirm submits the confirmation form of the last page (a destructive
// action's second page), as a click on its "Yes" button would.
func (b *browser) confirm() *page {
	b.t.Helper()
	m := confirmFormRE.FindStringSubmatch(b.last.body)
	if m == nil {
		b.t.Fatalf("no confirmation form on %s:\n%s", b.last.path, b.last.body)
	}
	vals := url.Values{}
	for _, h := range hiddenRE.FindAllStringSubmatch(m[2], -1) {
		vals.Add(html.UnescapeString(h[1]), html.UnescapeString(h[2]))
	}
	return b.post(html.UnescapeString(m[1]), vals)
}
