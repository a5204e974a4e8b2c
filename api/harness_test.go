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
	"time"

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
	return newEnvOn(t, sqltest.MustOpen(t), store, cfg)
}

// newEnvOn is a real API over the given store, for tests run on both
// engines (sqltest.Engines).
func newEnvOn(t *testing.T, db *sqlstore.DB, store kv.Store, cfg Config) *testEnv {
	t.Helper()
	srv := newServerOn(t, db, store, cfg)
	return &testEnv{t: t, srv: srv, svc: srv.Service, db: db, kv: store}
}

// newServerOn is the API on db with a quiet log, for tests and benchmarks.
func newServerOn(tb testing.TB, db *sqlstore.DB, store kv.Store, cfg Config) *Server {
	tb.Helper()
	svc := market.NewService(db)
	svc.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	tokens := &auth.Tokens{Key: auth.GenerateKey(), KV: store, Revocations: svc}
	srv, err := New(cfg, svc, tokens, store, svc.Log)
	if err != nil {
		tb.Fatal(err)
	}
	return srv
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

// user registers an account, verifies its email with the mailed link and
// logs in, returning its id and tokens.
func (e *testEnv) user(email string) (id string, tok tokenResponse) {
	e.t.Helper()
	id, tok = e.unverifiedUser(email)
	var acc accountResponse
	e.expect(e.do("POST", "/api/v1/auth/email/verify", "", tokenRequest{Token: e.mailTo(email, market.MailVerifyEmail).Data["token"]}), 200).json(&acc)
	if acc.ID != id || !acc.EmailVerified {
		e.t.Fatalf("verified account %+v, want %s verified", acc, id)
	}
	return id, tok
}

// unverifiedUser registers and logs in an account that has not opened
// its verification link.
func (e *testEnv) unverifiedUser(email string) (id string, tok tokenResponse) {
	e.t.Helper()
	e.expect(e.do("POST", "/api/v1/auth/register", "", registerRequest{Email: email, Password: "correct horse battery", DisplayName: email}), 202)
	e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: email, Password: "correct horse battery"}), 200).json(&tok)
	var me meResponse
	e.expect(e.do("GET", "/api/v1/me", tok.AccessToken, nil), 200).json(&me)
	return me.Account.ID, tok
}

// mailTo returns the newest queued mail of kind to the address.
func (e *testEnv) mailTo(to, kind string) market.OutboxMail {
	e.t.Helper()
	var due []market.OutboxMail
	err := e.db.View(context.Background(), func(tx market.Tx) (err error) {
		due, err = tx.DueMail(time.Now().AddDate(1, 0, 0), 1000)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	for i := len(due) - 1; i >= 0; i-- {
		if due[i].To == to && due[i].Kind == kind {
			return due[i]
		}
	}
	e.t.Fatalf("no %s mail to %s among %d queued", kind, to, len(due))
	return market.OutboxMail{}
}

// mailCount counts the queued mails of kind to the address.
func (e *testEnv) mailCount(to, kind string) int {
	var due []market.OutboxMail
	e.db.View(context.Background(), func(tx market.Tx) (err error) {
		due, err = tx.DueMail(time.Now().AddDate(1, 0, 0), 1000)
		return err
	})
	n := 0
	for _, m := range due {
		if m.To == to && m.Kind == kind {
			n++
		}
	}
	return n
}

// admin creates a platform admin and logs in.
func (e *testEnv) admin() tokenResponse {
	e.t.Helper()
	return e.staff("admin@techbridge.test", market.RoleAdmin)
}

// staff creates an account with a platform role (techbridge admin create
// --role) and logs it in.
func (e *testEnv) staff(email, role string) tokenResponse {
	e.t.Helper()
	if _, err := e.svc.CreateAdmin(context.Background(), market.NewAccount{Email: email, Password: "correct horse battery", DisplayName: role}, role); err != nil {
		e.t.Fatal(err)
	}
	var tok tokenResponse
	e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: email, Password: "correct horse battery"}), 200).json(&tok)
	return tok
}

var orgSeq int

// testProfile is the registration profile of every test organisation.
var testProfile = orgProfileBody{Address: "上海市杨浦区邯郸路220号", LegalRepresentative: "张三", ContactPerson: "李四",
	ContactPhone: "021-6564 0000", RegionCode: "310110", Country: "CN"}

// org creates an organisation owned by the token's account and has an
// admin verify it, as every organisation that trades must be.
func (e *testEnv) org(token, kind string) orgResponse {
	e.t.Helper()
	o := e.unverifiedOrg(token, kind)
	v, err := e.svc.VerifyOrganization(context.Background(), market.Actor{AccountID: "test-admin", PlatformRole: market.RoleAdmin},
		o.ID, market.VerificationVerified, "")
	if err != nil {
		e.t.Fatal(err)
	}
	o.Verification, o.Version = v.Verification, v.Version
	return o
}

// unverifiedOrg creates an organisation that waits for verification.
func (e *testEnv) unverifiedOrg(token, kind string) orgResponse {
	e.t.Helper()
	orgSeq++
	var o orgResponse
	e.expect(e.do("POST", "/api/v1/organizations", token, orgRequest{Kind: kind, NameZH: "测试机构", NameEN: "Test Org",
		Region: "上海", CreditCode: sqltest.ValidCreditCode(orgSeq), orgProfileBody: testProfile}), 201).json(&o)
	return o
}

// join invites email into orgID by the owner's token and accepts the
// mailed link with the invitee's token.
func (e *testEnv) join(ownerToken, orgID, email, role, inviteeToken string) {
	e.t.Helper()
	e.expect(e.do("POST", "/api/v1/organizations/"+orgID+"/members", ownerToken, inviteRequest{Email: email, Role: role}), 201)
	e.expect(e.do("POST", "/api/v1/invitations/accept", inviteeToken, answerInvitationRequest{Token: e.mailTo(email, market.MailInvitation).Data["token"]}), 200)
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
