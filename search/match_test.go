package search_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"techbridge/search"
	"techbridge/search/bleve"
)

// A small hand-made market where the right answers are known.
//
// The battery-recycling demand (Shanghai, TRL ≥ 5, budget ≤ 100万 CNY,
// no IPC stated) must get outcome A first: A is about recycling traction
// batteries like B, but A also meets the TRL, fits the budget, sits in
// Shanghai, was published a month ago, and is in H01M, the subclass most
// battery hits are in; B is TRL 3, over budget, in Beijing and unconfirmed.
var matchNow = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

const matchWan = 1_000_000 // 1万 CNY in fen

const (
	idA        = "out-a-recycle"      // the right answer for the demand
	idB        = "out-b-hydromet"     // text-alike, structurally poor
	idC        = "out-c-cathode"      // battery, not recycling
	idD        = "out-d-irrigation"   // unrelated
	idE        = "out-e-tester"       // A's university, second battery outcome
	idDemand   = "scn-battery"        // the demand, indexed like any published scenario
	idFarm     = "scn-farm"           // an agriculture challenge
	idExpired  = "scn-expired"        // past its deadline
	idOwnScn   = "scn-own"            // posted by A's own university
	orgUni     = "org-tongji"         // owns A and E
	orgBeijing = "org-beijing-metals" // owns B
)

func matchMarket() []search.Document {
	return []search.Document{
		{ID: idA, Kind: search.KindOutcome, OrgID: orgUni, OrgKind: "university", OrgName: "同济大学",
			Title: "退役动力锂电池回收与梯次利用技术", Summary: "动力电池自动拆解、检测分选与梯次利用",
			Description: "针对新能源汽车退役动力电池，提供自动拆解、健康状态检测、分选重组与储能梯次利用的成套工艺。",
			Keywords:    []string{"动力电池", "电池回收", "梯次利用"}, Field: "energy_storage", IPC: []string{"H01M 10/54"},
			TRL: 6, PriceMin: 50 * matchWan, PriceMax: 80 * matchWan, Currency: "CNY", Region: "上海市 / 嘉定",
			Version: 1, PublishedAt: matchNow.AddDate(0, -1, 0), FreshUntil: matchNow.AddDate(1, 0, 0)},
		{ID: idB, Kind: search.KindOutcome, OrgID: orgBeijing, OrgKind: "institute", OrgName: "北京有色金属研究院",
			Title: "废旧动力锂电池回收湿法冶金工艺", Summary: "从废旧锂电池中回收锂钴镍",
			Description: "湿法冶金浸出、萃取与沉淀，从废旧动力电池正极材料中回收有价金属。",
			Keywords:    []string{"电池回收", "湿法冶金"}, Field: "new_materials", IPC: []string{"C22B 7/00"},
			TRL: 3, PriceMin: 200 * matchWan, PriceMax: 300 * matchWan, Currency: "CNY", Region: "北京市",
			Version: 1, PublishedAt: matchNow.AddDate(-2, 0, 0), FreshUntil: matchNow.AddDate(0, -2, 0)},
		{ID: idC, Kind: search.KindOutcome, OrgID: "org-cas-physics", OrgKind: "institute", OrgName: "物理研究所",
			Title: "高镍锂电池正极材料", Summary: "高能量密度动力电池正极",
			Keywords: []string{"正极材料", "锂电池"}, Field: "energy_storage", IPC: []string{"H01M 4/36"},
			TRL: 7, PriceMin: 60 * matchWan, PriceMax: 90 * matchWan, Currency: "CNY", Region: "北京市",
			Version: 1, PublishedAt: matchNow.AddDate(0, -3, 0), FreshUntil: matchNow.AddDate(1, 0, 0)},
		{ID: idD, Kind: search.KindOutcome, OrgID: "org-cau", OrgKind: "university", OrgName: "中国农业大学",
			Title: "智能灌溉系统", Summary: "土壤墒情感知与精准灌溉", Keywords: []string{"灌溉", "农业"},
			Field: "agriculture", IPC: []string{"A01G 25/16"}, TRL: 8, Region: "北京市",
			Version: 1, PublishedAt: matchNow.AddDate(0, -1, 0)},
		{ID: idE, Kind: search.KindOutcome, OrgID: orgUni, OrgKind: "university", OrgName: "同济大学",
			Title: "动力电池健康状态快速检测设备", Summary: "退役电池分选前的快速检测",
			Keywords: []string{"动力电池", "检测"}, Field: "energy_storage", IPC: []string{"G01R 31/36"},
			TRL: 7, PriceMin: 30 * matchWan, PriceMax: 40 * matchWan, Currency: "CNY", Region: "上海市",
			Version: 1, PublishedAt: matchNow.AddDate(0, -2, 0), FreshUntil: matchNow.AddDate(1, 0, 0)},
		matchDemand(),
		{ID: idFarm, Kind: search.KindScenario, ScenarioKind: "challenge", OrgID: "org-farm-group", OrgKind: "enterprise",
			Title: "农场节水灌溉挑战", Description: "寻找精准灌溉与土壤墒情监测方案", Keywords: []string{"灌溉", "节水"},
			Field: "agriculture", TRL: 6, Region: "新疆", Version: 1, PublishedAt: matchNow.AddDate(0, 0, -5),
			Deadline: matchNow.AddDate(0, 2, 0).Truncate(24 * time.Hour)},
		{ID: idExpired, Kind: search.KindScenario, ScenarioKind: "demand", OrgID: "org-old-corp", OrgKind: "enterprise",
			Title: "动力电池回收产线改造", Keywords: []string{"电池回收"}, Field: "energy_storage", TRL: 5,
			Version: 1, PublishedAt: matchNow.AddDate(0, -6, 0), Deadline: matchNow.AddDate(0, 0, -1).Truncate(24 * time.Hour)},
		{ID: idOwnScn, Kind: search.KindScenario, ScenarioKind: "demand", OrgID: orgUni, OrgKind: "university",
			Title: "动力电池梯次利用示范场地", Keywords: []string{"梯次利用"}, Field: "energy_storage",
			Version: 1, PublishedAt: matchNow.AddDate(0, 0, -3)},
	}
}

func matchDemand() search.Document {
	return search.Document{ID: idDemand, Kind: search.KindScenario, ScenarioKind: "demand",
		OrgID: "org-shanghai-auto", OrgKind: "enterprise", OrgName: "上海某汽车集团",
		Title: "新能源汽车退役动力电池回收利用", Description: "我们每年退役数千套动力电池，需要自动拆解与梯次利用方案，在上海落地中试。",
		Keywords: []string{"动力电池", "回收"}, Field: "", TRL: 5, PriceMax: 100 * matchWan, Currency: "CNY",
		Region: "上海市", Version: 1, PublishedAt: matchNow.AddDate(0, 0, -2), Deadline: matchNow.AddDate(0, 3, 0).Truncate(24 * time.Hour)}
}

func newTestMatcher(t *testing.T) *search.Matcher {
	t.Helper()
	eng, err := bleve.Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	if err := eng.Upsert(context.Background(), matchMarket()...); err != nil {
		t.Fatal(err)
	}
	return &search.Matcher{Search: &search.Service{Engine: eng}, Now: func() time.Time { return matchNow }}
}

func matchIDs(ms []search.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

func matchReason(m search.Match, kind string) (search.Reason, bool) {
	for _, r := range m.Reasons {
		if r.Kind == kind {
			return r, true
		}
	}
	return search.Reason{}, false
}

func matchGap(m search.Match, kind string) bool {
	for _, r := range m.Gaps {
		if r.Kind == kind {
			return true
		}
	}
	return false
}

func TestMatchDemandRanksTheFittingOutcomeFirstWithItsReasons(t *testing.T) {
	m := newTestMatcher(t)
	res, err := m.Match(context.Background(), matchDemand(), search.MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := matchIDs(res.Matches)
	if len(got) < 3 || got[0] != idA {
		t.Fatalf("order %v, want %s first", got, idA)
	}
	if slices.Index(got, idB) < slices.Index(got, idA) {
		t.Fatalf("B (%v) above A", got)
	}
	for _, id := range got {
		if id == idDemand || id == idFarm || id == idD {
			t.Fatalf("matches %v include %s (a scenario or an unrelated outcome)", got, id)
		}
	}
	a := res.Matches[0]
	text, ok := matchReason(a, search.ReasonText)
	if !ok || len(text.Terms) == 0 || text.Coverage <= 0 {
		t.Fatalf("A's text reason %+v", text)
	}
	if !slices.ContainsFunc(text.Terms, func(s string) bool { return s == "动力电池" || s == "动力电池回收" }) {
		t.Errorf("A's matched terms %v lack 动力电池", text.Terms)
	}
	if r, ok := matchReason(a, search.ReasonTRL); !ok || r.Have != 6 || r.Want != 5 {
		t.Errorf("A's TRL reason %+v", r)
	}
	if r, ok := matchReason(a, search.ReasonPrice); !ok || r.Have != 50*matchWan || r.Want != 100*matchWan || r.Currency != "CNY" {
		t.Errorf("A's price reason %+v", r)
	}
	if _, ok := matchReason(a, search.ReasonRegion); !ok {
		t.Errorf("A has no region reason: %+v", a.Reasons)
	}
	// Between two listings only what both state counts (the score is the
	// pair's, whichever side asks): the demand states no IPC, so none is
	// inferred for it here. As a described need it is.
	if r, ok := matchReason(a, search.ReasonIPC); ok {
		t.Errorf("A's IPC reason %+v; the demand states no IPC and a pair's score is its own", r)
	}
	need := matchDemand()
	need.ID = ""
	asNeed, err := m.Match(context.Background(), need, search.MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(asNeed.Matches) == 0 || asNeed.Matches[0].ID != idA {
		t.Fatalf("the demand as a need: %v, want A first", matchIDs(asNeed.Matches))
	}
	if r, ok := matchReason(asNeed.Matches[0], search.ReasonIPC); !ok || !r.Inferred || !slices.Equal(r.Codes, []string{"H01M"}) {
		t.Errorf("A's IPC reason for the need %+v, want H01M inferred (a need states no IPC)", r)
	}
	if _, ok := matchReason(a, search.ReasonFreshness); !ok {
		t.Errorf("A has no freshness reason")
	}
	if len(a.Gaps) != 0 {
		t.Errorf("A has gaps %+v", a.Gaps)
	}
	var b search.Match
	for _, x := range res.Matches {
		if x.ID == idB {
			b = x
		}
	}
	if b.ID == "" {
		t.Fatalf("B is not matched at all: %v", got)
	}
	for _, k := range []string{search.ReasonTRL, search.ReasonPrice, search.ReasonFreshness} {
		if !matchGap(b, k) {
			t.Errorf("B lacks the %s gap: %+v", k, b.Gaps)
		}
	}
	var sum float64
	for _, r := range append(append([]search.Reason{}, a.Reasons...), a.Gaps...) {
		sum += r.Points
	}
	if sum > a.Score+0.05 || a.Score > 100 {
		t.Errorf("A's listed points %.1f exceed its score %.1f", sum, a.Score)
	}
	if !a.Strong() || b.Strong() {
		t.Errorf("strong: A %v (%.1f, cov %.2f), B %v (%.1f)", a.Strong(), a.Score, a.TextCoverage(), b.Strong(), b.Score)
	}
}

func TestMatchOutcomeRanksOpenScenariosOfOtherOrganisations(t *testing.T) {
	m := newTestMatcher(t)
	var a search.Document
	for _, d := range matchMarket() {
		if d.ID == idA {
			a = d
		}
	}
	res, err := m.Match(context.Background(), a, search.MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := matchIDs(res.Matches)
	if len(got) == 0 || got[0] != idDemand {
		t.Fatalf("scenarios for A: %v, want %s first", got, idDemand)
	}
	if slices.Contains(got, idExpired) || slices.Contains(got, idOwnScn) {
		t.Fatalf("scenarios for A %v include an expired one or A's own university's", got)
	}
	for _, x := range res.Matches {
		if x.Kind != search.KindScenario {
			t.Fatalf("an outcome %s among scenario matches", x.ID)
		}
	}
}

func TestMatchGroupsOrganisations(t *testing.T) {
	m := newTestMatcher(t)
	res, err := m.Match(context.Background(), matchDemand(), search.MatchOptions{Group: search.GroupOrganization})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Matches) != 0 || len(res.Organizations) < 2 {
		t.Fatalf("grouped result %+v", res)
	}
	top := res.Organizations[0]
	if top.OrgID != orgUni || top.OrgName != "同济大学" || top.Best[0].ID != idA {
		t.Fatalf("top organisation %s with %v, want %s with A first", top.OrgID, matchIDs(top.Best), orgUni)
	}
	if top.Matches < 2 || top.Score < top.Best[0].Score {
		t.Fatalf("top organisation counts %d matches, score %.1f vs best %.1f", top.Matches, top.Score, top.Best[0].Score)
	}
}

func TestMatchNeedFreeText(t *testing.T) {
	m := newTestMatcher(t)
	ctx := context.Background()
	res, err := m.ForNeed(ctx, search.Need{Text: "退役动力电池回收梯次利用", TRL: 5, PriceMax: 100 * matchWan, Region: "上海"}, search.MatchOptions{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := matchIDs(res.Matches); len(got) == 0 || len(got) > 3 || got[0] != idA {
		t.Fatalf("need matches %v, want A first and at most 3", got)
	}
	filtered, err := m.ForNeed(ctx, search.Need{Text: "动力电池回收", Field: "new_materials"}, search.MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := matchIDs(filtered.Matches); !slices.Equal(got, []string{idB}) {
		t.Fatalf("field filter new_materials gives %v, want only B", got)
	}
	scen, err := m.ForNeed(ctx, search.Need{Text: "精准灌溉 土壤墒情", Kind: search.KindScenario}, search.MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := matchIDs(scen.Matches); len(got) == 0 || got[0] != idFarm {
		t.Fatalf("scenarios for an irrigation offer: %v", got)
	}
	for _, bad := range []search.Need{{Text: " "}, {Text: "电池", Kind: "deal"}, {Text: "电池", Field: "batteries"},
		{Text: "电池", IPC: "battery"}, {Text: "电池", PriceMin: 5, PriceMax: 1}, {Text: "电池", TRL: 10}} {
		if _, err := m.ForNeed(ctx, bad, search.MatchOptions{}); err == nil {
			t.Errorf("need %+v accepted", bad)
		}
	}
	if _, err := m.ForNeed(ctx, search.Need{Text: "电池"}, search.MatchOptions{Group: "country"}); err == nil {
		t.Error("unknown group accepted")
	}
}

// TestMatchPagesAreExplainedAlike: every match returned carries its
// reasons, and a shorter page is the same matches, scores and reasons as
// the head of a longer one (only the page is explained, from the same
// scores the pool was ranked by).
func TestMatchPagesAreExplainedAlike(t *testing.T) {
	m := newTestMatcher(t)
	ctx := context.Background()
	all, err := m.Match(ctx, matchDemand(), search.MatchOptions{Limit: search.MaxMatches})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Matches) < 3 {
		t.Fatalf("%d matches", len(all.Matches))
	}
	for _, mt := range all.Matches {
		if len(mt.Reasons)+len(mt.Gaps) == 0 {
			t.Errorf("%s returned without reasons", mt.ID)
		}
	}
	for limit := 1; limit < len(all.Matches); limit++ {
		page, err := m.Match(ctx, matchDemand(), search.MatchOptions{Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		// Engine scores may differ in their last bits between runs (float
		// sums over maps): compare what a reader sees.
		if got, want := explained(page.Matches), explained(all.Matches[:limit]); !reflect.DeepEqual(got, want) {
			t.Fatalf("limit %d: %q\nwant the head of %q", limit, got, want)
		}
	}
	grouped, err := m.Match(ctx, matchDemand(), search.MatchOptions{Group: search.GroupOrganization})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range grouped.Organizations {
		for _, b := range g.Best {
			if len(b.Reasons)+len(b.Gaps) == 0 {
				t.Errorf("%s (best of %s) without reasons", b.ID, g.OrgID)
			}
		}
	}
}

// explained is what a reader sees of matches: id, score, and each reason's
// and gap's sentence.
func explained(ms []search.Match) []string {
	var out []string
	for _, m := range ms {
		line := fmt.Sprintf("%s %.1f", m.ID, m.Score)
		for _, r := range m.Reasons {
			line += " + " + r.Detail
		}
		for _, r := range m.Gaps {
			line += " - " + r.Kind + " " + r.Detail
		}
		out = append(out, line)
	}
	return out
}
