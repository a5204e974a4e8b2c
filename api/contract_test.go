package api

import (
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"techbridge/api/contracttest"
)

// apiContract checks every exchange of this package's tests against the
// served document (openAPIDoc is what /api/openapi.json answers).
var apiContract = func() *contracttest.Checker {
	c, err := contracttest.New(openAPIDoc)
	if err != nil {
		panic(err)
	}
	return c
}()

// TestMain runs the suite, then fails it when a whole run (no -run filter)
// left an operation of the document unexercised.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && !testing.Short() {
		if unseen := apiContract.Unseen(); len(unseen) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: the suite exercised no request of %d operations: %s\n", len(unseen), strings.Join(unseen, ", "))
			code = 1
		}
	}
	os.Exit(code)
}

// checkContract fails t when the exchange is outside the document.
func checkContract(t testing.TB, req *http.Request, reqBody []byte, w *httptest.ResponseRecorder) {
	t.Helper()
	if err := apiContract.Check(contracttest.Exchange{Request: req, RequestBody: reqBody,
		Status: w.Code, Header: w.Header(), Body: w.Body.Bytes()}); err != nil {
		t.Errorf("contract: %v", err)
	}
}

// TestContractCheckerCatchesUndescribedAnswers shows the checker is not a
// rubber stamp: an undeclared status, a body off its schema, and a request
// the document forbids but the server accepted are each reported.
func TestContractCheckerCatchesUndescribedAnswers(t *testing.T) {
	get := httptest.NewRequest("GET", "/api/v1/taxonomy/fields", nil)
	cases := map[string]contracttest.Exchange{
		"undeclared status": {Request: get, Status: http.StatusTeapot, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{}`)},
		"body off schema":   {Request: get, Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"items": [{"code": 7}]}`)},
		"wrong media type":  {Request: get, Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(`<p>`)},
		"accepted invalid request": {Request: httptest.NewRequest("POST", "/api/v1/auth/login", nil), RequestBody: []byte(`{"email": 1}`),
			Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"access_token":"a","refresh_token":"b","token_type":"Bearer","expires_in":900}`)},
		"unknown path answered 200": {Request: httptest.NewRequest("GET", "/api/v1/nowhere", nil), Status: 200},
	}
	for name, x := range cases {
		if x.Request.Method == "POST" {
			x.Request.Header.Set("Content-Type", "application/json")
		}
		if err := apiContract.Check(x); err == nil {
			t.Errorf("%s: no violation reported", name)
		}
	}
	// A 201 without Location breaks the document's required header.
	org := httptest.NewRequest("POST", "/api/v1/organizations", nil)
	org.Header.Set("Content-Type", "application/json")
	err := apiContract.Check(contracttest.Exchange{Request: org, RequestBody: []byte(`{"kind": "university", "credit_code": "91310000MA1FL4HU4W"}`),
		Status: 201, Header: http.Header{"Content-Type": {"application/json"}, "Etag": {`"1"`}},
		Body: []byte(`{"id": "o1", "kind": "university", "name_zh": "", "name_en": "", "region": "", "credit_code": "91310000MA1FL4HU4W", "verification": "pending", "created_at": "2026-01-01T00:00:00Z", "version": 1}`)})
	if err == nil || !strings.Contains(err.Error(), "Location") {
		t.Errorf("201 without Location: %v", err)
	}
	ok := contracttest.Exchange{Request: get, Status: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: []byte(`{"items": [{"code": "ai", "name_zh": "人工智能", "name_en": "AI"}]}`)}
	if err := apiContract.Check(ok); err != nil {
		t.Errorf("a described answer was refused: %v", err)
	}
}
