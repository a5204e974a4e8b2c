// Package searchtest is the contract every search.Engine must pass. An engine
// package calls Run from its own tests with a function that opens a fresh,
// empty engine:
//
//	func TestContract(t *testing.T) {
//		searchtest.Run(t, func(t *testing.T) search.Engine { return mustOpen(t) })
//	}
//
// The assertions hold for any reasonable engine: they name which documents
// match, never exact scores, and check order only where a sort defines it.
package searchtest

import (
	"context"
	"slices"
	"testing"

	"techbridge/search"
)

// Run runs the contract suite. open must return a new, empty engine each time
// it is called; Run closes it when the subtest ends, so open should register
// any other clean-up (temporary files, remote indexes) with t.Cleanup.
func Run(t *testing.T, open func(t *testing.T) search.Engine) {
	cases := []struct {
		name string
		run  func(t *testing.T, e search.Engine)
	}{
		{"UpsertThenFind", testUpsertThenFind},
		{"UpsertReplaces", testUpsertReplaces},
		{"VersionGuard", testVersionGuard},
		{"Delete", testDelete},
		{"CountAndReset", testCountAndReset},
		{"ConcurrentUpserts", testConcurrentUpserts},
		{"Filters", testFilters},
		{"PriceOverlap", testPriceOverlap},
		{"Sorts", testSorts},
		{"Paging", testPaging},
		{"Facets", testFacets},
		{"TextEnglish", testTextEnglish},
		{"TextChineseCompound", testTextChineseCompound},
		{"Highlights", testHighlights},
		{"Suggest", testSuggest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := open(t)
			t.Cleanup(func() {
				if err := e.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			c.run(t, e)
		})
	}
}

func ctx(t *testing.T) context.Context { return t.Context() }

func mustUpsert(t *testing.T, e search.Engine, docs ...search.Document) {
	t.Helper()
	if err := e.Upsert(ctx(t), docs...); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
}

func mustSearch(t *testing.T, e search.Engine, q search.Query) search.Result {
	t.Helper()
	res, err := e.Search(ctx(t), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

func mustCount(t *testing.T, e search.Engine) int {
	t.Helper()
	n, err := e.Count(ctx(t))
	if err != nil {
		t.Fatalf("Count: %v", err)
	}
	return n
}

func ids(res search.Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}

// find returns the indexed document with the id, looked up by a placeholder
// search (the contract has no get-by-id).
func find(t *testing.T, e search.Engine, id string) (search.Hit, bool) {
	t.Helper()
	for off := 0; ; off += search.MaxLimit {
		res := mustSearch(t, e, search.Query{Offset: off, Limit: search.MaxLimit, Sort: "newest"})
		for _, h := range res.Hits {
			if h.ID == id {
				return h, true
			}
		}
		if len(res.Hits) < search.MaxLimit {
			return search.Hit{}, false
		}
	}
}

// wantSet checks that the result holds exactly the ids, in any order.
func wantSet(t *testing.T, what string, res search.Result, want ...string) {
	t.Helper()
	got := ids(res)
	slices.Sort(got)
	w := slices.Clone(want)
	slices.Sort(w)
	if !slices.Equal(got, w) {
		t.Errorf("%s: got ids %v, want %v", what, got, w)
	}
	if res.Total != len(want) {
		t.Errorf("%s: Total = %d, want %d", what, res.Total, len(want))
	}
}

// wantSome checks that the result holds every id in in and none in out.
func wantSome(t *testing.T, what string, res search.Result, in, out []string) {
	t.Helper()
	got := ids(res)
	for _, id := range in {
		if !slices.Contains(got, id) {
			t.Errorf("%s: %s missing from %v", what, id, got)
		}
	}
	for _, id := range out {
		if slices.Contains(got, id) {
			t.Errorf("%s: %s unexpectedly in %v", what, id, got)
		}
	}
}

// wantOrder checks that the ids appear in the result in this relative order
// (other hits may come between or after them).
func wantOrder(t *testing.T, what string, res search.Result, order ...string) {
	t.Helper()
	got := ids(res)
	var seen []string
	for _, id := range got {
		if slices.Contains(order, id) {
			seen = append(seen, id)
		}
	}
	if !slices.Equal(seen, order) {
		t.Errorf("%s: order %v (from %v), want %v", what, seen, got, order)
	}
}
