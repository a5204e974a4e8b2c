package search

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTRLReason(t *testing.T) {
	for _, c := range []struct {
		name       string
		have, want int
		points     float64
		gap        bool
		listed     bool
	}{
		{"meets the minimum", 6, 5, WeightTRL, false, true},
		{"exactly the minimum", 5, 5, WeightTRL, false, true},
		{"one level short", 4, 5, WeightTRL * 0.4, true, true},
		{"far below", 2, 7, 0, true, true},
		{"outcome states none", 0, 5, WeightTRL / 2, false, false},
		{"scenario asks none", 6, 0, WeightTRL / 2, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, gap := trlReason(Document{Kind: KindOutcome, TRL: c.have}, Document{Kind: KindScenario, TRL: c.want})
			if r.Points != c.points || gap != c.gap || (r.Detail != "") != c.listed {
				t.Fatalf("got %.1f points, gap %v, detail %q; want %.1f, gap %v, listed %v", r.Points, gap, r.Detail, c.points, c.gap, c.listed)
			}
		})
	}
}

func TestPriceReason(t *testing.T) {
	const wan = 1_000_000 // 1万 CNY in fen
	for _, c := range []struct {
		name          string
		askMin, askMx int64
		budget        int64
		ocur, scur    string
		points        float64
		gap           bool
	}{
		{"within budget", 50 * wan, 80 * wan, 100 * wan, "CNY", "CNY", WeightPrice, false},
		{"starts within budget", 80 * wan, 150 * wan, 100 * wan, "CNY", "CNY", WeightPrice * 0.6, false},
		{"above budget", 200 * wan, 300 * wan, 100 * wan, "CNY", "CNY", 0, true},
		{"fixed price equal to budget", 100 * wan, 100 * wan, 100 * wan, "CNY", "CNY", WeightPrice, false},
		{"negotiable outcome", 0, 0, 100 * wan, "CNY", "CNY", WeightPrice / 2, false},
		{"budget without maximum", 50 * wan, 80 * wan, 0, "CNY", "CNY", WeightPrice / 2, false},
		{"other currency", 50 * wan, 80 * wan, 100 * wan, "USD", "CNY", WeightPrice / 2, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := Document{Kind: KindOutcome, PriceMin: c.askMin, PriceMax: c.askMx, Currency: c.ocur}
			s := Document{Kind: KindScenario, PriceMax: c.budget, Currency: c.scur}
			r, gap := priceReason(o, s)
			if r.Points != c.points || gap != c.gap {
				t.Fatalf("got %.1f points gap %v (%q); want %.1f gap %v", r.Points, gap, r.Detail, c.points, c.gap)
			}
		})
	}
}

func TestRegionReason(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"上海市 / 张江科学城", "上海", true},
		{"上海市", "上海市 / 嘉定", true},
		{"Shanghai City", "shanghai", true},
		{"北京市", "上海市", false},
		{"", "上海", false},
	} {
		_, ok := regionReason(Document{Region: c.a}, Document{Region: c.b})
		if ok != c.same {
			t.Errorf("regions %q and %q: same %v, want %v", c.a, c.b, ok, c.same)
		}
	}
}

// A region reason names only what both sides share (issue 17: "Same
// region" shown for a different district).
func TestRegionReasonNamesTheSharedPart(t *testing.T) {
	for _, c := range []struct{ a, b, want string }{
		{"上海市 / 张江科学城", "上海市 / 嘉定", "上海市"},
		{"上海市 / 张江科学城", "上海市 / 张江科学城", "上海市 / 张江科学城"},
		{"上海", "上海市 / 嘉定", "上海市"},
	} {
		r, ok := regionReason(Document{Region: c.a}, Document{Region: c.b})
		if !ok || !slices.Equal(r.Codes, []string{c.want}) || r.Detail != "same region "+c.want {
			t.Errorf("%q and %q: %+v, want %q", c.a, c.b, r, c.want)
		}
	}
}

// Function words and particles are never key terms nor reasons (issue 17:
// "Text matches: of", "文本匹配：低于").
func TestStopWordsAreNeverKeyTerms(t *testing.T) {
	for _, w := range []string{"of", "the", "低于", "一种", "用于", "的", "2024"} {
		if IsKeyTerm(w) {
			t.Errorf("%q is a key term", w)
		}
	}
	for _, w := range []string{"battery", "电池", "电解液", "LED"} {
		if !IsKeyTerm(w) {
			t.Errorf("%q is not a key term", w)
		}
	}
	subject := Document{Title: "工作温度低于零下20度的电池电解液"}
	cand := Document{Title: "Electrolyte for batteries of low temperature"}
	r := textReason(subject, Document{Title: "低于零度的电解液添加剂"}, 1, []string{"低于", "电解液"})
	if !slices.Equal(r.Terms, []string{"电解液"}) {
		t.Errorf("terms %v, want only 电解液", r.Terms)
	}
	r = textReason(Document{Title: "cells of lithium"}, cand, 1, []string{"of"})
	if slices.Contains(r.Terms, "of") || strings.Contains(r.Detail, "of (") {
		t.Errorf("stop word in reason: %+v", r)
	}
	for _, t2 := range termsOf(subject.Title) {
		if t2 == "低于" || strings.ContainsRune(t2, '的') {
			t.Errorf("termsOf kept %q", t2)
		}
	}
}

func TestIPCReason(t *testing.T) {
	inferred := classContext{ipc: map[string]float64{"H01M": 0.7, "C22B": 0.2}}
	for _, c := range []struct {
		name     string
		subject  []string
		cand     []string
		points   float64
		codes    []string
		inferred bool
		ok       bool
	}{
		{"shared subclass", []string{"H01M 10/54"}, []string{"H01M 4/36", "C22B 7/00"}, WeightIPC, []string{"H01M"}, false, true},
		{"shared class only", []string{"H01G"}, []string{"H01M 4/36"}, WeightIPC / 2, []string{"H01"}, false, true},
		{"stated and different", []string{"A01B"}, []string{"H01M 4/36"}, 0, nil, false, false},
		{"inferred from the best hits", nil, []string{"H01M 4/36"}, WeightIPC * 0.8 * 0.7, []string{"H01M"}, true, true},
		{"inferred but too rare", nil, []string{"C22B 7/00"}, 0, nil, false, false},
		{"candidate without codes", []string{"H01M"}, nil, 0, nil, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, ok := ipcReason(Document{IPC: c.subject}, Document{IPC: c.cand}, inferred)
			if ok != c.ok || r.Points != c.points || !slices.Equal(r.Codes, c.codes) || r.Inferred != c.inferred {
				t.Fatalf("got ok %v %+v; want ok %v points %.2f codes %v inferred %v", ok, r, c.ok, c.points, c.codes, c.inferred)
			}
		})
	}
}

func TestFieldReason(t *testing.T) {
	inferred := classContext{field: map[string]float64{"energy_storage": 0.5}}
	if r, ok := fieldReason(Document{Field: "energy_storage"}, Document{Field: "energy_storage"}, inferred); !ok || r.Points != WeightField || r.Inferred {
		t.Errorf("stated field: %v %+v", ok, r)
	}
	if _, ok := fieldReason(Document{Field: "ai"}, Document{Field: "energy_storage"}, inferred); ok {
		t.Error("a stated, different field must not borrow the inferred one")
	}
	if r, ok := fieldReason(Document{Field: "other"}, Document{Field: "energy_storage"}, inferred); !ok || !r.Inferred || r.Points != WeightField*0.8*0.5 {
		t.Errorf("field other infers: %v %+v", ok, r)
	}
	if _, ok := fieldReason(Document{}, Document{Field: "other"}, classContext{field: map[string]float64{"other": 1}}); ok {
		t.Error("sharing the catch-all field is no reason")
	}
}

func TestFreshnessReason(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		d      Document
		points float64
		gap    bool
	}{
		{"recent", Document{Kind: KindOutcome, PublishedAt: now.AddDate(0, 0, -30), FreshUntil: now.AddDate(0, 6, 0)}, WeightFreshness, false},
		{"old", Document{Kind: KindOutcome, PublishedAt: now.AddDate(-1, 0, 0), FreshUntil: now.AddDate(0, 1, 0)}, WeightFreshness / 2, false},
		{"fresh_until today", Document{Kind: KindOutcome, PublishedAt: now.AddDate(0, -1, 0), FreshUntil: now.Truncate(24 * time.Hour)}, WeightFreshness, false},
		{"not confirmed", Document{Kind: KindOutcome, PublishedAt: now.AddDate(0, -1, 0), FreshUntil: now.AddDate(0, 0, -3)}, 0, true},
		{"scenarios have no fresh_until", Document{Kind: KindScenario, PublishedAt: now.AddDate(0, 0, -3), FreshUntil: now.AddDate(0, 0, -30)}, WeightFreshness, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, gap := freshnessReason(c.d, now)
			if r.Points != c.points || gap != c.gap {
				t.Fatalf("got %.1f gap %v (%q), want %.1f gap %v", r.Points, gap, r.Detail, c.points, c.gap)
			}
		})
	}
}

func TestTextReasonCoverage(t *testing.T) {
	subject := Document{Title: "动力电池回收", Keywords: []string{"锂电池"}}
	same := Document{Title: "动力电池回收技术", Keywords: []string{"锂电池", "回收"}}
	other := Document{Title: "智能灌溉系统", Keywords: []string{"农业"}}
	a := textReason(subject, same, 1, nil)
	b := textReason(subject, other, 1, nil)
	if a.Coverage < 0.7 || b.Coverage != 0 {
		t.Fatalf("coverage: alike %.2f, unrelated %.2f", a.Coverage, b.Coverage)
	}
	if a.Points <= b.Points || b.Points != WeightText/2 {
		t.Fatalf("points: alike %.1f, unrelated %.1f (rel 1 alone gives half)", a.Points, b.Points)
	}
	if !slices.Contains(a.Terms, "电池") {
		t.Fatalf("shared terms %v lack 电池", a.Terms)
	}
	if got := textReason(subject, same, 1, []string{"动力电池回收"}); !slices.Equal(got.Terms, []string{"动力电池回收"}) {
		t.Fatalf("engine terms must be kept as reported: %v", got.Terms)
	}
	if len(b.Terms) != 0 || b.Detail != "no key terms in common" {
		t.Fatalf("unrelated text reason: terms %v, detail %q", b.Terms, b.Detail)
	}
	// Scored as a match, an unrelated text shows as a gap, not a reason.
	m := scoreMatch(subject, Hit{Document: other}, 1, classContext{}, time.Now())
	for _, r := range m.Reasons {
		if r.Kind == ReasonText {
			t.Fatalf("text with nothing in common listed as a reason: %+v", r)
		}
	}
	if len(m.Gaps) == 0 || m.Gaps[0].Kind != ReasonText {
		t.Fatalf("gaps %+v: want the text gap", m.Gaps)
	}
}

func TestDescriptionExpansionLeavesOutQueryTerms(t *testing.T) {
	ex := descriptionExpansion("battery recycling", "Battery recycling plant for cathode cathode materials and hydrometallurgy")
	if len(ex) == 0 || ex[0].Term != "cathode" || ex[0].Weight != descriptionWeight {
		t.Fatalf("expansion %v: want cathode first at weight %.1f", ex, descriptionWeight)
	}
	for _, w := range ex {
		if w.Term == "battery" || w.Term == "recycling" {
			t.Fatalf("expansion repeats a query term: %v", ex)
		}
	}
}

func TestGroupByOrgFavoursSeveralGoodListingsModestly(t *testing.T) {
	m := func(org string, score float64) Match {
		return Match{Hit: Hit{Document: Document{OrgID: org, OrgName: org}}, Score: score}
	}
	got := groupByOrg([]Match{m("one-strong", 80), m("several", 75), m("several", 70), m("several", 60), m("several", 50)}, 10)
	if len(got) != 2 || got[0].OrgID != "several" || got[0].Matches != 4 || len(got[0].Best) != 3 {
		t.Fatalf("groups %+v", got)
	}
	if got[0].Score != 75+7+3 || got[1].Score != 80 {
		t.Fatalf("scores %.1f and %.1f, want 85 and 80", got[0].Score, got[1].Score)
	}
	if g := groupByOrg([]Match{m("a", 95), m("a", 95), m("a", 95)}, 10); g[0].Score != 100 {
		t.Fatalf("score capped at 100, got %.1f", g[0].Score)
	}
}
