package api

import (
	"fmt"

	"sort"
	"techbridge/market"
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
	// signed is a signed brokered deal between A (seller) and B, and
	// registrar the registry's token; made on first use (registration_policy_test.go).
	signed    *dealResponse
	registrar tokenResponse

	// Made on first use: an account whose email is unverified (owner of its
	// own verified organisation U), a verified account owning organisation
	// P that waits for verification, and a pending invitation into A.
	unverified, pendingOwner tokenResponse
	orgU, orgP               orgResponse
	invitationID             string
	finance                  tokenResponse
}

// financeToken returns a finance account's token when the route states a
// verdict for it.
func (w *world) financeToken(v verdict) string {
	if v == 0 {
		return ""
	}
	if w.finance.AccessToken == "" {
		w.finance = w.e.staff("finance@techbridge.test", market.RoleFinance)
	}
	return w.finance.AccessToken
}

// unverifiedToken returns the unverified account's token when the route
// states a verdict for it.
func (w *world) unverifiedToken(v verdict) string {
	if v == 0 {
		return ""
	}
	if w.unverified.AccessToken == "" {
		_, w.unverified = w.e.unverifiedUser("unverified@u.example.cn")
		w.orgU = w.e.org(w.unverified.AccessToken, "enterprise")
	}
	return w.unverified.AccessToken
}

// pendingOrgToken returns the token of the owner of the unverified
// organisation when the route states a verdict for it.
func (w *world) pendingOrgToken(v verdict) string {
	if v == 0 {
		return ""
	}
	if w.pendingOwner.AccessToken == "" {
		_, w.pendingOwner = w.e.user("owner@p.example.cn")
		w.orgP = w.e.unverifiedOrg(w.pendingOwner.AccessToken, "enterprise")
	}
	return w.pendingOwner.AccessToken
}

// invitation returns a pending invitation into A, made on first use.
func (w *world) invitation() string {
	if w.invitationID == "" {
		var inv invitationResponse
		w.e.expect(w.e.do("POST", "/api/v1/organizations/"+w.orgA.ID+"/members", w.member.AccessToken,
			inviteRequest{Email: "invitee@x.example.cn", Role: "member"}), 201).json(&inv)
		w.invitationID = inv.ID
	}
	return w.invitationID
}

// memberID is the account id of A's owner.
func (w *world) memberID() string { return w.e.actorOf("member@a.example.cn").AccountID }

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
	// registrar: the contract registry's account (platform role registrar).
	registrar verdict
	// unverified: an account that has not verified its email (owner of its
	// own verified organisation); unverifiedOrg: a verified account whose
	// only organisation is not verified. 0 leaves them unchecked.
	unverified, unverifiedOrg verdict
	// finance: a platform finance account (the money desk), member of no
	// organisation. 0 leaves it unchecked.
	finance verdict
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
		anon: Allow, mem: Allow, other: Allow, admin: Allow, unverified: Allow, unverifiedOrg: Allow},
	// Link-spending routes answer 400 to a bogus token, for everyone alike.
	"POST /api/v1/auth/email/verify": {path: fixed("/api/v1/auth/email/verify"), body: body(tokenRequest{Token: "bogus"}),
		anon: Allow, mem: Allow, other: Allow, admin: Allow, unverified: Allow, unverifiedOrg: Allow},
	"POST /api/v1/auth/password/forgot": {path: fixed("/api/v1/auth/password/forgot"), body: body(forgotPasswordRequest{Email: "member@a.example.cn"}),
		anon: Allow, mem: Allow, other: Allow, admin: Allow, unverified: Allow, unverifiedOrg: Allow},
	"POST /api/v1/auth/password/reset": {path: fixed("/api/v1/auth/password/reset"), body: body(resetPasswordRequest{Token: "bogus", Password: "a new long password"}),
		anon: Allow, mem: Allow, other: Allow, admin: Allow, unverified: Allow, unverifiedOrg: Allow},
	"PATCH /api/v1/me": {path: fixed("/api/v1/me"), body: body(profileRequest{DisplayName: "n", Language: "en"}),
		anon: Deny, mem: Allow, other: Allow, admin: Allow, unverified: Allow, unverifiedOrg: Allow},
	// A wrong current password is a 400: the route let them in.
	"POST /api/v1/me/password": {path: fixed("/api/v1/me/password"), body: body(changePasswordRequest{CurrentPassword: "wrong", Password: "a new long password"}),
		anon: Deny, mem: Allow, other: Allow, admin: Allow, unverified: Allow, unverifiedOrg: Allow},
	"POST /api/v1/me/email": {path: fixed("/api/v1/me/email"), body: body(changeEmailRequest{Password: "wrong", Email: "x@y.example.cn"}),
		anon: Deny, mem: Allow, other: Allow, admin: Allow, unverified: Allow, unverifiedOrg: Allow},
	"POST /api/v1/me/email/verification": {path: fixed("/api/v1/me/email/verification"),
		anon: Deny, mem: Allow, other: Allow, admin: Allow, unverified: Allow, unverifiedOrg: Allow},
	"GET /api/v1/me/invitations": {path: fixed("/api/v1/me/invitations"),
		anon: Deny, mem: Allow, other: Allow, admin: Allow, unverified: Allow, unverifiedOrg: Allow},
	"POST /api/v1/invitations/accept": {path: fixed("/api/v1/invitations/accept"), body: body(answerInvitationRequest{Token: "bogus"}),
		anon: Deny, mem: Allow, other: Allow, admin: Allow, unverified: Allow, unverifiedOrg: Allow},
	"POST /api/v1/invitations/decline": {path: fixed("/api/v1/invitations/decline"), body: body(answerInvitationRequest{Token: "bogus"}),
		anon: Deny, mem: Allow, other: Allow, admin: Allow, unverified: Allow, unverifiedOrg: Allow},
	"POST /api/v1/auth/login": {path: fixed("/api/v1/auth/login"), body: body(loginRequest{Email: "member@a.example.cn", Password: "correct horse battery"}),
		anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"POST /api/v1/auth/refresh": {path: fixed("/api/v1/auth/refresh"),
		body: func(w *world) any { return refreshRequest{RefreshToken: w.freshRefreshToken()} },
		anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"POST /api/v1/auth/logout": {path: fixed("/api/v1/auth/logout"), body: body(refreshRequest{RefreshToken: "unknown"}),
		anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"GET /api/v1/me":                {path: fixed("/api/v1/me"), anon: Deny, mem: Allow, other: Allow, admin: Allow, unverified: Allow, unverifiedOrg: Allow},
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
		anon: Deny, mem: Allow, other: Allow, admin: Allow, unverified: Allow},
	"GET /api/v1/organizations/:id/members": {path: orgA("/members"), anon: Deny, mem: Allow, other: Deny, admin: Allow},
	// Membership is by invitation from an owner; a platform admin owns
	// nothing and invites nobody.
	"POST /api/v1/organizations/:id/members": {path: orgA("/members"), body: body(inviteRequest{Email: "new@a.example.cn", Role: "member"}),
		anon: Deny, mem: Allow, other: Deny, admin: Deny, unverified: Deny, unverifiedOrg: Deny},
	// The last owner keeps the role (409, after the route let them in).
	"PUT /api/v1/organizations/:id/members/:account": {path: func(w *world) string { return orgA("/members/" + w.memberID())(w) },
		body: body(memberRoleRequest{Role: "member"}), anon: Deny, mem: Allow, other: Deny, admin: Deny},
	"DELETE /api/v1/organizations/:id/members/:account": {path: func(w *world) string { return orgA("/members/" + w.memberID())(w) },
		anon: Deny, mem: Allow, other: Deny, admin: Deny},
	"GET /api/v1/organizations/:id/invitations": {path: orgA("/invitations"), anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"DELETE /api/v1/organizations/:id/invitations/:invitation": {path: func(w *world) string { return orgA("/invitations/" + w.invitation())(w) },
		anon: Deny, mem: Allow, other: Deny, admin: Deny},
	"GET /api/v1/organizations/:id/verifications": {path: orgA("/verifications"), anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"POST /api/v1/organizations/:id/verification-request": {path: orgA("/verification-request"), body: body(verificationRequestBody{Details: "营业执照编号 123"}),
		anon: Deny, mem: Allow, other: Deny, admin: Deny},
	"POST /api/v1/admin/organizations/:id/verification": {path: func(w *world) string { return "/api/v1/admin/organizations/" + w.orgA.ID + "/verification" },
		body: body(verificationRequest{Verification: "verified"}), anon: Deny, mem: Deny, other: Deny, admin: Allow, finance: Deny},
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
				{"unverified account", w.unverifiedToken(p.unverified), p.unverified},
				{"unverified organisation", w.pendingOrgToken(p.unverifiedOrg), p.unverifiedOrg},
				{"finance", w.financeToken(p.finance), p.finance},
				{"registrar", w.registrarToken(p.registrar), p.registrar},
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
// members or invite members, and payout details stay private.
func TestOtherOrganisationCannotActForOrReadPrivateData(t *testing.T) {
	w := newWorld(t)
	w.e.expect(w.e.do("GET", "/api/v1/organizations/"+w.orgA.ID+"/members", w.other.AccessToken, nil), 403).problem()
	before := w.e.eventCount()
	w.e.expect(w.e.do("POST", "/api/v1/organizations/"+w.orgA.ID+"/members", w.other.AccessToken,
		inviteRequest{Email: "other@b.example.cn", Role: "owner"}), 403).problem()
	if w.e.eventCount() != before {
		t.Fatal("refused invitation changed the log")
	}
	var ms listResponse[memberResponse]
	w.e.expect(w.e.do("GET", "/api/v1/organizations/"+w.orgA.ID+"/members", w.member.AccessToken, nil), 200).json(&ms)
	if len(ms.Items) != 1 || ms.Items[0].Email != "member@a.example.cn" {
		t.Fatalf("members of A = %+v", ms.Items)
	}
	// Unverified organisations are not listed publicly; admins see the queue.
	p := w.e.unverifiedOrg(w.other.AccessToken, "enterprise")
	var pending listResponse[orgResponse]
	w.e.expect(w.e.do("GET", "/api/v1/organizations?verification=pending", w.member.AccessToken, nil), 403)
	w.e.expect(w.e.do("GET", "/api/v1/organizations?verification=pending", w.admin.AccessToken, nil), 200).json(&pending)
	if len(pending.Items) != 1 || pending.Items[0].ID != p.ID {
		t.Fatalf("admin sees pending %+v, want only %s", pending.Items, p.ID)
	}
	var public listResponse[orgResponse]
	w.e.expect(w.e.do("GET", "/api/v1/organizations", "", nil), 200).json(&public)
	if len(public.Items) != 2 {
		t.Fatalf("public list before verification = %+v", public.Items)
	}
	var verified orgResponse
	w.e.expect(w.e.do("POST", "/api/v1/admin/organizations/"+p.ID+"/verification", w.admin.AccessToken,
		verificationRequest{Verification: "verified"}), 200).json(&verified)
	w.e.expect(w.e.do("GET", "/api/v1/organizations", "", nil), 200).json(&public)
	if len(public.Items) != 3 || verified.Version != 2 {
		t.Fatalf("public list after verification = %+v", public.Items)
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
