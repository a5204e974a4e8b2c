package api

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

var ginParam = regexp.MustCompile(`[:*]([A-Za-z_]+)`)

// TestOpenAPIDescribesEveryRoute keeps openapi.json and the route table in
// step: every registered route is documented and nothing else is.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") {
		t.Fatalf("openapi version %q, want 3.1.x", doc.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	e := newEnv(t)
	registered := map[string]bool{}
	for _, r := range e.srv.Routes() {
		registered[r.Method+" "+ginParam.ReplaceAllString(r.Path, "{$1}")] = true
	}
	var missing, extra []string
	for k := range registered {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !registered[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("openapi.json out of step\nundocumented routes: %v\ndocumented but not registered: %v", missing, extra)
	}
}

// TestServedOpenAPIIsTheFile: /api/openapi.json answers api/openapi.json
// byte for byte, so what CI lints (the file) is what clients get.
func TestServedOpenAPIIsTheFile(t *testing.T) {
	e := newEnv(t)
	file, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	res := e.expect(e.do("GET", "/api/openapi.json", "", nil), 200)
	if !bytes.Equal(res.Body.Bytes(), file) {
		t.Fatal("served document differs from api/openapi.json")
	}
}

var camelCase = regexp.MustCompile(`^[a-z][a-zA-Z0-9]+$`)

// TestOpenAPIConventions holds every operation to the document's house
// rules (README, API), so a route added in a hurry is named here rather
// than found by a client: operationId and tags, security stated, a schema
// for each success body, Location on 201, and the shared error responses
// where they can happen.
func TestOpenAPIConventions(t *testing.T) {
	var doc struct {
		Tags []struct {
			Name string `json:"name"`
		} `json:"tags"`
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	tags := map[string]bool{}
	for _, tg := range doc.Tags {
		tags[tg.Name] = true
	}
	type response struct {
		Ref     string                     `json:"$ref"`
		Content map[string]json.RawMessage `json:"content"`
		Headers map[string]json.RawMessage `json:"headers"`
	}
	type operation struct {
		OperationID string              `json:"operationId"`
		Tags        []string            `json:"tags"`
		Summary     string              `json:"summary"`
		Security    *[]map[string]any   `json:"security"`
		Parameters  []map[string]any    `json:"parameters"`
		RequestBody json.RawMessage     `json:"requestBody"`
		Responses   map[string]response `json:"responses"`
	}
	ids := map[string]string{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatal(err)
			}
			where := strings.ToUpper(method) + " " + path
			fail := func(format string, args ...any) { t.Errorf(where+": "+format, args...) }
			if !camelCase.MatchString(op.OperationID) {
				fail("operationId %q is not camelCase", op.OperationID)
			} else if other, dup := ids[op.OperationID]; dup {
				fail("operationId %q also names %s", op.OperationID, other)
			}
			ids[op.OperationID] = where
			if len(op.Tags) == 0 {
				fail("no tags")
			}
			for _, tg := range op.Tags {
				if !tags[tg] {
					fail("tag %q is not declared in the top-level tags", tg)
				}
			}
			if op.Summary == "" {
				fail("no summary")
			}
			if op.Security == nil {
				fail(`no security: state [] (none), [{"bearer": []}] or [{}, {"bearer": []}] (optional)`)
			}
			want := map[string]bool{"500": true}
			if strings.HasPrefix(path, "/api/v1/") {
				// 503: every /api/v1 request has a deadline on its dependencies.
				want["401"], want["429"], want["503"] = true, true, true
			}
			if len(op.RequestBody) > 0 {
				want["400"], want["413"], want["415"] = true, true, true
			}
			if strings.Contains(path, "{id}") {
				want["404"] = true
			}
			for _, p := range op.Parameters {
				if p["$ref"] == "#/components/parameters/IfMatch" {
					want["412"], want["428"] = true, true
				}
				if p["$ref"] == "#/components/parameters/Cursor" {
					want["400"] = true
				}
			}
			for code := range want {
				if _, ok := op.Responses[code]; !ok {
					fail("does not declare %s (use #/components/responses/…)", code)
				}
			}
			for code, r := range op.Responses {
				switch {
				case code == "204":
				case code[0] == '2':
					if len(r.Content) == 0 {
						fail("success %s has no body schema", code)
					}
					if code == "201" && r.Headers["Location"] == nil {
						fail("201 without a Location header")
					}
				case code != "503" && !strings.HasPrefix(r.Ref, "#/components/responses/"):
					fail("error %s is not a shared #/components/responses/ entry", code)
				}
			}
		}
	}
}
