package bleve

import (
	"context"
	"testing"

	"techbridge/search"
)

// TestDocFrequencies: a term counts the documents holding it in any text
// field, a Latin word analysed (stemmed) as a query's; an unknown term
// counts 0.
func TestDocFrequencies(t *testing.T) {
	ctx := context.Background()
	e, err := Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	docs := []search.Document{
		{ID: "a", Kind: search.KindOutcome, Title: "锂电池回收", Version: 1},
		{ID: "b", Kind: search.KindOutcome, Title: "Battery recycling", Summary: "电池 batteries", Version: 1},
		{ID: "c", Kind: search.KindOutcome, Title: "智能灌溉", Keywords: []string{"电池"}, Version: 1},
	}
	if err := e.Upsert(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	df, n, err := e.DocFrequencies(ctx, []string{"电池", "batteries", "回收", "隔膜"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"电池": 3, "batteries": 1, "回收": 1, "隔膜": 0}
	if n != 3 {
		t.Errorf("%d documents, want 3", n)
	}
	for term, w := range want {
		if df[term] != w {
			t.Errorf("df[%s] = %d, want %d", term, df[term], w)
		}
	}
}
