package searchtest

import (
	"slices"
	"testing"

	"techbridge/search"
)

func testFilters(t *testing.T, e search.Engine) {
	mustUpsert(t, e, Fixtures()...)
	cases := []struct {
		name string
		q    search.Query
		want []string
	}{
		{"no constraint", search.Query{}, []string{IDLiRecycle, IDSolidState, IDCropDrone, IDBatteryNeed, IDSmartFarm}},
		{"kind scenario", search.Query{Kinds: []string{search.KindScenario}}, []string{IDBatteryNeed, IDSmartFarm}},
		{"kinds both", search.Query{Kinds: []string{search.KindScenario, search.KindOutcome}}, []string{IDLiRecycle, IDSolidState, IDCropDrone, IDBatteryNeed, IDSmartFarm}},
		{"field", search.Query{Field: "agritech"}, []string{IDCropDrone, IDSmartFarm}},
		{"ipc subclass", search.Query{IPCPrefix: "H01M"}, []string{IDLiRecycle, IDSolidState}},
		{"ipc group", search.Query{IPCPrefix: "H01M 10"}, []string{IDLiRecycle, IDSolidState}},
		{"ipc main group 6", search.Query{IPCPrefix: "H01M 6"}, []string{IDLiRecycle}},
		{"ipc second code", search.Query{IPCPrefix: "A01M"}, []string{IDCropDrone}},
		{"ipc full code", search.Query{IPCPrefix: "H01M 10/0562"}, []string{IDSolidState}},
		{"trl range", search.Query{TRLMin: 5, TRLMax: 7}, []string{IDLiRecycle, IDBatteryNeed, IDSmartFarm}},
		{"trl min only", search.Query{TRLMin: 7}, []string{IDCropDrone, IDSmartFarm}},
		{"trl max only", search.Query{TRLMax: 4}, []string{IDSolidState}},
		{"region", search.Query{Region: "zhejiang"}, []string{IDCropDrone, IDSmartFarm}},
		{"transfer mode", search.Query{TransferMode: "equity"}, []string{IDCropDrone}},
		// exclusive_license is a substring of non_exclusive_license: exact match only.
		{"transfer mode exact", search.Query{TransferMode: "exclusive_license"}, []string{IDLiRecycle}},
		{"org kind", search.Query{OrgKind: "university"}, []string{IDLiRecycle, IDCropDrone}},
		{"org id", search.Query{OrgID: "org-cas"}, []string{IDSolidState}},
		{"exclude ids", search.Query{Kinds: []string{search.KindOutcome}, ExcludeIDs: []string{IDLiRecycle, IDSolidState}}, []string{IDCropDrone}},
		{"only ids", search.Query{OnlyIDs: []string{IDLiRecycle, IDSmartFarm, "no-such-id"}}, []string{IDLiRecycle, IDSmartFarm}},
		{"only ids and a filter", search.Query{Kinds: []string{search.KindOutcome}, OnlyIDs: []string{IDLiRecycle, IDSmartFarm}}, []string{IDLiRecycle}},
		{"combined", search.Query{Kinds: []string{search.KindOutcome}, Field: "energy", TRLMin: 5}, []string{IDLiRecycle}},
		{"text and filter", search.Query{Text: "battery", Kinds: []string{search.KindOutcome}, Region: "shanghai"}, []string{IDSolidState}},
		{"nothing matches", search.Query{Field: "energy", Region: "zhejiang"}, nil},
		{"lang zh", search.Query{Lang: "zh"}, []string{IDLiRecycle, IDBatteryNeed}},
		{"lang en", search.Query{Lang: "en"}, []string{IDSolidState, IDCropDrone, IDSmartFarm}},
		{"lang and text", search.Query{Text: "battery", Lang: "en"}, []string{IDSolidState}},
		{"lang and text elsewhere", search.Query{Text: "battery", Lang: "zh"}, nil},
		{"ipc classes", search.Query{IPCClasses: []string{"B64U", "H01M"}, Kinds: []string{search.KindOutcome}}, []string{IDLiRecycle, IDSolidState, IDCropDrone}},
		{"value with quote", search.Query{Region: `zhe"jiang`}, nil},
	}
	for _, c := range cases {
		wantSet(t, c.name, mustSearch(t, e, c.q), c.want...)
	}
}

func testPriceOverlap(t *testing.T, e search.Engine) {
	mustUpsert(t, e, Fixtures()...)
	// Prices (minor units): drone 10–15M, battery demand 30–70M, recycling
	// 50–80M, solid state 200–300M; the smart-farm call has none. Whether a
	// listing without a price matches a price filter is left to the engine.
	cases := []struct {
		name     string
		min, max int64
		in, out  []string
	}{
		{"middle", 60_000_000, 90_000_000, []string{IDLiRecycle, IDBatteryNeed}, []string{IDCropDrone, IDSolidState}},
		{"min only", 100_000_000, 0, []string{IDSolidState}, []string{IDLiRecycle, IDBatteryNeed, IDCropDrone}},
		{"max bound only", 0, 12_000_000, []string{IDCropDrone}, []string{IDLiRecycle, IDBatteryNeed, IDSolidState}},
		{"touching bounds", 15_000_000, 30_000_000, []string{IDCropDrone, IDBatteryNeed}, []string{IDLiRecycle, IDSolidState}},
		{"gap", 16_000_000, 29_000_000, nil, []string{IDCropDrone, IDBatteryNeed, IDLiRecycle, IDSolidState}},
	}
	for _, c := range cases {
		res := mustSearch(t, e, search.Query{PriceMin: c.min, PriceMax: c.max})
		wantSome(t, c.name, res, c.in, c.out)
	}
}

func testSorts(t *testing.T, e search.Engine) {
	mustUpsert(t, e, Fixtures()...)
	all := search.Query{}
	cases := []struct {
		sort  string
		order []string
	}{
		{"newest", []string{IDBatteryNeed, IDSolidState, IDCropDrone, IDSmartFarm, IDLiRecycle}},
		{"trl_desc", []string{IDCropDrone, IDSmartFarm, IDLiRecycle, IDBatteryNeed, IDSolidState}},
		// The smart-farm call has no price; where it goes is left to the engine.
		{"price_asc", []string{IDCropDrone, IDBatteryNeed, IDLiRecycle, IDSolidState}},
		{"price_desc", []string{IDSolidState, IDLiRecycle, IDBatteryNeed, IDCropDrone}},
	}
	for _, c := range cases {
		q := all
		q.Sort = c.sort
		res := mustSearch(t, e, q)
		wantOrder(t, c.sort, res, c.order...)
		if res.Total != 5 {
			t.Errorf("%s: Total = %d, want 5", c.sort, res.Total)
		}
	}
	// A sort with a text query sorts the matches, not everything.
	res := mustSearch(t, e, search.Query{Text: "agriculture", Sort: "trl_desc"})
	wantOrder(t, "text+trl_desc", res, IDCropDrone, IDSmartFarm)
	wantSome(t, "text+trl_desc", res, nil, []string{IDLiRecycle, IDSolidState})
}

func testPaging(t *testing.T, e search.Engine) {
	const n = search.MaxLimit + 5
	mustUpsert(t, e, Bulk(n)...)
	q := func(off, lim int) search.Query { return search.Query{Sort: "newest", Offset: off, Limit: lim} }

	res := mustSearch(t, e, q(0, 0))
	if len(res.Hits) != search.DefaultLimit || res.Total != n {
		t.Errorf("limit 0: %d hits, total %d; want %d hits, total %d", len(res.Hits), res.Total, search.DefaultLimit, n)
	}
	if res := mustSearch(t, e, q(0, 10*search.MaxLimit)); len(res.Hits) != search.MaxLimit || res.Total != n {
		t.Errorf("limit over max: %d hits, total %d; want %d, %d", len(res.Hits), res.Total, search.MaxLimit, n)
	}
	if res := mustSearch(t, e, q(search.MaxLimit, 10)); len(res.Hits) != 5 || res.Total != n {
		t.Errorf("last page: %d hits, total %d; want 5, %d", len(res.Hits), res.Total, n)
	}
	first := ids(mustSearch(t, e, q(0, 20)))
	if want := "bulk-104"; len(first) == 0 || first[0] != want {
		t.Fatalf("newest first: got %v, want %s first", first, want)
	}
	page1, page2 := ids(mustSearch(t, e, q(0, 10))), ids(mustSearch(t, e, q(10, 10)))
	if got := append(page1, page2...); !slices.Equal(got, first) {
		t.Errorf("pages 0+10 = %v, want %v", got, first)
	}
	if got := ids(mustSearch(t, e, q(7, 5))); !slices.Equal(got, first[7:12]) {
		t.Errorf("offset 7 limit 5 = %v, want %v", got, first[7:12])
	}
	if got := ids(mustSearch(t, e, q(-3, 5))); !slices.Equal(got, first[:5]) {
		t.Errorf("negative offset = %v, want %v", got, first[:5])
	}
	res, err := e.Search(ctx(t), q(10*search.MaxOffset, 10))
	if err != nil || len(res.Hits) != 0 {
		t.Errorf("offset beyond max: %d hits, err %v; want 0 hits, no error", len(res.Hits), err)
	}
}

func testFacets(t *testing.T, e search.Engine) {
	mustUpsert(t, e, Fixtures()...)
	all := []string{"kind", "field", "trl", "region", "transfer_modes", "org_kind", "ipc_class"}
	res := mustSearch(t, e, search.Query{Facets: all, Limit: 1})
	want := map[string]map[string]int{
		"kind":           {"outcome": 3, "scenario": 2},
		"field":          {"energy": 3, "agritech": 2},
		"trl":            {"4": 1, "5": 1, "6": 1, "7": 1, "8": 1},
		"region":         {"zhejiang": 2, "beijing": 1, "shanghai": 1, "fujian": 1},
		"transfer_modes": {"assignment": 1, "exclusive_license": 1, "non_exclusive_license": 1, "joint_development": 1, "equity": 1},
		"org_kind":       {"university": 2, "institute": 1, "enterprise": 1, "public_body": 1},
		"ipc_class":      {"H01M": 2, "B64U": 1, "A01M": 1},
	}
	checkFacets(t, "all", res, want)
	if len(res.Hits) != 1 {
		t.Errorf("facets must not depend on the page: %d hits, want 1", len(res.Hits))
	}

	// Facets count what the filters left.
	res = mustSearch(t, e, search.Query{Kinds: []string{search.KindOutcome}, Facets: []string{"kind", "region"}})
	checkFacets(t, "outcomes", res, map[string]map[string]int{
		"kind":   {"outcome": 3},
		"region": {"beijing": 1, "shanghai": 1, "zhejiang": 1},
	})
	if _, ok := res.Facets["field"]; ok {
		t.Errorf("facet field returned though not asked for")
	}
}

func checkFacets(t *testing.T, what string, res search.Result, want map[string]map[string]int) {
	t.Helper()
	for name, values := range want {
		got := map[string]int{}
		for _, fv := range res.Facets[name] {
			got[fv.Value] = fv.Count
		}
		for v, n := range values {
			if got[v] != n {
				t.Errorf("%s: facet %s[%s] = %d, want %d (all: %v)", what, name, v, got[v], n, got)
			}
		}
		for v, n := range got {
			if _, ok := values[v]; !ok && n > 0 {
				t.Errorf("%s: facet %s has unexpected %s=%d", what, name, v, n)
			}
		}
	}
}
