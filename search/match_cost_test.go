package search_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"techbridge/search"
	"techbridge/search/bleve"
)

// countingEngine records the queries that reach the engine, through
// Search and Rank alike.
type countingEngine struct {
	*bleve.Engine
	mu      sync.Mutex
	queries []search.Query
}

func (c *countingEngine) record(q search.Query) {
	c.mu.Lock()
	c.queries = append(c.queries, q)
	c.mu.Unlock()
}

func (c *countingEngine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	c.record(q)
	return c.Engine.Search(ctx, q)
}

func (c *countingEngine) Rank(ctx context.Context, q search.Query, load bool) (search.Result, error) {
	c.record(q)
	return c.Engine.Rank(ctx, q, load)
}

// ranked counts the queries that ranked text with Han characters, the
// need's own words; han counts those among them limited to English.
func (c *countingEngine) ranked() (all, english int) {
	for _, q := range c.queries {
		if strings.ContainsFunc(q.Text, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			all++
			if q.Lang == "en" {
				english++
			}
		}
	}
	return all, english
}

// TestMatchRanksTheNeedOnce: matching a Chinese need ranks its text in its
// own language once, as one search of it does, and bridges to English
// listings from those same hits (the bridge used to rank the text again),
// and its words pass over English listings carries no Chinese term (the
// first ranking, over every language, found the listings sharing them).
// The English battery outcome is still bridged in.
func TestMatchRanksTheNeedOnce(t *testing.T) {
	ctx := context.Background()
	eng, err := bleve.Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	en := search.Document{ID: "out-en-recycle", Kind: search.KindOutcome, OrgID: "org-mit", OrgKind: "university",
		Title: "Recycling retired traction batteries", Summary: "Automated disassembly and second-life battery storage",
		Keywords: []string{"battery recycling"}, IPC: []string{"H01M 10/54"}, Langs: []string{"en"}, Version: 1, PublishedAt: matchNow}
	docs := matchMarket()
	for i := range docs {
		docs[i].Langs = []string{"zh"}
	}
	if err := eng.Upsert(ctx, append(docs, en)...); err != nil {
		t.Fatal(err)
	}
	c := &countingEngine{Engine: eng}
	s := &search.Service{Engine: c}
	m := &search.Matcher{Search: s, Now: func() time.Time { return matchNow }}
	need := search.Need{Text: "退役动力电池回收与梯次利用"}

	res, err := m.ForNeed(ctx, need, search.MatchOptions{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	matchAll, matchEN := c.ranked()
	c.queries = nil
	if _, err := s.Search(ctx, search.Query{Text: need.Text, Kinds: []string{search.KindOutcome}, Limit: 100}); err != nil {
		t.Fatal(err)
	}
	once, _ := c.ranked()
	if matchAll != once || matchEN != 0 {
		t.Errorf("matching ranked the need's words %d times (%d over English listings); one search does %d", matchAll, matchEN, once)
	}
	var bridged bool
	for _, mt := range res.Matches {
		bridged = bridged || (mt.ID == en.ID && mt.Bridge != nil)
	}
	if !bridged {
		t.Errorf("the English outcome is not bridged in: %v", matchIDs(res.Matches))
	}
}
