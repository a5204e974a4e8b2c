package meili

// A fake Meilisearch: the documented HTTP API of exactly the endpoints the
// adapter uses, with the same request checks, error shapes and asynchronous
// tasks. Tasks stay "enqueued" until GET /tasks/{uid} asks for one of them
// (then every earlier task is processed in order), so a caller that forgets
// to wait reads stale data, as it could against a real server.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRequest is one request the fake received.
type fakeRequest struct {
	Method, Path, Query string
	Body                []byte
}

type fakeMeili struct {
	URL string
	key string // master key; "" means an unprotected instance

	mu         sync.Mutex
	indexes    map[string]*fakeIndex
	tasks      []*fakeTask // tasks[i].uid == i
	requests   []fakeRequest
	unexpected []string // routes the adapter should never call
}

// newFakeMeili starts a fake on a local port, stopped at the end of the test;
// the test fails if the adapter called a route the fake does not serve.
func newFakeMeili(t *testing.T, key string) *fakeMeili {
	t.Helper()
	f := &fakeMeili{key: key, indexes: map[string]*fakeIndex{}}
	srv := httptest.NewServer(f.routes())
	f.URL = srv.URL
	t.Cleanup(func() {
		srv.Close()
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, u := range f.unexpected {
			t.Errorf("fake meilisearch: unexpected request %s", u)
		}
	})
	return f
}

func (f *fakeMeili) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /indexes", f.createIndex)
	mux.HandleFunc("GET /indexes/{uid}", f.getIndex)
	mux.HandleFunc("PATCH /indexes/{uid}/settings", f.updateSettings)
	mux.HandleFunc("POST /indexes/{uid}/documents", f.addDocuments)
	mux.HandleFunc("PUT /indexes/{uid}/documents", f.addDocuments)
	mux.HandleFunc("DELETE /indexes/{uid}/documents", f.deleteAll)
	mux.HandleFunc("POST /indexes/{uid}/documents/delete-batch", f.deleteBatch)
	mux.HandleFunc("POST /indexes/{uid}/documents/fetch", f.fetchDocuments)
	mux.HandleFunc("POST /indexes/{uid}/search", f.search)
	mux.HandleFunc("GET /indexes/{uid}/stats", f.stats)
	mux.HandleFunc("GET /tasks/{taskUid}", f.getTask)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		f.unexpected = append(f.unexpected, r.Method+" "+r.URL.Path)
		writeError(w, http.StatusNotFound, "bad_request", "Not Found")
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		f.mu.Lock()
		defer f.mu.Unlock()
		f.requests = append(f.requests, fakeRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: body})
		if !f.authorized(w, r) {
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodDelete && !jsonContent(w, r, body) {
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// sent returns the bodies of the requests received for method and path.
func (f *fakeMeili) sent(method, path string) [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out [][]byte
	for _, r := range f.requests {
		if r.Method == method && r.Path == path {
			out = append(out, r.Body)
		}
	}
	return out
}

// enqueued counts tasks nobody has waited for yet.
func (f *fakeMeili) enqueued() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, t := range f.tasks {
		if t.Status == "enqueued" {
			n++
		}
	}
	return n
}

// apiError is Meilisearch's error object.
type apiError struct {
	Message string `json:"message"`
	Code    string `json:"code"`
	Type    string `json:"type"`
	Link    string `json:"link"`
}

func newAPIError(code, format string, args ...any) *apiError {
	typ := "invalid_request"
	switch code {
	case "missing_authorization_header", "invalid_api_key":
		typ = "auth"
	case "internal":
		typ = "internal"
	}
	return &apiError{Message: fmt.Sprintf(format, args...), Code: code, Type: typ,
		Link: "https://docs.meilisearch.com/errors#" + code}
}

func writeError(w http.ResponseWriter, status int, code, format string, args ...any) {
	writeJSON(w, status, newAPIError(code, format, args...))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeMeili) authorized(w http.ResponseWriter, r *http.Request) bool {
	if f.key == "" {
		return true
	}
	h := r.Header.Get("Authorization")
	if h == "" {
		writeError(w, http.StatusUnauthorized, "missing_authorization_header",
			"The Authorization header is missing. It must use the bearer authorization method.")
		return false
	}
	if h != "Bearer "+f.key {
		writeError(w, http.StatusForbidden, "invalid_api_key", "The provided API key is invalid.")
		return false
	}
	return true
}

func jsonContent(w http.ResponseWriter, r *http.Request, body []byte) bool {
	ct := r.Header.Get("Content-Type")
	switch {
	case ct == "":
		writeError(w, http.StatusUnsupportedMediaType, "missing_content_type",
			"A Content-Type header is missing. Accepted values for the Content-Type header are: `application/json`")
	case !strings.HasPrefix(ct, "application/json"):
		writeError(w, http.StatusUnsupportedMediaType, "invalid_content_type",
			"The Content-Type `%s` is invalid. Accepted values for the Content-Type header are: `application/json`", ct)
	case len(bytes.TrimSpace(body)) == 0:
		writeError(w, http.StatusBadRequest, "missing_payload", "A json payload is missing.")
	case !json.Valid(body):
		writeError(w, http.StatusBadRequest, "malformed_payload", "The json payload provided is malformed.")
	default:
		return true
	}
	return false
}

// object decodes a JSON object body and rejects fields outside allowed, as
// Meilisearch's deserializer does.
func object(w http.ResponseWriter, body []byte, allowed ...string) (map[string]json.RawMessage, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "Invalid value type: expected an object, but found %s", kindOf(body))
		return nil, false
	}
	for k := range m {
		if !slices.Contains(allowed, k) {
			writeError(w, http.StatusBadRequest, "bad_request", "Unknown field `%s`: expected one of `%s`", k, strings.Join(allowed, "`, `"))
			return nil, false
		}
	}
	return m, true
}

func kindOf(raw []byte) string {
	switch t := bytes.TrimSpace(raw); {
	case len(t) == 0:
		return "nothing"
	case t[0] == '[':
		return "a sequence"
	case t[0] == '"':
		return "a string"
	case t[0] == '{':
		return "an object"
	case string(t) == "null":
		return "null"
	case string(t) == "true" || string(t) == "false":
		return "a boolean"
	default:
		return "a number"
	}
}

// field decodes one field of a request object into dst; null and absence
// leave dst untouched. On a type mismatch it writes the error named code.
func field(w http.ResponseWriter, m map[string]json.RawMessage, name string, dst any, code string) bool {
	raw, ok := m[name]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return true
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		writeError(w, http.StatusBadRequest, code, "Invalid value type at `.%s`: found %s: `%s`", name, kindOf(raw), raw)
		return false
	}
	return true
}

var validUID = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,400}$`)

func checkUID(w http.ResponseWriter, uid string) bool {
	if !validUID.MatchString(uid) {
		writeError(w, http.StatusBadRequest, "invalid_index_uid",
			"`%s` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.", uid)
		return false
	}
	return true
}

// index returns the index or writes index_not_found.
func (f *fakeMeili) index(w http.ResponseWriter, uid string) *fakeIndex {
	if !checkUID(w, uid) {
		return nil
	}
	ix := f.indexes[uid]
	if ix == nil {
		writeError(w, http.StatusNotFound, "index_not_found", "Index `%s` not found.", uid)
	}
	return ix
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func (f *fakeMeili) createIndex(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m, ok := object(w, body, "uid", "primaryKey")
	if !ok {
		return
	}
	var uid, pk string
	if !field(w, m, "uid", &uid, "invalid_index_uid") || !field(w, m, "primaryKey", &pk, "invalid_index_primary_key") {
		return
	}
	if _, ok := m["uid"]; !ok {
		writeError(w, http.StatusBadRequest, "missing_index_uid", "Missing field `uid`")
		return
	}
	if !checkUID(w, uid) {
		return
	}
	f.enqueue(w, uid, "indexCreation", map[string]any{"primaryKey": nullable(pk)}, func() *apiError {
		if f.indexes[uid] != nil {
			return newAPIError("index_already_exists", "Index `%s` already exists.", uid)
		}
		f.indexes[uid] = newFakeIndex(uid, pk)
		return nil
	})
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (f *fakeMeili) getIndex(w http.ResponseWriter, r *http.Request) {
	ix := f.index(w, r.PathValue("uid"))
	if ix == nil {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"uid": ix.uid, "primaryKey": nullable(ix.primaryKey),
		"createdAt": stamp(ix.createdAt), "updatedAt": stamp(ix.updatedAt),
	})
}

func (f *fakeMeili) stats(w http.ResponseWriter, r *http.Request) {
	ix := f.index(w, r.PathValue("uid"))
	if ix == nil {
		return
	}
	dist := map[string]int{}
	for _, d := range ix.docs {
		for k := range d {
			dist[k]++
		}
	}
	indexing := slices.ContainsFunc(f.tasks, func(t *fakeTask) bool { return t.IndexUID == ix.uid && t.Status == "enqueued" })
	writeJSON(w, http.StatusOK, map[string]any{
		"numberOfDocuments": len(ix.docs), "rawDocumentDbSize": 0, "avgDocumentSize": 0,
		"isIndexing": indexing, "numberOfEmbeddings": 0, "numberOfEmbeddedDocuments": 0,
		"fieldDistribution": dist,
	})
}
