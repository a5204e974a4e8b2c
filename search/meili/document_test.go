package meili

import (
	"math"
	"slices"
	"testing"

	"techbridge/search"
)

func TestCJKBigrams(t *testing.T) {
	cases := []struct{ in, want string }{
		{"锂电池", "锂电 电池"},
		{"锂电池 lithium 电池组", "锂电 电池 池组"}, // repeated pairs once; Latin breaks runs
		{"电", ""},
		{"solid-state", ""},
		{"热管理，预警", "热管 管理 预警"}, // punctuation breaks runs
	}
	for _, c := range cases {
		if got := cjkBigrams(c.in); got != c.want {
			t.Errorf("cjkBigrams(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestRowDerivedFields(t *testing.T) {
	cases := []struct {
		name     string
		doc      search.Document
		low      *int64
		high     *int64
		prefixes []string
		classes  []string
	}{
		{"no price", search.Document{IPC: []string{"a01b"}}, nil, nil, []string{"A", "A0", "A01", "A01B"}, []string{"A01B"}},
		{"floor only", search.Document{PriceMin: 7}, new(int64(7)), new(int64(math.MaxInt64)), nil, nil},
		{"ceiling only", search.Document{PriceMax: 9}, new(int64(0)), new(int64(9)), nil, nil},
		{"two codes one class", search.Document{IPC: []string{"H01M  2/1", "H01M 4"}},
			nil, nil, []string{"H", "H0", "H01", "H01M", "H01M 2", "H01M 2/", "H01M 2/1", "H01M 4"}, []string{"H01M"}},
	}
	for _, c := range cases {
		r := toRow(c.doc)
		if !samePtr(r.PriceLow, c.low) || !samePtr(r.PriceHigh, c.high) {
			t.Errorf("%s: price %v..%v, want %v..%v", c.name, deref(r.PriceLow), deref(r.PriceHigh), deref(c.low), deref(c.high))
		}
		if !slices.Equal(r.IPCPrefixes, c.prefixes) || !slices.Equal(r.IPCClass, c.classes) {
			t.Errorf("%s: ipc %v %v, want %v %v", c.name, r.IPCPrefixes, r.IPCClass, c.prefixes, c.classes)
		}
	}
}

func samePtr(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestNewestKeepsHighestVersion(t *testing.T) {
	docs := []search.Document{
		{ID: "a", Version: 2, Title: "a2"}, {ID: "b", Version: 1}, {ID: "a", Version: 1, Title: "a1"},
		{ID: "a", Version: 2, Title: "a2 later"},
	}
	got := newest(docs)
	if len(got) != 2 || got[0].ID != "a" || got[0].Title != "a2 later" || got[1].ID != "b" {
		t.Errorf("newest = %+v", got)
	}
}

func TestPageClamps(t *testing.T) {
	cases := []struct{ off, lim, wantOff, wantLim int }{
		{0, 0, 0, search.DefaultLimit},
		{-5, -1, 0, search.DefaultLimit},
		{5, 1000, 5, search.MaxLimit},
		{1 << 30, 10, search.MaxOffset, 10},
	}
	for _, c := range cases {
		off, lim := page(search.Query{Offset: c.off, Limit: c.lim})
		if off != c.wantOff || lim != c.wantLim {
			t.Errorf("page(%d, %d) = %d, %d; want %d, %d", c.off, c.lim, off, lim, c.wantOff, c.wantLim)
		}
	}
}
