package search_test

import (
	"testing"

	"techbridge/search"
	"techbridge/search/bleve"
)

// Across languages too, the total and the facets describe what is
// returned, and a click on a facet returns as many as it counted: the
// bridged classes come from the query's text, not from the clicked filter.
func TestBridgeFacetsAgreeWithTotalAndClicks(t *testing.T) {
	e, err := bleve.Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	docs := corpus()
	for i := range docs {
		docs[i].Langs = search.Languages(docs[i])
	}
	if err := e.Upsert(t.Context(), docs...); err != nil {
		t.Fatal(err)
	}
	svc := &search.Service{Engine: e}
	for _, q := range []search.Query{
		{Text: "电池回收", Lang: "en", Limit: 20, Facets: []string{"field", "ipc_class"}},
		{Text: "battery recycling", Lang: "zh", Limit: 20, Facets: []string{"field", "ipc_class"}},
		{Text: "秸秆回收", Lang: "en", Limit: 20, Facets: []string{"field", "ipc_class"}},
	} {
		res := mustSearch(t, svc, q)
		if len(res.Hits) == 0 {
			t.Fatalf("%q lang=%s: no hits", q.Text, q.Lang)
		}
		if res.Total != len(res.Hits) {
			t.Errorf("%q lang=%s: total %d, %d hits %v", q.Text, q.Lang, res.Total, len(res.Hits), ids(res))
		}
		for _, facet := range q.Facets {
			sum := 0
			for _, fv := range res.Facets[facet] {
				sum += fv.Count
				f := q
				f.Facets = nil
				if facet == "field" {
					f.Field = fv.Value
				} else {
					f.IPCClasses = []string{fv.Value}
				}
				if got := mustSearch(t, svc, f); len(got.Hits) != fv.Count {
					t.Errorf("%q lang=%s: facet %s=%s counts %d, a click returns %v", q.Text, q.Lang, facet, fv.Value, fv.Count, ids(got))
				}
			}
			if facet == "field" && sum != res.Total {
				t.Errorf("%q lang=%s: field facets add up to %d, total %d", q.Text, q.Lang, sum, res.Total)
			}
		}
	}
}
