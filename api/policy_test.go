package api

import (
	"fmt"
	"sort"
	"testing"
)

// The route policy: who may call each route on the objects of the fixture
// world. Allow means any answer but 401, 403 or 404; Deny means one of those.
// A route missing from this table fails the test, so every new route must
// state its policy here.

type verdict int

const (
	Allow verdict = iota + 1
	Deny
)

func (v verdict) String() string { return map[verdict]string{Allow: "allow", Deny: "deny"}[v] }

// world is the fixture: organisation A (member is its owner), organisation B
// (other is its owner), and a platform admin. Later areas add their objects.
type world struct {
	e      *testEnv
	member tokenResponse
	other  tokenResponse
	admin  tokenResponse
	orgA   orgResponse
	orgB   orgResponse
	deals  *dealFixture // deal routes' objects, made on first use (deal_policy_test.go)
}

func newWorld(t *testing.T) *world {
	e := newEnv(t)
	w := &world{e: e}
	_, w.member = e.user("member@a.example.cn")
	_, w.other = e.user("other@b.example.cn")
	w.admin = e.admin()
	w.orgA = e.org(w.member.AccessToken, "university")
	w.orgB = e.org(w.other.AccessToken, "enterprise")
	return w
}

// freshRefreshToken logs the member in again, so each caller spends an
// unused token (spending one twice is reuse, refused by design).
func (w *world) freshRefreshToken() string {
	var tok tokenResponse
	w.e.expect(w.e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "member@a.example.cn", Password: "correct horse battery"}), 200).json(&tok)
	return tok.RefreshToken
}

type routePolicy struct {
	path  func(w *world) string // the concrete path to call
	body  func(w *world) any    // request body, or nil
	anon  verdict
	mem   verdict // member of the object's organisation
	other verdict // member of another organisation
	admin verdict
	// Deal routes also state the deal's intermediary and an unrelated
	// organisation (deal_policy_test.go); 0 leaves them unchecked.
	broker, stranger verdict
}

func fixed(p string) func(*world) string { return func(*world) string { return p } }
func orgA(suffix string) func(*world) string {
	return func(w *world) string { return "/api/v1/organizations/" + w.orgA.ID + suffix }
}
func body(v any) func(*world) any { return func(*world) any { return v } }

// Deal and notification routes join this table from dealPolicies
// (deal_policy_test.go).
var policies = map[string]routePolicy{
	"GET /healthz":          {path: fixed("/healthz"), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"GET /readyz":           {path: fixed("/readyz"), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"GET /api/openapi.json": {path: fixed("/api/openapi.json"), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"POST /api/v1/auth/register": {path: fixed("/api/v1/auth/register"),
		body: body(registerRequest{Email: "new@x.cn", Password: "long enough pass", DisplayName: "n"}),
		anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"POST /api/v1/auth/login": {path: fixed("/api/v1/auth/login"), body: body(loginRequest{Email: "member@a.example.cn", Password: "correct horse battery"}),
		anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"POST /api/v1/auth/refresh": {path: fixed("/api/v1/auth/refresh"),
		body: func(w *world) any { return refreshRequest{RefreshToken: w.freshRefreshToken()} },
		anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"POST /api/v1/auth/logout": {path: fixed("/api/v1/auth/logout"), body: body(refreshRequest{RefreshToken: "unknown"}),
		anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"GET /api/v1/me":                {path: fixed("/api/v1/me"), anon: Deny, mem: Allow, other: Allow, admin: Allow},
	"GET /api/v1/organizations":     {path: fixed("/api/v1/organizations"), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"GET /api/v1/organizations/:id": {path: orgA(""), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"GET /api/v1/search":            {path: fixed("/api/v1/search?q=电池"), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"GET /api/v1/search/suggest":    {path: fixed("/api/v1/search/suggest?q=电"), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	// Matches of a draft: its owner and reviewers only. The draft scenario is
	// B's (enterprises post scenarios), so there "other" is the owner.
	"GET /api/v1/outcomes/:id/matches":  {path: draftOutcomeMatches, anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"GET /api/v1/scenarios/:id/matches": {path: draftScenarioMatches, anon: Deny, mem: Deny, other: Allow, admin: Allow},
	"POST /api/v1/match":                {path: matchNeedPath, body: body(needRequest{Text: "动力电池回收"}), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"POST /api/v1/organizations": {path: fixed("/api/v1/organizations"),
		body: body(orgRequest{Kind: "enterprise", NameZH: "新公司", CreditCode: "91350100M000100Y43"}),
		anon: Deny, mem: Allow, other: Allow, admin: Allow},
	"GET /api/v1/organizations/:id/members": {path: orgA("/members"), anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"POST /api/v1/organizations/:id/members": {path: orgA("/members"), body: body(addMemberRequest{Email: "new@a.example.cn", Role: "member"}),
		anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"POST /api/v1/admin/organizations/:id/verification": {path: func(w *world) string { return "/api/v1/admin/organizations/" + w.orgA.ID + "/verification" },
		body: body(verificationRequest{Verification: "verified"}), anon: Deny, mem: Deny, other: Deny, admin: Allow},
}

func TestRoutePolicy(t *testing.T) {
	e := newEnv(t)
	var routes []string
	for _, r := range e.srv.Routes() {
		routes = append(routes, r.Method+" "+r.Path)
	}
	sort.Strings(routes)
	for _, route := range routes {
		p, ok := policies[route]
		if !ok {
			t.Errorf("route %s has no entry in the policy table", route)
			continue
		}
		t.Run(route, func(t *testing.T) {
			w := newWorld(t)
			method := route[:indexSpace(route)]
			for _, who := range []struct {
				name  string
				token string
				want  verdict
			}{
				{"anonymous", "", p.anon},
				{"member", w.member.AccessToken, p.mem},
				{"other organisation", w.other.AccessToken, p.other},
				{"admin", w.admin.AccessToken, p.admin},
				{"intermediary", w.dealToken(p.broker, dealBroker), p.broker},
				{"unrelated organisation", w.dealToken(p.stranger, dealStranger), p.stranger},
			} {
				if who.want == 0 {
					continue
				}
				var b any
				if p.body != nil {
					b = p.body(w)
				}
				res := w.e.do(method, p.path(w), who.token, b)
				got := Allow
				if res.Code == 401 || res.Code == 403 || res.Code == 404 {
					got = Deny
				}
				if got != who.want {
					t.Errorf("%s: status %d (%s), want %s; body %s", who.name, res.Code, got, who.want, res.Body)
				}
			}
		})
	}
	for route := range policies {
		if !contains(routes, route) {
			t.Errorf("policy for %s, which is not registered", route)
		}
	}
}

// TestOtherOrganisationCannotActForOrReadPrivateData checks object-level
// rules beyond the route walk: another organisation's member cannot read
// members or add members, and payout details stay private.
func TestOtherOrganisationCannotActForOrReadPrivateData(t *testing.T) {
	w := newWorld(t)
	w.e.expect(w.e.do("GET", "/api/v1/organizations/"+w.orgA.ID+"/members", w.other.AccessToken, nil), 403).problem()
	before := w.e.eventCount()
	w.e.expect(w.e.do("POST", "/api/v1/organizations/"+w.orgA.ID+"/members", w.other.AccessToken,
		addMemberRequest{Email: "other@b.example.cn", Role: "owner"}), 403).problem()
	if w.e.eventCount() != before {
		t.Fatal("refused add-member changed the log")
	}
	var ms listResponse[memberResponse]
	w.e.expect(w.e.do("GET", "/api/v1/organizations/"+w.orgA.ID+"/members", w.member.AccessToken, nil), 200).json(&ms)
	if len(ms.Items) != 1 || ms.Items[0].Email != "member@a.example.cn" {
		t.Fatalf("members of A = %+v", ms.Items)
	}
	// Unverified organisations are not listed publicly; admins see the queue.
	var pending listResponse[orgResponse]
	w.e.expect(w.e.do("GET", "/api/v1/organizations?verification=pending", w.member.AccessToken, nil), 403)
	w.e.expect(w.e.do("GET", "/api/v1/organizations?verification=pending", w.admin.AccessToken, nil), 200).json(&pending)
	if len(pending.Items) != 2 {
		t.Fatalf("admin sees %d pending, want 2", len(pending.Items))
	}
	var verified orgResponse
	w.e.expect(w.e.do("POST", "/api/v1/admin/organizations/"+w.orgA.ID+"/verification", w.admin.AccessToken,
		verificationRequest{Verification: "verified"}), 200).json(&verified)
	var public listResponse[orgResponse]
	w.e.expect(w.e.do("GET", "/api/v1/organizations", "", nil), 200).json(&public)
	if len(public.Items) != 1 || public.Items[0].ID != w.orgA.ID || verified.Version != 2 {
		t.Fatalf("public list after verification = %+v", public.Items)
	}
}

func TestInvitationBecomesMembershipOnRegistration(t *testing.T) {
	w := newWorld(t)
	var res map[string]string
	w.e.expect(w.e.do("POST", "/api/v1/organizations/"+w.orgA.ID+"/members", w.member.AccessToken,
		addMemberRequest{Email: "newcomer@a.example.cn"}), 200).json(&res)
	if res["status"] != "invited" {
		t.Fatalf("add unknown email: %v", res)
	}
	_, tok := w.e.user("newcomer@a.example.cn")
	var me meResponse
	w.e.expect(w.e.do("GET", "/api/v1/me", tok.AccessToken, nil), 200).json(&me)
	if len(me.Memberships) != 1 || me.Memberships[0].OrgID != w.orgA.ID || me.Memberships[0].Role != "member" {
		t.Fatalf("memberships = %+v", me.Memberships)
	}
}

func indexSpace(s string) int {
	for i := range s {
		if s[i] == ' ' {
			return i
		}
	}
	panic(fmt.Sprintf("no space in %q", s))
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
