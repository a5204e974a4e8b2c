package api

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"techbridge/api/auth"
	"techbridge/api/kv"
	"techbridge/market/sqlstore/sqltest"
)

// TestCreatedAnswersCarryLocation: a 201 names the new object's URL, and
// that URL reads the object back (RFC 9110 §15.3.2). The contract checker
// also requires Location on every 201 the suite provokes.
func TestCreatedAnswersCarryLocation(t *testing.T) {
	w := newWorld(t)
	e := w.e
	// Registration is 202 (the same answer for a taken address), so it
	// creates nothing the caller could be pointed at.
	res := e.expect(e.do("POST", "/api/v1/auth/register", "", registerRequest{Email: "loc@x.cn", Password: "correct horse battery", DisplayName: "L"}), 202)
	if got := res.Header().Get("Location"); got != "" {
		t.Fatalf("register Location %q", got)
	}
	trl := 5
	for _, c := range []struct {
		path string
		body any
	}{
		{"/api/v1/organizations", orgRequest{Kind: "institute", NameZH: "研究所", CreditCode: sqltest.ValidCreditCode(9001)}},
		{"/api/v1/organizations/" + w.orgA.ID + "/outcomes", outcomeRequest{Title: "成果", TRL: &trl}},
		{"/api/v1/organizations/" + w.orgB.ID + "/scenarios", scenarioRequest{Title: "需求", Field: "ai"}},
		{"/api/v1/deals", openDealRequest{OutcomeID: e.publishedOutcome("member@a.example.cn", w.orgA.ID, false), OrgID: w.orgB.ID, Message: "询价"}},
	} {
		token := w.member.AccessToken
		if c.path == "/api/v1/deals" || strings.HasSuffix(c.path, "/scenarios") {
			token = w.other.AccessToken
		}
		res := e.do("POST", c.path, token, c.body)
		if res.Code != 201 {
			t.Fatalf("POST %s: %d %s", c.path, res.Code, res.Body)
		}
		var created struct{ ID string }
		res.json(&created)
		loc := res.Header().Get("Location")
		if !strings.HasSuffix(loc, "/"+created.ID) || res.Header().Get("ETag") == "" {
			t.Fatalf("POST %s: Location %q ETag %q for id %s", c.path, loc, res.Header().Get("ETag"), created.ID)
		}
		var read struct{ ID string }
		e.expect(e.do("GET", loc, token, nil), 200).json(&read)
		if read.ID != created.ID {
			t.Fatalf("Location %s reads %s, want %s", loc, read.ID, created.ID)
		}
	}
}

// TestBadTokensGetAnInvalidTokenChallenge: every 401 carries
// WWW-Authenticate, and one caused by a bad, expired or revoked token says
// error="invalid_token" (RFC 6750 §3.1), on member and public routes alike.
func TestBadTokensGetAnInvalidTokenChallenge(t *testing.T) {
	e := newEnv(t)
	_, tok := e.user("who@x.cn")
	id, _ := e.user("old@x.cn")
	past := &auth.Tokens{Key: e.srv.Tokens.Key, KV: e.kv, Now: func() time.Time { return time.Now().Add(-2 * time.Hour) }}
	expired, _, err := past.Issue(id)
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct{ path, token string }{
		"garbage on a member route": {"/api/v1/me", "not-a-jwt"},
		"garbage on a public route": {"/api/v1/outcomes", "not-a-jwt"},
		"expired":                   {"/api/v1/me", expired},
		"signed by another key":     {"/api/v1/me", otherKeyToken(t, id)},
	} {
		res := e.expect(e.do("GET", c.path, c.token, nil), 401)
		if h := res.Header().Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer ") || !strings.Contains(h, `error="invalid_token"`) {
			t.Errorf("%s: WWW-Authenticate %q", name, h)
		}
	}
	// A spent refresh token is a bad token too.
	e.expect(e.do("POST", "/api/v1/auth/refresh", "", refreshRequest{RefreshToken: tok.RefreshToken}), 200)
	res := e.expect(e.do("POST", "/api/v1/auth/refresh", "", refreshRequest{RefreshToken: tok.RefreshToken}), 401)
	if h := res.Header().Get("WWW-Authenticate"); !strings.Contains(h, `error="invalid_token"`) {
		t.Errorf("spent refresh token: WWW-Authenticate %q", h)
	}
	// No token at all is a plain challenge: there is no token to call invalid.
	res = e.expect(e.do("GET", "/api/v1/me", "", nil), 401)
	if h := res.Header().Get("WWW-Authenticate"); h != `Bearer realm="techbridge"` {
		t.Errorf("anonymous: WWW-Authenticate %q", h)
	}
}

func otherKeyToken(t *testing.T, accountID string) string {
	other := &auth.Tokens{Key: auth.GenerateKey(), KV: kv.NewMemory()}
	tok, _, err := other.Issue(accountID)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestHeadAnswersEveryGet: HEAD on each GET route of the policy table
// answers the GET's status and headers with no body. Money routes get a
// world of their own: their fixture's deal has no listing behind it, which
// the deal list would trip over.
func TestHeadAnswersEveryGet(t *testing.T) {
	w, money := newWorld(t), newWorld(t)
	var gets []string
	for route := range policies {
		if strings.HasPrefix(route, "GET ") {
			gets = append(gets, route)
		}
	}
	sort.Strings(gets)
	if len(gets) < 30 {
		t.Fatalf("only %d GET routes in the policy table", len(gets))
	}
	for _, route := range gets {
		w := w
		if strings.Contains(route, "payments") || strings.Contains(route, "payouts") || strings.Contains(route, "statement") || strings.Contains(route, "earnings") {
			w = money
		}
		path := policies[route].path(w)
		for _, token := range []string{w.member.AccessToken, w.admin.AccessToken} {
			get := w.e.do("GET", path, token, nil)
			head := w.e.do("HEAD", path, token, nil)
			if head.Code != get.Code || head.Body.Len() != 0 {
				t.Errorf("%s: HEAD %d with %d bytes, GET %d", route, head.Code, head.Body.Len(), get.Code)
			}
			for _, h := range []string{"Content-Type", "ETag", "Cache-Control"} {
				if head.Header().Get(h) != get.Header().Get(h) {
					t.Errorf("%s: HEAD %s %q, GET %q", route, h, head.Header().Get(h), get.Header().Get(h))
				}
			}
		}
	}
}

// TestIfMatchIsTheVersion: a single-object read carries a strong ETag of
// its version; a write may send it back as If-Match instead of the body
// version. A stale If-Match is 412, neither is 428, and the body version
// still works (a stale one stays 409).
func TestIfMatchIsTheVersion(t *testing.T) {
	w := newWorld(t)
	e := w.e
	var o outcomeResponse
	res := e.expect(e.do("POST", "/api/v1/organizations/"+w.orgA.ID+"/outcomes", w.member.AccessToken, outcomeRequest{Title: "初稿"}), 201)
	res.json(&o)
	path := "/api/v1/outcomes/" + o.ID
	get := e.expect(e.do("GET", path, w.member.AccessToken, nil), 200)
	if got := get.Header().Get("ETag"); got != `"1"` {
		t.Fatalf("ETag %q, want \"1\"", got)
	}
	put := func(ifMatch string, body outcomeRequest) response {
		req := newRequest("PUT", path, map[string]string{"Authorization": "Bearer " + w.member.AccessToken, "Content-Type": "application/json"})
		if ifMatch != "" {
			req.Header.Set("If-Match", ifMatch)
		}
		return response{serveJSON(e, req, body), t}
	}
	res = put(`"1"`, outcomeRequest{Title: "二稿"})
	if res.Code != 200 || res.Header().Get("ETag") != `"2"` {
		t.Fatalf("If-Match \"1\": %d ETag %q %s", res.Code, res.Header().Get("ETag"), res.Body)
	}
	if p := e.expect(put(`"1"`, outcomeRequest{Title: "三稿"}), http.StatusPreconditionFailed).problem(); p.Code != "precondition_failed" {
		t.Fatalf("stale If-Match: %+v", p)
	}
	e.expect(put(`W/"2"`, outcomeRequest{Title: "三稿"}), http.StatusPreconditionFailed).problem()
	if p := e.expect(put("", outcomeRequest{Title: "三稿"}), http.StatusPreconditionRequired).problem(); p.Code != "precondition_required" {
		t.Fatalf("no version: %+v", p)
	}
	e.expect(put("", outcomeRequest{Version: 1, Title: "三稿"}), http.StatusConflict).problem()
	e.expect(put(`"2"`, outcomeRequest{Version: 1, Title: "三稿"}), http.StatusBadRequest).problem()
	res = e.expect(put("", outcomeRequest{Version: 2, Title: "三稿"}), 200)
	if res.Header().Get("ETag") != `"3"` {
		t.Fatalf("body version: ETag %q", res.Header().Get("ETag"))
	}
	// Transitions take If-Match the same way.
	req := newRequest("POST", path+"/transitions", map[string]string{"Authorization": "Bearer " + w.member.AccessToken,
		"Content-Type": "application/json", "If-Match": `"3"`})
	res = response{serveJSON(e, req, transitionRequest{Action: "submit"}), t}
	if res.Code != 200 || res.Header().Get("ETag") != `"4"` {
		t.Fatalf("transition with If-Match: %d %s", res.Code, res.Body)
	}
	if e.eventCount() == 0 {
		t.Fatal("no events")
	}
}

// TestFormatAndCursorAreChecked: an unknown ?format= or a cursor this API
// never gave out is a 400 naming the parameter, not a silent default.
func TestFormatAndCursorAreChecked(t *testing.T) {
	w := newWorld(t)
	e := w.e
	for path, field := range map[string]string{
		"/api/v1/outcomes?cursor=garbage":                         "cursor",
		"/api/v1/scenarios?cursor=1":                              "cursor",
		"/api/v1/deals?cursor=zzz":                                "cursor",
		"/api/v1/notifications?cursor=%27%3B--":                   "cursor",
		"/api/v1/deals/" + w.orgA.ID + "/contract?format=xml":     "format",
		"/api/v1/deals/" + w.orgA.ID + "/registration?format=pdf": "format",
		"/api/v1/registrations?format=xml":                        "format",
		"/api/v1/registrations?cursor=42":                         "cursor",
		"/api/v1/registrations?region=3":                          "region",
		"/api/v1/registrations?from=yesterday":                    "from",
		"/api/v1/registrations?state=done":                        "state",
		"/api/v1/registrations?lang=fr&format=csv":                "lang",
	} {
		p := e.expect(e.do("GET", path, w.admin.AccessToken, nil), 400).problem()
		if len(p.Errors) == 0 || p.Errors[0].Field != field {
			t.Errorf("%s: problem %+v, want field %s", path, p, field)
		}
	}
	// A real cursor still pages.
	e.expect(e.do("GET", "/api/v1/outcomes?cursor="+w.orgA.ID, "", nil), 200)
}

// TestNonJSONBodiesAre415: a JSON route refuses a body labelled otherwise
// before reading it, and the import refuses types it does not read.
func TestNonJSONBodiesAre415(t *testing.T) {
	w := newWorld(t)
	e := w.e
	before := e.eventCount()
	for _, c := range []struct{ path, ct, body string }{
		{"/api/v1/auth/register", "text/plain", `{"email":"p@x.cn","password":"correct horse battery","display_name":"p"}`},
		{"/api/v1/organizations/" + w.orgA.ID + "/outcomes", "application/x-www-form-urlencoded", "title=x"},
		{"/api/v1/organizations/" + w.orgA.ID + "/outcomes", "", `{"title":"x"}`},
		{"/api/v1/outcomes/import?org_id=" + w.orgA.ID, "application/xml", "<x/>"},
		{"/webhooks/stripe", "text/plain", "{}"},
	} {
		res := e.do("POST", c.path, w.member.AccessToken, typedBody{c.ct, c.body})
		if res.Code != http.StatusUnsupportedMediaType {
			t.Errorf("%s as %q: %d %s", c.path, c.ct, res.Code, res.Body)
			continue
		}
		if p := res.problem(); p.Code != "unsupported_media_type" {
			t.Errorf("%s: code %q", c.path, p.Code)
		}
	}
	if e.eventCount() != before {
		t.Fatal("a refused body changed something")
	}
	// JSON with a charset, and +json types, are JSON.
	e.expect(e.do("POST", "/api/v1/auth/register", "", typedBody{"application/json; charset=utf-8",
		`{"email":"q@x.cn","password":"correct horse battery","display_name":"q"}`}), 202)
}

// TestCORSIsOffByDefault: without TECHBRIDGE_CORS_ORIGINS no CORS header is
// sent; with it, listed origins get them (preflight included) and others
// do not.
func TestCORSIsOffByDefault(t *testing.T) {
	preflight := func(e *testEnv, origin string) *http.Request {
		return newRequest("OPTIONS", "/api/v1/outcomes", map[string]string{"Origin": origin,
			"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type,if-match"})
	}
	off := newEnv(t)
	if h := serve(off, preflight(off, "https://app.example.com")).Header().Get("Access-Control-Allow-Origin"); h != "" {
		t.Fatalf("CORS off, but preflight allowed %q", h)
	}
	if h := serve(off, newRequest("GET", "/api/v1/outcomes", map[string]string{"Origin": "https://app.example.com"})).Header().Get("Access-Control-Allow-Origin"); h != "" {
		t.Fatalf("CORS off, but GET allowed %q", h)
	}
	on := newEnvWith(t, kv.NewMemory(), Config{CORSOrigins: []string{"https://app.example.com"}})
	res := serve(on, preflight(on, "https://app.example.com"))
	if res.Code/100 != 2 || res.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		!strings.Contains(strings.ToLower(res.Header().Get("Access-Control-Allow-Headers")), "if-match") {
		t.Fatalf("allowed preflight: %d %v", res.Code, res.Header())
	}
	if h := serve(on, preflight(on, "https://evil.example.net")).Header().Get("Access-Control-Allow-Origin"); h != "" {
		t.Fatalf("unlisted origin allowed: %q", h)
	}
	res = serve(on, newRequest("GET", "/api/v1/outcomes", map[string]string{"Origin": "https://app.example.com"}))
	if res.Code != 200 || res.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		!strings.Contains(res.Header().Get("Access-Control-Expose-Headers"), "Etag") && !strings.Contains(res.Header().Get("Access-Control-Expose-Headers"), "ETag") {
		t.Fatalf("allowed GET: %d %v", res.Code, res.Header())
	}
}

// TestMethodNotAllowedProblem: a 405 is a full problem: detail, instance
// and the Allow header.
func TestMethodNotAllowedProblem(t *testing.T) {
	e := newEnv(t)
	res := e.do("DELETE", "/api/v1/outcomes", "", nil)
	if res.Code != http.StatusMethodNotAllowed {
		t.Fatalf("status %d", res.Code)
	}
	p := res.problem()
	if p.Detail == "" || p.Instance != "/api/v1/outcomes" || !strings.Contains(res.Header().Get("Allow"), "GET") {
		t.Fatalf("problem %+v, Allow %q", p, res.Header().Get("Allow"))
	}
}

// TestDealActionsHonourIfMatch: deal actions need no version, but an
// If-Match pins the deal as read: a deal that moved on is 412 and nothing
// is recorded.
func TestDealActionsHonourIfMatch(t *testing.T) {
	w := newWorld(t)
	e := w.e
	d := w.dealFixture().deal
	post := func(ifMatch string) *httptest.ResponseRecorder {
		req := newRequest("POST", "/api/v1/deals/"+d.ID+"/messages", map[string]string{
			"Authorization": "Bearer " + w.other.AccessToken, "Content-Type": "application/json", "If-Match": ifMatch})
		return serveJSON(e, req, messageRequest{Body: "按读到的版本"})
	}
	res := post(etag(d.Version))
	if res.Code != 200 || res.Header().Get("ETag") != etag(d.Version+1) {
		t.Fatalf("current If-Match: %d ETag %q %s", res.Code, res.Header().Get("ETag"), res.Body)
	}
	before := e.eventCount()
	if res := post(etag(d.Version)); res.Code != http.StatusPreconditionFailed {
		t.Fatalf("stale If-Match: %d %s", res.Code, res.Body)
	}
	if e.eventCount() != before {
		t.Fatal("a refused action was recorded")
	}
	// Without If-Match the action acts on the current deal, as before.
	e.expect(e.do("POST", "/api/v1/deals/"+d.ID+"/messages", w.other.AccessToken, messageRequest{Body: "再来一条"}), 200)
}
