package search

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// expansionTermsAllDF is expansionTerms as it was before it counted the
// pool's document frequencies of the possible feedback terms only: it
// counted every term of every pool document.
func expansionTermsAllDF(text string, fb feedback, pool []Hit, r Ranking) []WeightedTerm {
	inQuery := map[string]bool{}
	for _, t := range termsOf(text) {
		inQuery[t] = true
	}
	df := map[string]int{}
	for _, h := range pool {
		for t := range cutDocTerms(h.Document) {
			df[t]++
		}
	}
	score := map[string]float64{}
	docs := map[string]int{}
	for i, d := range fb.docs {
		tf := cutDocTerms(d)
		var total float64
		for _, w := range tf {
			total += w
		}
		for t, w := range tf {
			if inQuery[t] || total == 0 {
				continue
			}
			score[t] += fb.weights[i] * w / total
			docs[t]++
		}
	}
	n := float64(len(pool))
	var cands []WeightedTerm
	for t, s := range score {
		if docs[t] < r.MinDocs {
			continue
		}
		cands = append(cands, WeightedTerm{Term: t, Weight: s * math.Log(1+n/float64(df[t]+1))})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].Weight != cands[j].Weight {
			return cands[i].Weight > cands[j].Weight
		}
		return cands[i].Term < cands[j].Term
	})
	if len(cands) > r.ExpandTerms {
		cands = cands[:r.ExpandTerms]
	}
	if len(cands) == 0 {
		return nil
	}
	top := cands[0].Weight
	for i := range cands {
		cands[i].Weight = r.ExpandWeight * cands[i].Weight / top
	}
	return cands
}

// Counting document frequencies for the possible terms only chooses the
// same terms with the same weights, on random pools in both languages.
func TestExpansionTermsSameAsCountingEveryTerm(t *testing.T) {
	words := []string{"battery", "cathode", "anode", "recycling", "lithium", "sodium", "coating", "thermal",
		"电池", "回收", "正极", "材料", "锂离", "涂层", "热管", "理系"}
	rnd := rand.New(rand.NewPCG(1, 2))
	text := func(n int) string {
		s := ""
		for range n {
			s += words[rnd.IntN(len(words))] + " "
		}
		return s
	}
	for round := range 50 {
		var pool []Hit
		for i := range 20 + rnd.IntN(80) {
			pool = append(pool, Hit{Document: Document{ID: fmt.Sprint(round, "-", i), Title: text(3), Summary: text(1 + rnd.IntN(30))},
				Score: float64(100 - i)})
		}
		fb := feedbackOf(pool, DefaultRanking.FeedbackDocs)
		// Each weight is compared within rounding: a document's total is
		// summed in map order, in the old code as in the new.
		got, want := expansionTerms("battery", fb, pool, DefaultRanking), expansionTermsAllDF("battery", fb, pool, DefaultRanking)
		// The terms a RankDoc keeps choose the same.
		rds := map[string]*RankDoc{}
		for _, h := range pool {
			rds[h.ID] = NewRankDoc(h.Document)
		}
		fb.vec = func(d *Document) termVec { return rds[d.ID].vec }
		if kept := expansionTerms("battery", fb, pool, DefaultRanking); !slices.Equal(kept, got) {
			t.Errorf("round %d: from RankDocs %+v, from the documents %+v", round, kept, got)
		}
		if len(got) != len(want) {
			t.Fatalf("round %d: %d terms, want %d", round, len(got), len(want))
		}
		for i := range got {
			if got[i].Term != want[i].Term || math.Abs(got[i].Weight-want[i].Weight) > 1e-12 {
				t.Errorf("round %d term %d: %+v, want %+v", round, i, got[i], want[i])
			}
		}
	}
}
