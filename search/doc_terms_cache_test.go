package search

import (
	"maps"
	"testing"
)

// TestDocTermsCacheKeysOnTheTextCut: a listing's terms come from the cache
// only for the same id, version and text; a teaser of the same version (no
// description) or a need without an id is cut afresh.
func TestDocTermsCacheKeysOnTheTextCut(t *testing.T) {
	c := newDocTermsCache(16)
	cuts := 0
	cut := func(d Document) map[string]float64 { cuts++; return cutDocTerms(d) }
	full := Document{ID: "o1", Version: 3, Title: "固态电池隔膜", Description: "保密工艺参数 secret recipe"}
	teaser := full
	teaser.Description = ""
	a := c.terms(full, cut)
	if b := c.terms(full, cut); cuts != 1 || !maps.Equal(a, b) {
		t.Fatalf("the same listing cut %d times", cuts)
	}
	if tf := c.terms(teaser, cut); cuts != 2 || tf["secret"] != 0 {
		t.Fatalf("the teaser shared the full listing's terms (cuts %d): %v", cuts, tf)
	}
	edited := full
	edited.Version, edited.Title = 4, "钠离子电池隔膜"
	if tf := c.terms(edited, cut); cuts != 3 || tf["钠离"] == 0 {
		t.Fatalf("an edit was answered from the cache (cuts %d): %v", cuts, tf)
	}
	need := Document{Title: "电池回收"}
	c.terms(need, cut)
	c.terms(need, cut)
	if cuts != 5 {
		t.Fatalf("a need without an id was cached (cuts %d)", cuts)
	}
}
