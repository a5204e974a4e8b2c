package searchtest

import (
	"strings"
	"testing"

	"techbridge/search"
)

func testTextEnglish(t *testing.T, e search.Engine) {
	mustUpsert(t, e, Fixtures()...)
	res := mustSearch(t, e, search.Query{Text: "electrolyte"})
	wantSet(t, "electrolyte", res, IDSolidState)
	if res.Hits[0].Score <= 0 {
		t.Errorf("electrolyte: score %v, want > 0", res.Hits[0].Score)
	}
	res = mustSearch(t, e, search.Query{Text: "LITHIUM"})
	wantSome(t, "case-insensitive", res, []string{IDSolidState}, []string{IDCropDrone, IDSmartFarm})
	res = mustSearch(t, e, search.Query{Text: "drone"})
	wantSome(t, "drone", res, []string{IDCropDrone}, []string{IDSolidState, IDLiRecycle, IDBatteryNeed})
	// The listing with both words comes first.
	res = mustSearch(t, e, search.Query{Text: "lithium battery"})
	if len(res.Hits) == 0 || res.Hits[0].ID != IDSolidState {
		t.Errorf("lithium battery: got %v, want %s first", ids(res), IDSolidState)
	}
	res = mustSearch(t, e, search.Query{Text: "zyxwvut"})
	wantSet(t, "no match", res)
}

func testTextChineseCompound(t *testing.T, e search.Engine) {
	mustUpsert(t, e, Fixtures()...)
	// 电池 appears in the recycling outcome only inside the compound 锂电池.
	res := mustSearch(t, e, search.Query{Text: "电池"})
	wantSome(t, "电池", res, []string{IDLiRecycle, IDBatteryNeed}, []string{IDCropDrone, IDSmartFarm})
	res = mustSearch(t, e, search.Query{Text: "锂电池"})
	wantSome(t, "锂电池", res, []string{IDLiRecycle}, []string{IDCropDrone, IDSmartFarm})
	res = mustSearch(t, e, search.Query{Text: "热管理", Kinds: []string{search.KindScenario}})
	wantSet(t, "热管理 scenarios", res, IDBatteryNeed)
}

func testHighlights(t *testing.T, e search.Engine) {
	mustUpsert(t, e, Fixtures()...)
	res := mustSearch(t, e, search.Query{Text: "electrolyte", Highlight: true})
	if len(res.Hits) == 0 {
		t.Fatalf("electrolyte: no hits")
	}
	h := res.Hits[0]
	var marked []string
	for field, frags := range h.Highlights {
		for _, f := range frags {
			if strings.Contains(f, "<mark>") && strings.Contains(f, "</mark>") {
				marked = append(marked, field+": "+f)
			}
			plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(f)
			if !strings.Contains(strings.ToLower(plain), "electrolyte") {
				t.Errorf("fragment %s %q does not contain the matched word", field, f)
			}
		}
	}
	if len(marked) == 0 {
		t.Fatalf("no <mark> fragment in %v", h.Highlights)
	}
	if !strings.Contains(strings.ToLower(strings.Join(marked, " ")), "<mark>electrolyte</mark>") {
		t.Errorf("want <mark>electrolyte</mark> in %v", marked)
	}
	for _, f := range h.Highlights["title"] {
		if !strings.Contains(f, "<mark>") {
			t.Errorf("title fragment without mark: %q", f)
		}
	}
}

func testSuggest(t *testing.T, e search.Engine) {
	mustUpsert(t, e, Fixtures()...)
	cases := []struct{ prefix, want string }{
		{"lith", "lith"},
		{"Dro", "dro"},
		{"锂电", "锂电"},
		{"热管", "热管"},
	}
	for _, c := range cases {
		got, err := e.Suggest(ctx(t), c.prefix, 5)
		if err != nil {
			t.Fatalf("Suggest(%q): %v", c.prefix, err)
		}
		if len(got) == 0 || len(got) > 5 {
			t.Errorf("Suggest(%q) = %v, want 1..5 suggestions", c.prefix, got)
		}
		for _, s := range got {
			if !strings.Contains(strings.ToLower(s), c.want) {
				t.Errorf("Suggest(%q): %q does not contain the prefix", c.prefix, s)
			}
		}
	}
	if got, err := e.Suggest(ctx(t), "lith", 1); err != nil || len(got) != 1 {
		t.Errorf("Suggest limit 1 = %v, %v; want one suggestion", got, err)
	}
	if got, err := e.Suggest(ctx(t), "zyxw", 5); err != nil || len(got) != 0 {
		t.Errorf("Suggest(no match) = %v, %v; want none", got, err)
	}
	if _, err := e.Suggest(ctx(t), "", 5); err != nil {
		t.Errorf("Suggest(empty): %v", err)
	}
}
