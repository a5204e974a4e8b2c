package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"techbridge/api/auth"
	"techbridge/api/kv"
	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/market/testenv"
)

// testEnv is a real API over a fresh SQLite store.
type testEnv struct {
	t   *testing.T
	srv *Server
	svc *market.Service
	db  *sqlstore.DB
	kv  kv.Store
}

func newEnv(t *testing.T) *testEnv {
	return newEnvWith(t, kv.NewMemory(), Config{})
}

func newEnvWith(t *testing.T, store kv.Store, cfg Config) *testEnv {
	t.Helper()
	db := sqltest.MustOpen(t)
	svc := market.NewService(db)
	svc.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	tokens := &auth.Tokens{Key: auth.GenerateKey(), KV: store}
	srv, err := New(cfg, svc, tokens, store, svc.Log)
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, srv: srv, svc: svc, db: db, kv: store}
}

// kvBackends runs fn with the in-process store and, when configured, Redis.
func kvBackends(t *testing.T, fn func(t *testing.T, store kv.Store)) {
	t.Run("memory", func(t *testing.T) { fn(t, kv.NewMemory()) })
	t.Run("redis", func(t *testing.T) {
		url := testenv.Lookup(t, "TECHBRIDGE_TEST_REDIS_URL", "Redis")
		r, err := kv.NewRedis(url, "apitest:"+market.NewID()+":")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		if err := r.Ping(context.Background()); err != nil {
			testenv.Missing(t, "Redis not reachable: "+err.Error())
		}
		fn(t, r)
	})
}

type response struct {
	*httptest.ResponseRecorder
	t *testing.T
}

// json decodes the body into v, failing the test on bad JSON.
func (r response) json(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		r.t.Fatalf("body %q: %v", r.Body.String(), err)
	}
}

func (r response) problem() Problem {
	r.t.Helper()
	if ct := r.Header().Get("Content-Type"); !strings.HasPrefix(ct, ProblemContentType) {
		r.t.Fatalf("status %d content type %q, want problem+json; body %s", r.Code, ct, r.Body)
	}
	var p Problem
	r.json(&p)
	if p.Status != r.Code || p.Code == "" || p.Type == "" {
		r.t.Fatalf("malformed problem %+v for status %d", p, r.Code)
	}
	return p
}

// typedBody is a raw request body sent with its own media type.
type typedBody struct {
	contentType string
	body        string
}

// do sends a request; body may be nil, a string (sent raw as JSON), a
// typedBody, or a value marshalled to JSON.
func (e *testEnv) do(method, path, token string, body any) response {
	e.t.Helper()
	var r io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case typedBody:
		r, contentType = strings.NewReader(b.body), b.contentType
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, r)
	if body != nil && contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.RemoteAddr = "192.0.2.1:1234"
	return response{serve(e, req), e.t}
}

func (e *testEnv) expect(res response, status int) response {
	e.t.Helper()
	if res.Code != status {
		e.t.Fatalf("status %d, want %d; body %s", res.Code, status, res.Body)
	}
	return res
}

// user registers and logs in an account, returning its id and tokens.
func (e *testEnv) user(email string) (id string, tok tokenResponse) {
	e.t.Helper()
	var acc accountResponse
	e.expect(e.do("POST", "/api/v1/auth/register", "", registerRequest{Email: email, Password: "correct horse battery", DisplayName: email}), 201).json(&acc)
	e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: email, Password: "correct horse battery"}), 200).json(&tok)
	return acc.ID, tok
}

// admin creates a platform admin and logs in.
func (e *testEnv) admin() tokenResponse {
	e.t.Helper()
	if _, err := e.svc.CreateAdmin(context.Background(), market.NewAccount{Email: "admin@techbridge.test", Password: "correct horse battery", DisplayName: "Admin"}, market.RoleAdmin); err != nil {
		e.t.Fatal(err)
	}
	var tok tokenResponse
	e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "admin@techbridge.test", Password: "correct horse battery"}), 200).json(&tok)
	return tok
}

var orgSeq int

// org creates an organisation owned by the token's account.
func (e *testEnv) org(token, kind string) orgResponse {
	e.t.Helper()
	orgSeq++
	var o orgResponse
	e.expect(e.do("POST", "/api/v1/organizations", token, orgRequest{Kind: kind, NameZH: "测试机构", NameEN: "Test Org",
		Region: "上海", CreditCode: sqltest.ValidCreditCode(orgSeq)}), 201).json(&o)
	return o
}

// eventCount counts the event log, to show that refused requests change nothing.
func (e *testEnv) eventCount() int64 {
	var n int64
	e.db.View(context.Background(), func(tx market.Tx) (err error) {
		n, err = tx.LastEventSeq()
		return err
	})
	return n
}

var _ http.Handler = (*Server)(nil)

func newRequest(method, path string, headers map[string]string) *http.Request {
	r := httptest.NewRequest(method, path, nil)
	r.RemoteAddr = "192.0.2.1:1234"
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	return r
}

// serve runs one request through the server and checks the exchange
// against the OpenAPI document (contract_test.go).
func serve(e *testEnv, r *http.Request) *httptest.ResponseRecorder {
	e.t.Helper()
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			e.t.Fatal(err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	checkContract(e.t, r, body, w)
	return w
}

// serveJSON sends body as the JSON body of r.
func serveJSON(e *testEnv, r *http.Request, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		e.t.Fatal(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(raw))
	r.ContentLength = int64(len(raw))
	return serve(e, r)
}
