package meili

import (
	"encoding/json"
	"reflect"
	"testing"

	"techbridge/market"
	"techbridge/search"
	"techbridge/search/searchtest"
)

// These tests pin the exact requests the adapter sends, as the fake recorded them.

func decodeBody(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	return m
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestOpenCreatesIndexAndSettings(t *testing.T) {
	e, f := openFake(t)
	if e.Name() != "meilisearch" {
		t.Errorf("Name = %q", e.Name())
	}
	created := f.sent("POST", "/indexes")
	if len(created) != 1 || asJSON(decodeBody(t, created[0])) != `{"primaryKey":"id","uid":"tb_listings"}` {
		t.Fatalf("POST /indexes bodies = %q", created)
	}
	patches := f.sent("PATCH", "/indexes/tb_listings/settings")
	if len(patches) != 1 {
		t.Fatalf("%d settings requests, want 1", len(patches))
	}
	got := decodeBody(t, patches[0])
	want := map[string]string{
		"searchableAttributes": `["title","keywords","title_alt","summary","summary_alt","description","org_name","cjk_grams"]`,
		"filterableAttributes": `["id","kind","field","ipc_prefixes","ipc_class","trl","price_low","price_high","region","transfer_modes","org_kind","org_id","langs"]`,
		"sortableAttributes":   `["published_ms","price_low","trl"]`,
		"rankingRules":         `["sort","words","typo","proximity","attribute","exactness"]`,
		"faceting":             `{"maxValuesPerFacet":100,"sortFacetValuesBy":{"*":"count"}}`,
		"pagination":           `{"maxTotalHits":10100}`,
	}
	for k, w := range want {
		if g := asJSON(got[k]); g != w {
			t.Errorf("settings %s = %s, want %s", k, g, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("settings keys = %v, want exactly %d", got, len(want))
	}
	if n := f.enqueued(); n != 0 {
		t.Errorf("%d tasks left enqueued after Open", n)
	}
}

func TestOpenAgainKeepsDocuments(t *testing.T) {
	e, f := openFake(t)
	if err := e.Upsert(t.Context(), searchtest.Fixtures()...); err != nil {
		t.Fatal(err)
	}
	again, err := Open(t.Context(), f.URL, fakeKey, "tb_")
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	if n, err := again.Count(t.Context()); err != nil || n != 5 {
		t.Errorf("Count after reopening = %d, %v; want 5", n, err)
	}
}

func TestOpenWithWrongKeyFails(t *testing.T) {
	f := newFakeMeili(t, fakeKey)
	if _, err := Open(t.Context(), f.URL, "wrong", "tb_"); err == nil {
		t.Fatal("Open with a wrong key succeeded")
	}
	if _, err := Open(t.Context(), f.URL, "", "tb_"); err == nil {
		t.Fatal("Open without a key succeeded against a protected server")
	}
}

func TestSearchSendsFilter(t *testing.T) {
	cases := []struct {
		name string
		q    search.Query
		want string
	}{
		{"none", search.Query{}, ""},
		{"every constraint", search.Query{
			Kinds: []string{"outcome", "scenario"}, Field: "energy", IPCPrefix: " h01m  10 ", TRLMin: 3, TRLMax: 7,
			PriceMin: 100, PriceMax: 900, Region: "beijing", TransferMode: "equity", OrgKind: "university",
			OrgID: "org-1", ExcludeIDs: []string{"a", "b"},
		}, `kind IN ["outcome", "scenario"] AND field = "energy" AND ipc_prefixes = "H01M 10" AND trl >= 3 AND trl <= 7 AND ` +
			`price_high >= 100 AND price_low <= 900 AND region = "beijing" AND transfer_modes = "equity" AND ` +
			`org_kind = "university" AND org_id = "org-1" AND id NOT IN ["a", "b"]`},
		{"escaping", search.Query{Region: `he said "hi" \o/`}, `region = "he said \"hi\" \\o/"`},
		{"price floor only", search.Query{PriceMin: 5}, `price_high >= 5`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, f := openFake(t)
			if _, err := e.Search(t.Context(), c.q); err != nil {
				t.Fatalf("Search: %v", err)
			}
			bodies := f.sent("POST", "/indexes/tb_listings/search")
			got, _ := decodeBody(t, bodies[len(bodies)-1])["filter"].(string)
			if got != c.want {
				t.Errorf("filter\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestSearchSendsPagingSortFacetsHighlight(t *testing.T) {
	e, f := openFake(t)
	last := func() map[string]any {
		b := f.sent("POST", "/indexes/tb_listings/search")
		return decodeBody(t, b[len(b)-1])
	}
	_, err := e.Search(t.Context(), search.Query{Text: "lithium", Sort: "newest", Offset: 40, Limit: 20,
		Facets: []string{"kind", "ipc_class"}, Highlight: true})
	if err != nil {
		t.Fatal(err)
	}
	m := last()
	for k, want := range map[string]string{
		"q": `"lithium"`, "page": "3", "hitsPerPage": "20", "sort": `["published_ms:desc"]`,
		"facets": `["kind","ipc_class"]`, "highlightPreTag": `"\u003cmark\u003e"`, "highlightPostTag": `"\u003c/mark\u003e"`,
		"attributesToHighlight": `["title","summary","description","keywords"]`, "showRankingScore": "true",
	} {
		if got := asJSON(m[k]); got != want {
			t.Errorf("%s = %s, want %s", k, got, want)
		}
	}
	if _, ok := m["offset"]; ok {
		t.Errorf("page request also sent offset: %v", m)
	}

	// An offset between page boundaries needs offset/limit.
	if _, err := e.Search(t.Context(), search.Query{Offset: 7, Limit: 5}); err != nil {
		t.Fatal(err)
	}
	m = last()
	if asJSON(m["offset"]) != "7" || asJSON(m["limit"]) != "5" || m["page"] != nil {
		t.Errorf("offset 7 limit 5 sent %v", m)
	}
	if m["attributesToHighlight"] != nil {
		t.Errorf("placeholder search asked for highlights: %v", m)
	}
}

func TestSearchRejectsUnknownSortAndFacet(t *testing.T) {
	e, f := openFake(t)
	for _, q := range []search.Query{{Sort: "oldest"}, {Facets: []string{"colour"}}} {
		_, err := e.Search(t.Context(), q)
		if market.ErrorCode(err) != market.EINVALID {
			t.Errorf("Search(%+v) error %v, want code %s", q, err, market.EINVALID)
		}
	}
	if n := len(f.sent("POST", "/indexes/tb_listings/search")); n != 0 {
		t.Errorf("%d invalid searches reached the server", n)
	}
}

func TestUpsertReadsVersionsThenWrites(t *testing.T) {
	e, f := openFake(t)
	docs := searchtest.Fixtures()[:2]
	if err := e.Upsert(t.Context(), docs...); err != nil {
		t.Fatal(err)
	}
	fetches := f.sent("POST", "/indexes/tb_listings/documents/fetch")
	if len(fetches) != 1 {
		t.Fatalf("%d version reads, want 1", len(fetches))
	}
	want := map[string]any{"filter": `id IN ["out-li-recycle", "out-solid-state"]`, "fields": []any{"id", "version"}, "limit": 2.0}
	if got := decodeBody(t, fetches[0]); !reflect.DeepEqual(got, want) {
		t.Errorf("version read %v, want %v", got, want)
	}
	// An older version is not sent at all.
	old := docs[0]
	old.Version = 0
	if err := e.Upsert(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	if n := len(f.sent("POST", "/indexes/tb_listings/documents")); n != 1 {
		t.Errorf("%d document additions, want 1 (the stale one skipped)", n)
	}
	var rows []map[string]any
	_ = json.Unmarshal(f.sent("POST", "/indexes/tb_listings/documents")[0], &rows)
	r := rows[0]
	for k, want := range map[string]string{
		"ipc_prefixes": `["H","H0","H01","H01M","H01M 1","H01M 10","H01M 10/","H01M 10/5","H01M 10/54","H01M 6","H01M 6/","H01M 6/5","H01M 6/52"]`,
		"ipc_class":    `["H01M"]`, "price_low": "50000000", "price_high": "80000000", "published_ms": "1736467200000",
	} {
		if got := asJSON(r[k]); got != want {
			t.Errorf("row %s = %s, want %s", k, got, want)
		}
	}
}

func TestEveryWriteWaitsForItsTask(t *testing.T) {
	e, f := openFake(t)
	ctx := t.Context()
	steps := []struct {
		name string
		run  func() error
	}{
		{"upsert", func() error { return e.Upsert(ctx, searchtest.Fixtures()...) }},
		{"delete", func() error { return e.Delete(ctx, searchtest.IDCropDrone) }},
		{"reset", func() error { return e.Reset(ctx) }},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if n := f.enqueued(); n != 0 {
			t.Errorf("%s returned with %d task(s) still enqueued", s.name, n)
		}
	}
}
