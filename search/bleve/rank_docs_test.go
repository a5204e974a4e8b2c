package bleve

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"techbridge/search"
)

// countingSource is a search.Source over a map that counts the ids it is
// asked for.
type countingSource struct {
	mu    sync.Mutex
	docs  map[string]search.Document
	asked int
}

func (s *countingSource) Documents(_ context.Context, ids []string) (map[string]search.Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked += len(ids)
	out := map[string]search.Document{}
	for _, id := range ids {
		if d, ok := s.docs[id]; ok {
			out[id] = d
		}
	}
	return out, nil
}

func (s *countingSource) take() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.asked
	s.asked = 0
	return n
}

// poolCorpus has more battery listings than a pool holds, in two classes
// and fields, with varied words so that feedback has terms to choose.
func poolCorpus() []search.Document {
	words := []string{"lithium", "cathode", "anode", "recycling", "electrolyte", "separator", "sodium", "solid", "thermal", "coating"}
	var docs []search.Document
	for i := range 150 {
		d := search.Document{ID: fmt.Sprintf("bat-%03d", i), Kind: search.KindOutcome, OrgID: "org", Version: 1,
			Title:   fmt.Sprintf("Battery %s %s", words[i%10], words[(i/10)%10]),
			Summary: fmt.Sprintf("A %s battery with %s and %s 电池%s", words[(i*3)%10], words[(i*7)%10], words[i%7], words[i%3]),
			Field:   "energy", IPC: []string{"H01M 10/54"}}
		if i%3 == 0 {
			d.Field, d.IPC = "materials", []string{"C01B 25/45"}
		}
		docs = append(docs, d)
	}
	return docs
}

func openCounted(t *testing.T) (*Engine, *countingSource) {
	t.Helper()
	src := &countingSource{docs: map[string]search.Document{}}
	for _, d := range poolCorpus() {
		src.docs[d.ID] = d
	}
	e, err := Open("", src)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	if err := e.Upsert(t.Context(), poolCorpus()...); err != nil {
		t.Fatal(err)
	}
	return e, src
}

// A search reads from the store the page it returns and, when they were
// not kept since indexing, the pool's listings that feedback and the class
// votes read (issue 12: it read the whole pool of 100 on every query, the
// most of what HTTP cost beyond the engine on real text).
func TestServiceReadsThePageAndUnseenCandidatesOnly(t *testing.T) {
	e, src := openCounted(t)
	svc := &search.Service{Engine: e}
	q := search.Query{Text: "battery", Limit: 20, Highlight: true, Facets: []string{"field"}}
	search := func(want int, why string) {
		t.Helper()
		res, err := svc.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if got := src.take(); got != want {
			t.Errorf("%s: read %d listings, want %d", why, got, want)
		}
		if len(res.Hits) != q.Limit || res.Hits[0].Title == "" || len(res.Hits[0].Highlights) == 0 {
			t.Errorf("page = %d hits, first %+v: want full, highlighted documents", len(res.Hits), res.Hits[0])
		}
	}
	search(q.Limit, "after indexing, the page alone")
	e.ranked.Purge()
	search(100+q.Limit, "with nothing kept, the pool and the page")
	search(q.Limit, "then the page alone")
}

// An index write forgets what ranking kept of the listing written, so
// feedback and class votes never read an older version than the index.
func TestRankDocsFollowIndexWrites(t *testing.T) {
	e, src := openCounted(t)
	ctx := t.Context()
	field := func() string {
		t.Helper()
		rds, err := e.RankDocs(ctx, []string{"bat-001"})
		if err != nil {
			t.Fatal(err)
		}
		rd, ok := rds["bat-001"]
		if !ok {
			return ""
		}
		return rd.Field()
	}
	if got := field(); got != "energy" {
		t.Fatalf("field = %q, want energy", got)
	}
	d := src.docs["bat-001"]
	d.Version, d.Field = 2, "agritech"
	src.docs[d.ID] = d
	if got := field(); got != "energy" {
		t.Fatalf("before the index write the kept field is the indexed one, got %q", got)
	}
	if err := e.Upsert(ctx, d); err != nil {
		t.Fatal(err)
	}
	if got := field(); got != "agritech" {
		t.Errorf("after the write field = %q, want agritech", got)
	}
	delete(src.docs, d.ID)
	if err := e.Delete(ctx, d.ID); err != nil {
		t.Fatal(err)
	}
	if got := field(); got != "" {
		t.Errorf("after the delete field = %q, want none", got)
	}
}

// freshEngine cuts what ranking reads from documents read on every call,
// as the pipeline did before engines kept RankDocs.
type freshEngine struct{ *Engine }

func (e freshEngine) RankDocs(ctx context.Context, ids []string) (map[string]*search.RankDoc, error) {
	docs, err := e.Documents(ctx, ids)
	out := map[string]*search.RankDoc{}
	for id, d := range docs {
		out[id] = search.NewRankDoc(d)
	}
	return out, err
}

// The ranking over kept RankDocs gives the same hits, order, scores, terms
// and highlights as over documents read and cut on every query.
func TestServiceRankDocsSameAsDocuments(t *testing.T) {
	e, _ := openCounted(t)
	kept, fresh := &search.Service{Engine: e}, &search.Service{Engine: freshEngine{e}}
	queries := []search.Query{
		{Text: "battery", Highlight: true, Facets: []string{"field"}},
		{Text: "lithium cathode", Limit: 10, Highlight: true},
		{Text: "电池", Limit: 30, Offset: 10},
		{Text: "battery", Limit: 20, Offset: 90}, // past the pool
		{Text: "sodium coating", Field: "energy"},
	}
	for round := range 2 { // the second round reads kept RankDocs only
		for _, q := range queries {
			a, err := kept.Search(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			b, err := fresh.Search(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			if a.Total != b.Total || len(a.Hits) != len(b.Hits) || len(a.Hits) == 0 {
				t.Fatalf("round %d %q: total %d, %d hits; fresh %d, %d", round, q.Text, a.Total, len(a.Hits), b.Total, len(b.Hits))
			}
			for i := range a.Hits {
				x, y := a.Hits[i], b.Hits[i]
				if x.ID != y.ID || math.Abs(x.Score-y.Score) > 1e-12 || x.Title != y.Title ||
					!slices.Equal(x.Terms, y.Terms) || fmt.Sprint(x.Highlights) != fmt.Sprint(y.Highlights) {
					t.Errorf("round %d %q hit %d: %s %.6f %v; fresh %s %.6f %v", round, q.Text, i, x.ID, x.Score, x.Terms, y.ID, y.Score, y.Terms)
				}
			}
		}
	}
}
