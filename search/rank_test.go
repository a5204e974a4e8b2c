package search

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

func TestNormalizeIPC(t *testing.T) {
	cases := []struct{ in, code, class string }{
		{"H01M 10/54", "H01M 10/54", "H01M"},
		{"h01m10/54", "H01M 10/54", "H01M"},
		{"  H01M   10/54 ", "H01M 10/54", "H01M"},
		{"B64U", "B64U", "B64U"},
		{"H01", "H01", "H01"}, // a class, not a subclass: kept as is
		{"", "", ""},
	}
	for _, c := range cases {
		if got := NormalizeIPC(c.in); got != c.code {
			t.Errorf("NormalizeIPC(%q) = %q, want %q", c.in, got, c.code)
		}
		if got := IPCClass(c.in); got != c.class {
			t.Errorf("IPCClass(%q) = %q, want %q", c.in, got, c.class)
		}
	}
}

func TestTermsOf(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"锂电池回收", []string{"锂电", "电池", "池回", "回收"}},
		{"The Lithium-ion cells of 2024", []string{"lithium", "ion", "cells"}},
		{"锂 battery", []string{"battery"}}, // a lone Han character says too little
		{"SOS方法", []string{"sos", "方法"}},
	}
	for _, c := range cases {
		if got := termsOf(c.in); !slices.Equal(got, c.want) {
			t.Errorf("termsOf(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExpansionTermsPreferFeedbackOverBackground(t *testing.T) {
	doc := func(title string) Document { return Document{Title: title} }
	fb := feedback{
		docs:    []Document{doc("battery cathode recycling"), doc("battery cathode regeneration"), doc("battery anode")},
		weights: []float64{1, 0.9, 0.5},
	}
	var pool []Hit
	for _, d := range fb.docs {
		pool = append(pool, Hit{Document: d})
	}
	for range 5 { // "anode" is common among the other candidates
		pool = append(pool, Hit{Document: doc("battery anode coating")})
	}
	r := DefaultRanking
	got := expansionTerms("battery", fb, pool, r)
	if len(got) == 0 || got[0].Term != "cathode" {
		t.Fatalf("expansion = %+v, want cathode first", got)
	}
	if got[0].Weight != r.ExpandWeight {
		t.Errorf("strongest term weight %v, want %v", got[0].Weight, r.ExpandWeight)
	}
	for _, w := range got {
		if w.Term == "battery" {
			t.Errorf("query term %q offered as expansion", w.Term)
		}
		if w.Term == "recycling" || w.Term == "regeneration" {
			t.Errorf("%q occurs in one feedback hit only, below MinDocs", w.Term)
		}
	}
}

func TestClassPriorAndAgreement(t *testing.T) {
	fb := feedback{
		docs: []Document{
			{IPC: []string{"H01M 10/54", "H01M 6/52"}},
			{IPC: []string{"H01M 4/00"}},
			{IPC: []string{"B64U 10/00"}},
		},
		weights: []float64{1, 1, 0.5},
	}
	prior := classPrior(fb, ipcClasses)
	if got := prior["H01M"]; got != 2/2.5 {
		t.Errorf("prior H01M = %v, want 0.8 (counted once per document)", got)
	}
	if got := agreement(prior, []string{"B64U", "H01M"}); got != 2/2.5 {
		t.Errorf("agreement = %v, want the likeliest class's 0.8", got)
	}
	if got := agreement(prior, []string{"A01B"}); got != 0 {
		t.Errorf("agreement with unseen class = %v, want 0", got)
	}
}

// rerankByCopy is rerank as it was before it sorted the pool in place: it
// scored a copy of the hits and sorted that into a new slice.
func rerankByCopy(hits []Hit, fb feedback, r Ranking) []Hit {
	classes := classPrior(fb, ipcClasses)
	fields := classPrior(fb, fieldClass)
	top := hits[0].Score
	out := slices.Clone(hits)
	for i, h := range out {
		s := h.Score / top
		s += r.ClassWeight*agreement(classes, ipcClasses(h.Document)) + r.FieldWeight*agreement(fields, []string{h.Field})
		out[i].Score = s
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	return out
}

// Re-ranking in place, with the classes a RankDoc keeps, gives the hits
// the old copy gave, ties (many here) in the engine's order.
func TestRerankInPlaceSameAsCopy(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	codes := []string{"H01M 10/54", "h01m4/00", "B64U 10/00", "C01B 25/45", "A01B", "H01"}
	fields := []string{"energy", "materials", "", "agritech"}
	for round := range 30 {
		var hits []Hit
		rds := map[string]*RankDoc{}
		for i := range 1 + rnd.IntN(100) {
			d := Document{ID: fmt.Sprint(i), Field: fields[rnd.IntN(len(fields))]}
			for range rnd.IntN(3) {
				d.IPC = append(d.IPC, codes[rnd.IntN(len(codes))])
			}
			hits = append(hits, Hit{Document: d, Score: float64(10 - rnd.IntN(5))})
			rds[d.ID] = NewRankDoc(d)
		}
		slices.SortStableFunc(hits, func(a, b Hit) int { return cmp.Compare(b.Score, a.Score) })
		fb := feedbackOf(hits, DefaultRanking.FeedbackDocs)
		want := rerankByCopy(hits, fb, DefaultRanking)
		fb.classes = func(d Document) []string { return rds[d.ID].classes }
		got := rerank(slices.Clone(hits), fb, DefaultRanking)
		for i := range want {
			if got[i].ID != want[i].ID || got[i].Score != want[i].Score {
				t.Fatalf("round %d hit %d: %s %v, want %s %v", round, i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
			}
		}
	}
}

// Terms of one hash stay apart in a termTable.
func TestTermTableKeepsCollidingTermsApart(t *testing.T) {
	tab := newTermTable(2)
	a, b := tab.add(7, "battery"), tab.add(7, "cathode")
	if a == b {
		t.Fatalf("battery and cathode share number %d", a)
	}
	for i := range 40 { // past the first size, so the table grows
		tab.add(uint64(i), fmt.Sprint("t", i))
	}
	if k, ok := tab.find(7, "cathode"); !ok || k != b {
		t.Errorf("find cathode = %d, %v; want %d", k, ok, b)
	}
	if k, ok := tab.find(7, "battery"); !ok || k != a {
		t.Errorf("find battery = %d, %v; want %d", k, ok, a)
	}
	if _, ok := tab.find(7, "anode"); ok {
		t.Error("anode found, never added")
	}
	if got := tab.add(7, "cathode"); got != b {
		t.Errorf("adding cathode again numbered it %d, want %d", got, b)
	}
}

// A hit without a RankDoc (deleted since the ranking) is dropped, the
// others keep their order and take field and IPC codes from their RankDoc.
func TestWithRankDocsDropsHitsWithoutOne(t *testing.T) {
	rds := map[string]*RankDoc{
		"a": NewRankDoc(Document{ID: "a", Field: "energy", IPC: []string{"H01M 10/54"}}),
		"c": NewRankDoc(Document{ID: "c", Field: "materials"}),
	}
	hits := []Hit{{Document: Document{ID: "a"}, Score: 3}, {Document: Document{ID: "b"}, Score: 2}, {Document: Document{ID: "c"}, Score: 1}}
	got := withRankDocs(hits, rds)
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "c" || got[1].Score != 1 {
		t.Fatalf("hits %+v, want a then c", got)
	}
	if got[0].Field != "energy" || !slices.Equal(got[0].IPC, []string{"H01M 10/54"}) || got[1].Field != "materials" {
		t.Errorf("fields %q %v, %q", got[0].Field, got[0].IPC, got[1].Field)
	}
}
