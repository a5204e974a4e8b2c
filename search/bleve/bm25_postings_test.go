package bleve

import (
	"context"
	"slices"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"techbridge/search"
)

// TestBM25ListScoresAsBleve checks that a posting list read directly
// (bm25List) yields the very documents and scores, bit for bit, that
// Bleve's term searcher does for the same clause and query norm, read in
// order and advanced to documents, on an index of several segments with
// replaced (deleted) documents; and that holding finds the documents of a
// list among others.
func TestBM25ListScoresAsBleve(t *testing.T) {
	docs := benchDocs(400)
	e := openDisk(t, docs)
	// Two batches, then a third replacing a third of the first: several
	// segments, some documents deleted.
	for _, batch := range [][]search.Document{docs[:200], docs[200:]} {
		if err := e.Upsert(t.Context(), batch...); err != nil {
			t.Fatal(err)
		}
	}
	var again []search.Document
	for i := 0; i < 200; i += 3 {
		d := docs[i+1]
		d.ID, d.Version = docs[i].ID, 2
		again = append(again, d)
	}
	if err := e.Upsert(t.Context(), again...); err != nil {
		t.Fatal(err)
	}
	ix, err := e.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := ix.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx := t.Context()
	ctx = context.WithValue(ctx, bsearch.GetScoringModelCallbackKey,
		bsearch.GetScoringModelCallbackFn(func() string { return index.BM25Scoring }))
	for _, text := range []string{"锂电池回收正极材料", "drone soil sensor", "储能 thermal 方法控制"} {
		clauses, _, _ := e.textClauses(search.Query{Text: text, Expansion: []search.WeightedTerm{{Term: "算法", Weight: 0.3}}})
		for step := range 3 { // 0: read in order; 1, 2: advanced to every 3rd, 7th document
			lists, ok, err := openBM25(ctx, r, clauses)
			if err != nil || !ok {
				t.Fatalf("%q: openBM25 = %v, %v", text, ok, err)
			}
			for ci, c := range clauses {
				s, err := c.Searcher(ctx, r, e.idx.Mapping(), bsearch.SearcherOptions{})
				if err != nil {
					t.Fatal(err)
				}
				l := lists[ci]
				if s.Weight() != l.weight() || s.Count() != l.count() {
					t.Fatalf("%q clause %d: weight %v, count %d; searcher's %v, %d", text, ci, l.weight(), l.count(), s.Weight(), s.Count())
				}
				s.SetQueryNorm(0.37)
				l.setNorm(0.37)
				sctx := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(4, 0)}
				n := 0
				for target := uint64(0); ; target += uint64(3 + 4*(step-1)) {
					var dm *bsearch.DocumentMatch
					var num uint64
					var score float64
					var more bool
					if step == 0 {
						dm, err = s.Next(sctx)
						num, score, more, _ = l.next()
					} else {
						id := index.NewIndexInternalID(nil, target)
						dm, err = s.Advance(sctx, id)
						num, score, more, _ = l.advance(target)
					}
					if err != nil {
						t.Fatal(err)
					}
					if (dm == nil) != !more {
						t.Fatalf("%q clause %d step %d: searcher ended %v, list ended %v", text, ci, step, dm == nil, !more)
					}
					if dm == nil {
						break
					}
					if got := dm.IndexInternalID.Value(); got != num || dm.Score != score {
						t.Fatalf("%q clause %d step %d: list %d %v, searcher %d %v", text, ci, step, num, score, got, dm.Score)
					}
					if step > 0 {
						target = max(target, num)
					}
					sctx.DocumentMatchPool.Put(dm)
					n++
				}
				s.Close()
				if step > 0 {
					// holding finds exactly the documents the list has.
					lists, _, _ := openBM25(ctx, r, clauses)
					has := map[uint32]bool{}
					for {
						num, _, more, _ := lists[ci].next()
						if !more {
							break
						}
						has[uint32(num)] = true
					}
					var docs, want []uint32
					for d := uint32(step); d < 460; d += uint32(3 + 4*(step-1)) {
						docs = append(docs, d)
						if has[d] {
							want = append(want, d)
						}
					}
					got, err := lists[ci].holding(docs, nil)
					if err != nil || !slices.Equal(got, want) {
						t.Fatalf("%q clause %d: holding = %v, %v; want %v", text, ci, got, err, want)
					}
					// An iterator without bitmaps is advanced instead.
					l := lists[ci]
					for si, pl := range l.pls {
						bare := holder(plainIterator{pl.Iterator(false, false, false, nil)})
						for _, d := range docs {
							if uint64(d) < l.offsets[si] || (si+1 < len(l.offsets) && uint64(d) >= l.offsets[si+1]) {
								continue
							}
							if ok, err := bare(uint64(d) - l.offsets[si]); err != nil || ok != has[d] {
								t.Fatalf("%q clause %d: advancing holder(%d) = %v, %v; want %v", text, ci, d, ok, err, has[d])
							}
						}
					}
				}
				if n == 0 {
					t.Fatalf("%q clause %d step %d: nothing read", text, ci, step)
				}
			}
		}
	}
}

// plainIterator hides a zap iterator's bitmaps.
type plainIterator struct{ segment.PostingsIterator }
