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
// 17's demonstration: the Chinese query 电池 (and a need naming 电池 with
// 低温电解液添加剂) finds the English low-temperature electrolyte outcome,
// and an English query finds Chinese battery outcomes, each saying which
// bridged class brought it. 低温电解液添加剂 alone is not found: no Chinese
// listing of the demo is about electrolytes, so there is no class to
// bridge through, and no dictionary ships (see README, Search quality).
func TestDemoMatchesAcrossLanguages(t *testing.T) {
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
	s := newSearchService(eng)
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
		if h.Bridge == nil || len(h.Bridge.Classes) == 0 {
			t.Errorf("%s has no bridge reason", h.ExternalID)
		}
		if h.Title == electrolyte {
			found = slices.Contains(h.Bridge.Classes, "H01M")
		}
	}
	if !found {
		t.Fatalf("电池 with lang=en: %+v; want the electrolyte outcome bridged through H01M", res.Hits)
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

	// The need box: the English outcome is among the matches of the
	// Chinese need, with the bridge as its stated reason.
	m := &search.Matcher{Search: s, Market: svc}
	mr, err := m.ForNeed(ctx, search.Need{Text: "电池低温电解液添加剂"}, search.MatchOptions{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	found = false
	for _, x := range mr.Matches {
		if x.Title != electrolyte {
			continue
		}
		for _, r := range x.Reasons {
			found = found || (r.Kind == search.ReasonBridge && slices.Contains(r.Codes, "H01M"))
		}
		if !found {
			t.Errorf("the electrolyte outcome matched without a bridge reason: %+v", x.Reasons)
		}
	}
	if !found {
		t.Errorf("need 电池低温电解液添加剂 does not match the electrolyte outcome: %d matches", len(mr.Matches))
	}
}
