package main

import (
	"context"
	"testing"

	"techbridge/market"
	"techbridge/search"
)

// TestDemoMatchScoresAgreeBothWays: in the demo market every scenario's
// matches and every outcome's "who needs this" give one score to a pair
// that both list (issue 17: a challenge listed an outcome at 57 that the
// challenge's own matches did not list).
func TestDemoMatchScoresAgreeBothWays(t *testing.T) {
	ctx := context.Background()
	svc, s := seedDemoSearch(t)
	m := &search.Matcher{Search: s, Market: svc}
	ids := func(kind string) []string {
		res, err := s.Search(ctx, search.Query{Kinds: []string{kind}, Limit: search.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		return out
	}
	type pair struct{ scenario, outcome string }
	forward := map[pair]float64{}
	langs := map[string][]string{}
	anyone := market.Actor{}
	for _, id := range ids(search.KindScenario) {
		res, err := m.ForScenario(ctx, anyone, id, search.MatchOptions{Limit: search.MaxMatches})
		if err != nil {
			t.Fatal(err)
		}
		langs[id] = res.Subject.Langs
		for _, x := range res.Matches {
			forward[pair{id, x.ID}] = x.Score
			langs[x.ID] = x.Langs
		}
	}
	compared, across := 0, 0
	for _, id := range ids(search.KindOutcome) {
		res, err := m.ForOutcome(ctx, anyone, id, search.MatchOptions{Limit: search.MaxMatches})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range res.Matches {
			want, ok := forward[pair{x.ID, id}]
			if !ok {
				continue
			}
			compared++
			if len(langs[id]) == 1 && len(x.Langs) == 1 && langs[id][0] != x.Langs[0] {
				across++
			}
			if x.Score != want {
				t.Errorf("outcome %s → scenario %s scores %.1f, the scenario's matches %.1f (%+v)", id, x.ID, x.Score, want, x.Reasons)
			}
		}
	}
	if compared < 10 || across == 0 {
		t.Fatalf("compared %d pairs, %d across languages: too few to tell", compared, across)
	}
	t.Logf("%d pairs listed both ways, %d across languages", compared, across)
}
