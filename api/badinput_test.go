package api

import (
	"strings"
	"techbridge/api/kv"
	"testing"
)

func TestBadInputIsRefusedAndChangesNothing(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{BodyLimit: 4096})
	_, tok := e.user("sun@example.cn")
	before := e.eventCount()
	long := strings.Repeat("长", 201)
	cases := []struct {
		name, path, body string
		status           int
		field            string
	}{
		{"malformed JSON", "/api/v1/organizations", `{"kind": "university",`, 400, "body"},
		{"not an object", "/api/v1/organizations", `[1,2]`, 400, "body"},
		{"wrong type", "/api/v1/organizations", `{"kind": 7}`, 400, "kind"},
		{"unknown field", "/api/v1/organizations", `{"kind":"university","name_zh":"x","credit_code":"91350100M000100Y43","verification":"verified"}`, 400, "verification"},
		{"trailing data", "/api/v1/organizations", `{"kind":"university"} {}`, 400, "body"},
		{"bad credit code", "/api/v1/organizations", `{"kind":"university","name_zh":"复旦大学","credit_code":"91350100M000100Y44"}`, 400, "credit_code"},
		{"bad kind", "/api/v1/organizations", `{"kind":"bank","name_zh":"某银行","credit_code":"91350100M000100Y43"}`, 400, "kind"},
		{"overlong name", "/api/v1/organizations", `{"kind":"university","name_zh":"` + long + `","credit_code":"91350100M000100Y43"}`, 400, "name_zh"},
		{"oversized body", "/api/v1/organizations", `{"kind":"university","name_zh":"` + strings.Repeat("x", 5000) + `"}`, 413, ""},
		{"bad email", "/api/v1/auth/register", `{"email":"not-an-email","password":"long enough pass","display_name":"x"}`, 400, "email"},
		{"short password", "/api/v1/auth/register", `{"email":"a@b.cn","password":"short","display_name":"x"}`, 400, "password"},
		{"empty body", "/api/v1/auth/register", ``, 400, "body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.do("POST", tc.path, tok.AccessToken, tc.body)
			if res.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", res.Code, tc.status, res.Body)
			}
			p := res.problem()
			if tc.field != "" && !hasField(p, tc.field) {
				t.Fatalf("problem does not name %q: %+v", tc.field, p)
			}
		})
	}
	if after := e.eventCount(); after != before {
		t.Fatalf("refused requests appended %d events", after-before)
	}
	var orgs listResponse[orgResponse]
	e.expect(e.do("GET", "/api/v1/organizations?verification=pending", "", nil), 403)
	e.expect(e.do("GET", "/api/v1/organizations", "", nil), 200).json(&orgs)
	if len(orgs.Items) != 0 {
		t.Fatalf("refused requests created organisations: %+v", orgs.Items)
	}
}

func hasField(p Problem, field string) bool {
	for _, f := range p.Errors {
		if f.Field == field {
			return true
		}
	}
	return false
}

func FuzzDecodeJSON(f *testing.F) {
	f.Add(`{"kind":"university","name_zh":"x","credit_code":"91350100M000100Y43"}`)
	f.Add(`{"kind":7}`)
	f.Add(`{"a":1}`)
	f.Add(`[`)
	f.Fuzz(func(t *testing.T, body string) {
		var req orgRequest
		err := decodeJSON(strings.NewReader(body), &req)
		if err == nil {
			// Whatever was accepted must be a JSON object of known fields.
			if !strings.Contains(body, "{") {
				t.Fatalf("accepted non-object %q", body)
			}
			return
		}
		if p, ok := err.(interface{ Error() string }); !ok || p.Error() == "" {
			t.Fatalf("empty error for %q", body)
		}
	})
}
