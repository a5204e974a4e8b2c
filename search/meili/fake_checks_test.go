package meili

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// These tests check the fake itself: that it refuses what Meilisearch
// refuses, with the documented error object, and filters as the
// specification says. Without them a lenient fake would let adapter bugs by.

func call(t *testing.T, f *fakeMeili, method, path, key, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), method, f.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func TestFakeRejectsLikeMeilisearch(t *testing.T) {
	e, f := openFake(t)
	_ = e
	search := "/indexes/tb_listings/search"
	cases := []struct {
		name, method, path, key, body string
		status                        int
		code, message                 string
	}{
		{"no key", "POST", search, "", `{"q":"x"}`, 401, "missing_authorization_header", "The Authorization header is missing"},
		{"wrong key", "POST", search, "nope", `{"q":"x"}`, 403, "invalid_api_key", "The provided API key is invalid."},
		{"unknown field", "POST", search, fakeKey, `{"q":"x","marin":1}`, 400, "bad_request", "Unknown field `marin`"},
		{"wrong type", "POST", search, fakeKey, `{"limit":"ten"}`, 400, "invalid_search_limit", "`.limit`"},
		{"not filterable", "POST", search, fakeKey, `{"filter":"currency = CNY"}`, 400, "invalid_search_filter",
			"Index `tb_listings`: Attribute `currency` is not filterable. Available filterable attribute patterns are: `field`, `id`"},
		{"bad syntax", "POST", search, fakeKey, `{"filter":"region = "}`, 400, "invalid_search_filter", "Was expecting a value"},
		{"dangling", "POST", search, fakeKey, `{"filter":"region = a b"}`, 400, "invalid_search_filter", "Found unexpected characters"},
		{"not sortable", "POST", search, fakeKey, `{"sort":["title:asc"]}`, 400, "invalid_search_sort",
			"Attribute `title` is not sortable. Available sortable attributes are: `published_ms, price_low, trl`."},
		{"sort syntax", "POST", search, fakeKey, `{"sort":["trl"]}`, 400, "invalid_search_sort", "`:asc` or `:desc`"},
		{"facet not filterable", "POST", search, fakeKey, `{"facets":["title"]}`, 400, "invalid_search_facets", "Attribute `title` is not filterable"},
		{"search on", "POST", search, fakeKey, `{"q":"x","attributesToSearchOn":["region"]}`, 400, "invalid_search_attributes_to_search_on", "Attribute `region` is not searchable"},
		{"no index", "POST", "/indexes/nope/search", fakeKey, `{}`, 404, "index_not_found", "Index `nope` not found."},
		{"bad uid", "POST", "/indexes/no%20pe/search", fakeKey, `{}`, 400, "invalid_index_uid", "is not a valid index uid"},
		{"settings field", "PATCH", "/indexes/tb_listings/settings", fakeKey, `{"filterable":["x"]}`, 400, "bad_request", "Unknown field `filterable`"},
		{"faceting field", "PATCH", "/indexes/tb_listings/settings", fakeKey, `{"faceting":{"maxValues":3}}`, 400, "bad_request", "Unknown field `maxValues`"},
		{"fetch filter", "POST", "/indexes/tb_listings/documents/fetch", fakeKey, `{"filter":"version > 1"}`, 400, "invalid_document_filter", "Attribute `version` is not filterable"},
		{"no task", "GET", "/tasks/999", fakeKey, "", 404, "task_not_found", "Task `999` not found."},
		{"no body", "POST", search, fakeKey, "", 415, "missing_content_type", "Content-Type header is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, m := call(t, f, c.method, c.path, c.key, c.body)
			if status != c.status || m["code"] != c.code {
				t.Fatalf("%d %v, want %d %s", status, m, c.status, c.code)
			}
			msg, _ := m["message"].(string)
			if !strings.Contains(msg, c.message) {
				t.Errorf("message %q does not contain %q", msg, c.message)
			}
			if m["link"] != "https://docs.meilisearch.com/errors#"+c.code || m["type"] == "" {
				t.Errorf("error object %v lacks link or type", m)
			}
		})
	}
}

func TestFakeTaskLifecycle(t *testing.T) {
	f := newFakeMeili(t, "")
	status, m := call(t, f, "POST", "/indexes", "", `{"uid":"movies","primaryKey":"id"}`)
	if status != 202 || m["status"] != "enqueued" || m["taskUid"] != 0.0 || m["type"] != "indexCreation" {
		t.Fatalf("create: %d %v", status, m)
	}
	_, m = call(t, f, "POST", "/indexes/movies/documents", "", `[{"id":1,"title":"x"},{"id":"bad id!"}]`)
	uid := m["taskUid"]
	if _, stats := call(t, f, "GET", "/indexes/movies/stats", "", ""); stats != nil && stats["code"] != "index_not_found" {
		t.Errorf("index visible before its creation task ran: %v", stats)
	}
	_, task := call(t, f, "GET", "/tasks/1", "", "")
	if uid != 1.0 || task["status"] != "failed" || task["error"].(map[string]any)["code"] != "invalid_document_id" {
		t.Errorf("document task = %v", task)
	}
	_, task = call(t, f, "GET", "/tasks/0", "", "")
	if task["status"] != "succeeded" || task["finishedAt"] == nil {
		t.Errorf("index task = %v", task)
	}
	call(t, f, "POST", "/indexes", "", `{"uid":"movies"}`)
	if _, task := call(t, f, "GET", "/tasks/2", "", ""); task["status"] != "failed" ||
		task["error"].(map[string]any)["code"] != "index_already_exists" {
		t.Errorf("second creation = %v", task)
	}
}

// Filter examples from Meilisearch's search API specification (3.1.2).
func TestFakeFilterSemantics(t *testing.T) {
	docs := []map[string]any{
		{"id": 0.0, "size": []any{0.0, "small"}, "colour": "blue"},
		{"id": 1.0, "size": 1.0},
		{"id": 2.0, "size": []any{2.0, 20.0}},
		{"id": 3.0, "size": "Small", "name": `say "hi" \o/`},
	}
	ix := newFakeIndex("t", "id")
	ix.filterable = []string{"size", "colour", "name", "id"}
	cases := map[string][]float64{
		`size > 1`:             {2},
		`size >= 1`:            {1, 2},
		`size < 2`:             {0, 1},
		`size -1 TO 2`:         {0, 1, 2},
		`size = 0 OR size = 1`: {0, 1},
		`size = 0 AND (size = 2 OR colour = "blue")`: {0},
		`size = 0 AND size = 2 OR colour = "blue"`:   {0},
		`NOT size = 0`:                       {1, 2, 3},
		`NOT size = 0 OR size = 1`:           {1, 2, 3},
		`NOT (size < 2 AND colour = "blue")`: {1, 2, 3},
		`size != 1`:                          {0, 2, 3},
		`size = SMALL`:                       {0, 3},
		`size IN [1, 20]`:                    {1, 2},
		`size NOT IN [1, 20]`:                {0, 3},
		`colour EXISTS`:                      {0},
		`colour NOT EXISTS`:                  {1, 2, 3},
		`name = "say \"hi\" \\o/"`:           {3},
		`name = 'say "hi" \\o/'`:             {3},
		`id IN ["1", "3"]`:                   {1, 3},
	}
	for expr, want := range cases {
		match, err := ix.compileFilter(expr, "invalid_search_filter")
		if err != nil {
			t.Errorf("%s: %v", expr, err.Message)
			continue
		}
		var got []float64
		for _, d := range docs {
			if match(d) {
				got = append(got, d["id"].(float64))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s selects %v, want %v", expr, got, want)
		}
	}
	for _, bad := range []string{`size > small`, `(size = 1`, `size IN [1`, `size`, `size = 1 AND`} {
		if _, err := ix.compileFilter(bad, "invalid_search_filter"); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

func TestFakeRecordsRequests(t *testing.T) {
	f := newFakeMeili(t, "")
	call(t, f, "POST", "/indexes", "", `{"uid":"a"}`)
	if got := f.sent("POST", "/indexes"); len(got) != 1 || !bytes.Equal(got[0], []byte(`{"uid":"a"}`)) {
		t.Errorf("recorded %q", got)
	}
}
