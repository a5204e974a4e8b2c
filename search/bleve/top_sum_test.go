package bleve

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"

	"techbridge/search"
)

// TestRankTopSumMatchesFullSearch checks that the pruned ranking of an
// expanded query (topSumQuery) returns the very hits, scores and total of a
// full search, on a disk index and a memory one, with and without filters.
func TestRankTopSumMatchesFullSearch(t *testing.T) {
	docs := benchDocs(600)
	for i := range docs {
		if i%3 == 0 {
			docs[i].Field = "water"
		}
		if i%4 == 1 {
			docs[i].Kind = search.KindScenario
		}
	}
	var pool []string
	for i := 0; i < len(docs); i += 5 {
		pool = append(pool, docs[i].ID)
	}
	for _, path := range []string{"", filepath.Join(t.TempDir(), "idx")} {
		var src search.Source
		if path != "" {
			src = sourceOf(docs...)
		}
		e, err := Open(path, src)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		if err := e.Upsert(t.Context(), docs...); err != nil {
			t.Fatal(err)
		}
		exp := []search.WeightedTerm{{Term: "储能", Weight: 0.5}, {Term: "sensor", Weight: 0.4},
			{Term: "回收", Weight: 0.3}, {Term: "thermal", Weight: 0.2}, {Term: "方法", Weight: 0.1}}
		for _, q := range []search.Query{
			{Text: "锂电池", Expansion: exp, Limit: 50},
			{Text: "battery", Expansion: exp, Limit: 100},
			{Text: "battery 无人机", Expansion: exp, Limit: 30, Field: "water"},
			{Text: "drone", Expansion: exp, Limit: 40, ExcludeIDs: []string{docs[1].ID, docs[3].ID}, TRLMin: 3},
			// A long Chinese text, each character a clause besides the
			// bigrams: the characters' lists are read only for documents
			// that can still reach the k best.
			{Text: "锂电池回收正极材料梯次利用储能系统热管理预警", Limit: 10},
			{Text: "无人机植保喷洒土壤传感器秸秆还田装置方法", Limit: 5, Kinds: []string{search.KindOutcome}},
			{Text: "控制算法数据平台储能 battery sensor", Expansion: exp, Limit: 20, Kinds: []string{search.KindOutcome}},
			// A wide filter of terms, one and two, applied to what the
			// words found by the lists' bare document numbers.
			{Text: "锂电池回收 battery", Limit: 30, Kinds: []string{search.KindScenario}},
			{Text: "储能系统热管理 drone", Expansion: exp, Limit: 25, Kinds: []string{search.KindOutcome}, Region: "beijing"},
			// The pipeline's re-ranking of a pool, alone and with the other constraints.
			{Text: "battery", Expansion: exp, Limit: 100, OnlyIDs: pool},
			{Text: "锂电池", Expansion: exp, Limit: 100, OnlyIDs: pool, ExcludeIDs: pool[:3], Field: "water"},
		} {
			full, err := e.Search(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			top, err := e.Rank(t.Context(), q, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(full.Hits) == 0 || top.Total != full.Total || len(top.Hits) != len(full.Hits) {
				t.Fatalf("%q (path %q): top total %d, %d hits; full total %d, %d hits",
					q.Text, path, top.Total, len(top.Hits), full.Total, len(full.Hits))
			}
			for i := range full.Hits {
				// Equal scores may come in either order; the score at each rank must agree.
				if math.Abs(top.Hits[i].Score-full.Hits[i].Score) > 1e-9*full.Hits[i].Score {
					t.Fatalf("%q rank %d: top %s %v, full %s %v", q.Text, i,
						top.Hits[i].ID, top.Hits[i].Score, full.Hits[i].ID, full.Hits[i].Score)
				}
			}
			for _, h := range top.Hits {
				if len(q.OnlyIDs) > 0 && !slices.Contains(q.OnlyIDs, h.ID) {
					t.Fatalf("%q: %s is outside OnlyIDs", q.Text, h.ID)
				}
			}
			seen := map[string]bool{}
			for _, h := range full.Hits {
				seen[h.ID] = true
			}
			last := full.Hits[len(full.Hits)-1].Score
			for _, h := range top.Hits {
				if !seen[h.ID] && h.Score > last*(1+1e-9) {
					t.Errorf("%q: %s (%v) not in the full top", q.Text, h.ID, h.Score)
				}
			}
		}
	}
}

// TestOpenDropsAnOlderLayout checks that an index written without the
// current layout marker is rebuilt empty rather than read with fields this
// code no longer writes.
func TestOpenDropsAnOlderLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old")
	m, err := newMapping(defaultAnalysis)
	if err != nil {
		t.Fatal(err)
	}
	old, err := bleve.New(path, m)
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Index("old-1", map[string]any{"body": "old"}); err != nil {
		t.Fatal(err)
	}
	old.Close()
	src := sourceOf(benchDocs(3)...)
	e, err := Open(path, src)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := e.Count(t.Context()); err != nil || n != 0 {
		t.Fatalf("Count = %d, %v; want an empty rebuilt index", n, err)
	}
	if err := e.Upsert(t.Context(), benchDocs(3)...); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e2, err := Open(path, src)
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	if n, _ := e2.Count(t.Context()); n != 3 {
		t.Errorf("reopened current layout: Count = %d, want 3", n)
	}
}

// TestSumAddsInClauseOrder: a match's score is its breakdown added in
// clause order, the same every time; in map order these three clauses
// sum to 0 or to 1 by chance.
func TestSumAddsInClauseOrder(t *testing.T) {
	for range 200 {
		d := &bsearch.DocumentMatch{ScoreBreakdown: map[int]float64{0: 1e16, 1: 1, 2: -1e16, 3: 0.5}}
		sum(d)
		big, one, half := 1e16, 1.0, 0.5
		if want := ((big + one) - big) + half; d.Score != want {
			t.Fatalf("score %v, want %v (the breakdown in clause order)", d.Score, want)
		}
	}
}

// BenchmarkRankLongChinese is the top-k ranking (topSumQuery) of long
// Chinese texts on a disk index of 20,000 listings (one segment), as
// /match ranks a need: each op ranks a 300-character text with feedback
// terms, alone, with a wide filter of terms (the kind) and re-ranking a
// pool (probes).
//
//	go test -run - -bench RankLongChinese -benchmem -cpu 2 ./search/bleve/
func BenchmarkRankLongChinese(b *testing.B) {
	docs := benchDocs(20000)
	e := openDisk(b, docs)
	for i := 0; i < len(docs); i += 2000 {
		if err := e.Upsert(b.Context(), docs[i:i+2000]...); err != nil {
			b.Fatal(err)
		}
	}
	// One segment, so that every run reads the same lists: left to the
	// background merger, the segments differ from run to run, and so do
	// the figures (by up to half).
	ix, err := e.idx.Advanced()
	if err != nil {
		b.Fatal(err)
	}
	if err := ix.(*scorch.Scorch).ForceMerge(b.Context(), nil); err != nil {
		b.Fatal(err)
	}
	text := []rune(docs[0].Summary + docs[2].Summary)[:300]
	exp := []search.WeightedTerm{{Term: "储能", Weight: 0.5}, {Term: "回收", Weight: 0.3}, {Term: "方法", Weight: 0.1}}
	var pool []string
	for i := 0; i < len(docs); i += 200 {
		pool = append(pool, docs[i].ID)
	}
	queries := []search.Query{
		{Text: string(text), Expansion: exp, Limit: 100},
		{Text: string(text[:150]), Expansion: exp, Limit: 100, Kinds: []string{search.KindOutcome}},
		{Text: string(text[150:]), Expansion: exp, Limit: 100, OnlyIDs: pool},
	}
	for b.Loop() {
		for _, q := range queries {
			if _, err := e.Rank(b.Context(), q, false); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// openDisk opens an engine on a disk index in a temporary folder, with a
// source of docs (none indexed yet), closed when the test ends.
func openDisk(tb testing.TB, docs []search.Document) *Engine {
	tb.Helper()
	e, err := Open(filepath.Join(tb.TempDir(), "idx"), sourceOf(docs...))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { e.Close() })
	return e
}
