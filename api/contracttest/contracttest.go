// Package contracttest checks HTTP exchanges against the served OpenAPI
// document, so every test that calls the API also tests the contract: a
// response the document does not describe (status, media type, body or
// headers) fails the test that provoked it. It counts the operations seen,
// so a suite can prove that it exercised all of them.
package contracttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Checker validates exchanges against one document and counts operations.
type Checker struct {
	doc    *openapi3.T
	router routers.Router

	mu   sync.Mutex
	seen map[string]int // operationId -> exchanges checked
}

// JSON lines (the outcome import) are checked as text: a file of many
// documents is not one JSON value.
func init() {
	for _, t := range []string{"application/x-ndjson", "application/jsonl"} {
		openapi3filter.RegisterBodyDecoder(t, openapi3filter.PlainBodyDecoder)
	}
}

// New loads and validates the document.
func New(doc []byte) (*Checker, error) {
	loader := openapi3.NewLoader()
	t, err := loader.LoadFromData(doc)
	if err != nil {
		return nil, fmt.Errorf("load openapi: %w", err)
	}
	if err := t.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi document invalid: %w", err)
	}
	r, err := gorillamux.NewRouter(t)
	if err != nil {
		return nil, fmt.Errorf("openapi router: %w", err)
	}
	return &Checker{doc: t, router: r, seen: map[string]int{}}, nil
}

// Exchange is one request and the response it got.
type Exchange struct {
	Request     *http.Request // its Body is not read; RequestBody holds it
	RequestBody []byte
	Status      int
	Header      http.Header
	Body        []byte
}

// Check validates one exchange. A request the document calls invalid must
// be refused (4xx); a response must match what the document declares for
// the operation and status. Paths outside the document may only answer
// 404 or 405, and preflight (OPTIONS) requests are not operations.
func (c *Checker) Check(x Exchange) error {
	req := x.Request.Clone(context.Background())
	if req.URL.Host == "" {
		// The document's server is "/": route on the path alone.
		req.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
		req.Host = ""
	}
	if req.Method == http.MethodOptions {
		return nil
	}
	head := req.Method == http.MethodHead
	if head {
		// HEAD is GET without the body (RFC 9110 §9.3.2): route it to GET.
		req.Method = http.MethodGet
	}
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		if x.Status == http.StatusNotFound || x.Status == http.StatusMethodNotAllowed {
			return nil
		}
		return fmt.Errorf("%s %s answered %d but is not in the document: %v", x.Request.Method, x.Request.URL.Path, x.Status, err)
	}
	c.mu.Lock()
	c.seen[route.Operation.OperationID]++
	c.mu.Unlock()

	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            false,
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	}
	req.Body = io.NopCloser(bytes.NewReader(x.RequestBody))
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	if reqErr != nil && x.Status < 400 {
		return fmt.Errorf("%s %s: the server accepted (%d) a request the document forbids: %v",
			x.Request.Method, x.Request.URL.RequestURI(), x.Status, short(reqErr))
	}

	if head {
		if len(x.Body) != 0 {
			return fmt.Errorf("HEAD %s answered a body", x.Request.URL.Path)
		}
		in.Request.Method = http.MethodGet
		x.Body = nil
		// The GET response's headers and status still apply.
		return c.checkStatus(route, x)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: x.Status, Header: x.Header, Options: opts}
	out.SetBodyBytes(x.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("%s %s answered %d outside the document: %v\nbody: %s",
			x.Request.Method, x.Request.URL.RequestURI(), x.Status, short(err), clip(x.Body))
	}
	return c.checkBodyDeclared(route, x)
}

// checkStatus fails a status the operation does not declare.
func (c *Checker) checkStatus(route *routers.Route, x Exchange) error {
	if route.Operation.Responses.Status(x.Status) == nil && route.Operation.Responses.Default() == nil {
		return fmt.Errorf("%s %s answered %d, which the document does not declare", x.Request.Method, x.Request.URL.Path, x.Status)
	}
	return nil
}

// checkBodyDeclared fails a body sent where the document declares none:
// openapi3filter lets any body through when a response has no content.
func (c *Checker) checkBodyDeclared(route *routers.Route, x Exchange) error {
	r := route.Operation.Responses.Status(x.Status)
	if r == nil || r.Value == nil {
		return nil
	}
	if len(r.Value.Content) == 0 && len(bytes.TrimSpace(x.Body)) > 0 {
		return fmt.Errorf("%s %s answered %d with a body the document does not describe: %s",
			x.Request.Method, x.Request.URL.Path, x.Status, clip(x.Body))
	}
	return nil
}

// Operations lists every operationId in the document, sorted.
func (c *Checker) Operations() []string {
	var ids []string
	for _, item := range c.doc.Paths.Map() {
		for _, op := range item.Operations() {
			ids = append(ids, op.OperationID)
		}
	}
	sort.Strings(ids)
	return ids
}

// Unseen lists the operations no checked exchange reached.
func (c *Checker) Unseen() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, id := range c.Operations() {
		if c.seen[id] == 0 {
			out = append(out, id)
		}
	}
	return out
}

// Transport wraps base (nil: http.DefaultTransport) so that every exchange
// made through it is checked; report receives each violation.
func (c *Checker) Transport(base http.RoundTripper, report func(error)) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return roundTripper{c: c, base: base, report: report}
}

type roundTripper struct {
	c      *Checker
	base   http.RoundTripper
	report func(error)
}

func (rt roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	res, err := rt.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	if err := rt.c.Check(Exchange{Request: req, RequestBody: reqBody, Status: res.StatusCode, Header: res.Header, Body: body}); err != nil {
		rt.report(err)
	}
	return res, nil
}

// short keeps the first lines of a validation error; kin-openapi appends
// the whole schema and value, which drowns the reason.
func short(err error) string {
	var me openapi3.MultiError
	if errors.As(err, &me) && len(me) > 0 {
		err = me[0]
	}
	s := err.Error()
	lines := strings.Split(s, "\n")
	if len(lines) > 4 {
		lines = lines[:4]
	}
	return strings.Join(lines, "\n")
}

func clip(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}
