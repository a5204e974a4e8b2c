package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"

	"techbridge/api/kv"
)

// cacheEnv is an API with the anonymous response cache on, an admin, and a
// verified organisation with one published outcome.
func cacheEnv(t *testing.T, ttl time.Duration) (e *testEnv, token, orgID, outcomeID string) {
	e = newEnvWith(t, kv.NewMemory(), Config{CacheTTL: ttl})
	e.admin()
	_, tok := e.user("owner@cache.example.cn")
	org := e.org(tok.AccessToken, "university")
	return e, tok.AccessToken, org.ID, e.publishedOutcome("owner@cache.example.cn", org.ID, false)
}

func (e *testEnv) listedOutcomes(token string) int {
	e.t.Helper()
	var l listResponse[outcomeResponse]
	e.expect(e.do("GET", "/api/v1/outcomes?limit=20", token, nil), http.StatusOK).json(&l)
	return len(l.Items)
}

// TestAnonymousListingReadsAreSharedBriefly: an anonymous list is answered
// from the cache, so a write behind this instance's back (another
// instance, the command line) shows only after the TTL; a signed-in caller
// reads through; a write through the API or a page form empties the cache;
// a cached detail answers If-None-Match with 304.
func TestAnonymousListingReadsAreSharedBriefly(t *testing.T) {
	e, token, orgID, first := cacheEnv(t, time.Hour)
	if n := e.listedOutcomes(""); n != 1 {
		t.Fatalf("anonymous list: %d outcomes, want 1", n)
	}
	e.publishedOutcome("owner@cache.example.cn", orgID, false) // through the service, not the API
	if n := e.listedOutcomes(""); n != 1 {
		t.Fatalf("anonymous list right after a write elsewhere: %d outcomes, want the cached 1", n)
	}
	if n := e.listedOutcomes(token); n != 2 {
		t.Fatalf("signed-in list: %d outcomes, want 2 (never cached)", n)
	}
	e.expect(e.do("PATCH", "/api/v1/me", token, profileRequest{DisplayName: "Owner", Language: "zh"}), http.StatusOK)
	if n := e.listedOutcomes(""); n != 2 {
		t.Fatalf("anonymous list after a write through the API: %d outcomes, want 2", n)
	}

	e.publishedOutcome("owner@cache.example.cn", orgID, false)
	pages := e.srv.Pages(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}), "session", nil)
	req := httptest.NewRequest("POST", "/outcomes/new", nil)
	pages.ServeHTTP(httptest.NewRecorder(), req)
	if n := e.listedOutcomes(""); n != 3 {
		t.Fatalf("anonymous list after a page form post: %d outcomes, want 3", n)
	}

	res := e.expect(e.do("GET", "/api/v1/outcomes/"+first, "", nil), http.StatusOK)
	etag := res.Header().Get("ETag")
	again := e.expect(e.do("GET", "/api/v1/outcomes/"+first, "", nil), http.StatusOK)
	if etag == "" || again.Header().Get("ETag") != etag || again.Body.String() != res.Body.String() ||
		again.Header().Get("Content-Type") != res.Header().Get("Content-Type") {
		t.Fatalf("cached detail differs: %q %q / %q", etag, again.Header().Get("ETag"), again.Body.String())
	}
	if again.Header().Get("X-Request-ID") == res.Header().Get("X-Request-ID") {
		t.Fatal("a cached answer repeats another request's id")
	}
	e.expect(e.doFrom("192.0.2.1:1234", "GET", "/api/v1/outcomes/"+first, "", nil, map[string]string{"If-None-Match": etag}), http.StatusNotModified)
	if hits, _ := e.srv.CacheCounts(); hits < 3 {
		t.Fatalf("%d cache hits, want at least 3", hits)
	}
}

// TestResponseCacheExpires: past the TTL an anonymous list reads afresh.
func TestResponseCacheExpires(t *testing.T) {
	e, _, orgID, _ := cacheEnv(t, 20*time.Millisecond)
	if n := e.listedOutcomes(""); n != 1 {
		t.Fatalf("%d outcomes, want 1", n)
	}
	e.publishedOutcome("owner@cache.example.cn", orgID, false)
	time.Sleep(100 * time.Millisecond) // well past the TTL: a lower bound, not a timing claim
	if n := e.listedOutcomes(""); n != 2 {
		t.Fatalf("after the TTL: %d outcomes, want 2", n)
	}
}

// TestCapturedBodyIsWhatWasWritten: the cache keeps a body handed over by
// writeOwned as it is and one written in parts in order, and a handed-over
// slice the caller goes on to change is not the one kept when other bytes
// were written first.
func TestCapturedBodyIsWhatWasWritten(t *testing.T) {
	gin.SetMode(gin.TestMode)
	capture := func(write func(c *gin.Context)) (kept, sent string) {
		rec := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(rec)
		w := &capturingWriter{ResponseWriter: c.Writer}
		c.Writer = w
		write(c)
		return string(w.body()), rec.Body.String()
	}
	for name, tc := range map[string]struct {
		write func(c *gin.Context)
		want  string
	}{
		"owned": {func(c *gin.Context) { writeOwned(c, 200, "application/json", []byte(`{"a":1}`)) }, `{"a":1}`},
		"owned, then more": {func(c *gin.Context) {
			writeOwned(c, 200, "application/json", []byte(`{"a":`))
			c.Writer.Write([]byte(`1}`))
		}, `{"a":1}`},
		"written, then owned": {func(c *gin.Context) {
			c.Writer.Write([]byte(`{"a":`))
			b := []byte(`1}`)
			writeOwned(c, 200, "application/json", b)
			b[0] = 'x'
		}, `{"a":1}`},
		"copied": {func(c *gin.Context) {
			b := []byte(`{"a":1}`)
			c.Data(200, "application/json", b)
			b[1] = 'x'
		}, `{"a":1}`},
	} {
		kept, sent := capture(tc.write)
		if kept != tc.want || sent != tc.want {
			t.Errorf("%s: kept %q, sent %q, want %q", name, kept, sent, tc.want)
		}
	}
}

// TestListingReadsRefuseUnknownParameters: the listing reads refuse a query
// parameter they do not read, naming it, as search and match do. A typo
// (trl_mn) used to return the unfiltered list, and a parameter the API
// ignores (?r=1, jQuery's ?_=…) made an entry of its own in the shared
// cache, so a crawler could push every useful answer out of it; now such a
// request is a 400 and the cache gets nothing.
func TestListingReadsRefuseUnknownParameters(t *testing.T) {
	e, _, _, id := cacheEnv(t, time.Hour)
	e.expect(e.do("GET", "/api/v1/outcomes?trl_min=5&field=energy_storage&limit=5", "", nil), http.StatusOK)
	e.expect(e.do("GET", "/api/v1/outcomes/"+id, "", nil), http.StatusOK)
	before := e.srv.cache.lru.Len()
	for _, c := range []struct{ path, param string }{
		{"/api/v1/outcomes?trl_mn=5", "trl_mn"},
		{"/api/v1/outcomes?limit=5&_=1733550000000", "_"},
		{"/api/v1/scenarios?budget=5", "budget"},
		{"/api/v1/outcomes/" + id + "?r=1", "r"},
		{"/api/v1/outcomes/" + id + "?r=2", "r"},
		{"/api/v1/scenarios/" + id + "?lang=en", "lang"},
	} {
		p := e.expect(e.do("GET", c.path, "", nil), http.StatusBadRequest).problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != c.param || !strings.HasPrefix(string(p.Errors[0].Code), "unknown_parameter") {
			t.Errorf("%s: %+v, want the unknown parameter %s named", c.path, p.Errors, c.param)
		}
	}
	if after := e.srv.cache.lru.Len(); after != before {
		t.Errorf("cache entries %d → %d: a refused request was kept", before, after)
	}
	// Several are named in order, every time.
	for range 5 {
		p := e.expect(e.do("GET", "/api/v1/outcomes?zz=1&trl_mn=5&aa=2", "", nil), http.StatusBadRequest).problem()
		var names []string
		for _, fe := range p.Errors {
			names = append(names, fe.Field)
		}
		if fmt.Sprint(names) != "[aa trl_mn zz]" {
			t.Fatalf("unknown parameters named %v, want [aa trl_mn zz]", names)
		}
	}
}

// TestListingParamsAreTheDocumentedOnes: the parameters a listing list
// accepts are those openapi.json documents for it, and a detail documents
// none, so the refusal above never turns away a documented one.
func TestListingParamsAreTheDocumentedOnes(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openAPIDoc)
	if err != nil {
		t.Fatal(err)
	}
	for path, params := range map[string][]string{
		"/api/v1/outcomes": outcomeAPI.params, "/api/v1/scenarios": scenarioAPI.params,
		"/api/v1/outcomes/{id}": nil, "/api/v1/scenarios/{id}": nil,
	} {
		var documented []string
		for _, p := range doc.Paths.Find(path).Get.Parameters {
			if p.Value.In == openapi3.ParameterInQuery {
				documented = append(documented, p.Value.Name)
			}
		}
		slices.Sort(documented)
		if want := slices.Sorted(slices.Values(params)); !slices.Equal(documented, want) {
			t.Errorf("GET %s documents %v, accepts %v", path, documented, want)
		}
	}
}
