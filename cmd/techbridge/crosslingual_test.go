package main

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"techbridge/market"
	"techbridge/search"
	"techbridge/search/bleve"
)

// TestDemoMatchesAcrossLanguages seeds the demo market and checks issue
// 17's demonstration: the Chinese query 电池 and the exact need
// 低温电解液添加剂 find the English low-temperature electrolyte outcome, and
// English queries and needs find Chinese battery outcomes, each saying why:
// the bridged class or the dictionary's translated terms. 低温电解液添加剂
// has no Chinese listing of the demo to bridge through (its only Chinese
// hit is a ballast-water device), so the dictionary finds it.
func TestDemoMatchesAcrossLanguages(t *testing.T) {
	ctx := context.Background()
	svc, s := seedDemoSearch(t)
	// HJU-2024-005 is confidential: the public sees its teaser, no reference.
	const electrolyte = "Low-temperature solid electrolyte interphase additive"

	// Search with lang=en: only English listings, the electrolyte outcome
	// among them, bridged through H01M.
	res, err := s.Search(ctx, search.Query{Text: "电池", Lang: market.LangEN, Kinds: []string{search.KindOutcome}, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, h := range res.Hits {
		if !slices.Contains(h.Langs, market.LangEN) {
			t.Errorf("lang=en returned %s in %v", h.ExternalID, h.Langs)
		}
		if h.Bridge == nil || len(h.Bridge.Classes)+len(h.Bridge.Terms) == 0 {
			t.Errorf("%s has no bridge reason", h.Title)
		}
		if h.Title == electrolyte {
			found = slices.Contains(h.Bridge.Classes, "H01M")
		}
	}
	if !found {
		t.Fatalf("电池 with lang=en: %+v; want the electrolyte outcome bridged through H01M", res.Hits)
	}

	// The exact need, searched with lang=en: found through the dictionary,
	// its translated terms named.
	res, err = s.Search(ctx, search.Query{Text: "低温电解液添加剂", Lang: market.LangEN, Kinds: []string{search.KindOutcome}, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].Title != electrolyte || res.Hits[0].Bridge == nil ||
		!slices.Contains(res.Hits[0].Bridge.Terms, search.Translation{From: "添加剂", To: "additive"}) {
		t.Fatalf("低温电解液添加剂 with lang=en: %+v; want the electrolyte outcome first, 添加剂 = additive named", res.Hits)
	}

	// The reverse: an English query with lang=zh finds Chinese battery outcomes.
	res, err = s.Search(ctx, search.Query{Text: "low temperature electrolyte additive", Lang: market.LangZH, Kinds: []string{search.KindOutcome}, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].Bridge == nil || !slices.Contains(res.Hits[0].Bridge.Classes, "H01M") ||
		!strings.ContainsAny(res.Hits[0].Title, "电池正极") {
		t.Fatalf("English query with lang=zh: %+v; want a Chinese battery outcome bridged through H01M first", res.Hits)
	}

	// The need box: the exact Chinese need matches the English outcome,
	// with the translated terms as its stated reason.
	m := &search.Matcher{Search: s, Market: svc}
	mr, err := m.ForNeed(ctx, search.Need{Text: "低温电解液添加剂"}, search.MatchOptions{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := acrossReason(mr.Matches, electrolyte); !ok || !slices.Contains(r.Terms, "添加剂 = additive") || !strings.Contains(r.Detail, "translated terms") {
		t.Errorf("need 低温电解液添加剂: the electrolyte outcome is not matched with its translated terms (%+v)", r)
	}
	// And the reverse: an English need matches the Chinese battery-recycling
	// outcome, naming 电池 = battery.
	mr, err = m.ForNeed(ctx, search.Need{Text: "Battery recycling: health assessment of retired batteries"}, search.MatchOptions{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := acrossReason(mr.Matches, "退役动力电池梯次利用健康状态快速评估方法"); !ok || !slices.ContainsFunc(r.Terms, func(s string) bool { return strings.HasPrefix(s, "battery = 电池") }) {
		t.Errorf("English need: the Chinese battery-recycling outcome is not matched with battery = 电池 (%+v)", r)
	}
}

// acrossReason returns the bridge reason of the match titled title.
func acrossReason(ms []search.Match, title string) (search.Reason, bool) {
	for _, x := range ms {
		if x.Title != title {
			continue
		}
		for _, r := range x.Reasons {
			if r.Kind == search.ReasonBridge {
				return r, true
			}
		}
	}
	return search.Reason{}, false
}

// seedDemoSearch seeds the demo market and indexes it.
func seedDemoSearch(t *testing.T) (*market.Service, *search.Service) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	c := config{DataDir: dir}
	db, err := c.openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := market.NewService(db)
	svc.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := seedDemo(ctx, svc, io.Discard); err != nil {
		t.Fatal(err)
	}
	eng, err := bleve.Open(dir+"/search.bleve", search.StoreSource{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	if _, err := (&search.Indexer{Store: db, Engine: eng, Log: svc.Log}).CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	return svc, newSearchService(eng)
}
