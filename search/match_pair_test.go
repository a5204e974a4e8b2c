package search

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestPairScoreIsSymmetric scores every outcome–scenario pair both ways,
// each time with other direction-dependent inputs (the engine's relative
// score, inferred classes, a bridge's class chance and matched words, as
// another set of candidates would give): between two listings the score
// must be the pair's alone.
func TestPairScoreIsSymmetric(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	docs := []Document{
		{ID: "o1", Kind: KindOutcome, Title: "退役动力锂电池回收与梯次利用技术", Keywords: []string{"动力电池", "电池回收"},
			IPC: []string{"H01M 10/54"}, Field: "energy_storage", TRL: 6, PriceMin: 50, PriceMax: 80, Currency: "CNY",
			Region: "上海市 / 嘉定", PublishedAt: now.AddDate(0, -1, 0), FreshUntil: now.AddDate(0, -1, 0), Langs: []string{"zh"}},
		{ID: "o2", Kind: KindOutcome, Title: "Low-temperature electrolyte additive for lithium batteries",
			Summary: "An additive that keeps the electrolyte liquid at -40 °C.", IPC: []string{"H01M 10/0567"},
			TRL: 5, PublishedAt: now.AddDate(-1, 0, 0), Langs: []string{"en"}},
		{ID: "o3", Kind: KindOutcome, Title: "智能灌溉系统", Keywords: []string{"灌溉"}, Field: "agriculture",
			Region: "北京市", PublishedAt: now.AddDate(0, 0, -3), Langs: []string{"zh"}},
		{ID: "s1", Kind: KindScenario, Title: "新能源汽车退役动力电池回收利用", Keywords: []string{"动力电池", "回收"},
			TRL: 5, PriceMax: 100, Currency: "CNY", Region: "上海市", PublishedAt: now.AddDate(0, 0, -2), Langs: []string{"zh"}},
		{ID: "s2", Kind: KindScenario, Title: "低温电解液添加剂", Description: "寻找低温电池电解液添加剂",
			Field: "energy_storage", IPC: []string{"H01M"}, PublishedAt: now.AddDate(0, -7, 0), Langs: []string{"zh"}},
		{ID: "s3", Kind: KindScenario, Title: "Battery recycling line", Keywords: []string{"battery", "recycling"},
			TRL: 7, PriceMax: 60, Currency: "CNY", Region: "上海市 / 张江", Langs: []string{"en"}},
	}
	rnd := rand.New(rand.NewPCG(17, 17))
	random := func(d Document) Hit {
		h := Hit{Document: d, Terms: []string{"电池", "of"}[:rnd.IntN(3)%2]}
		if rnd.IntN(2) == 0 {
			h.Bridge = &Bridge{From: "zh", Classes: []string{"H01M"}, Chance: rnd.Float64()}
		}
		return h
	}
	ctx := func() classContext {
		return classContext{ipc: map[string]float64{"H01M": rnd.Float64(), "A01G": rnd.Float64()},
			field: map[string]float64{"energy_storage": rnd.Float64()}}
	}
	pairs := 0
	for _, o := range docs {
		for _, s := range docs {
			if o.Kind != KindOutcome || s.Kind != KindScenario {
				continue
			}
			for range 5 {
				so := scoreMatch(s, random(o), rnd.Float64(), ctx(), now)
				os := scoreMatch(o, random(s), rnd.Float64(), ctx(), now)
				if so.Score != os.Score {
					t.Errorf("%s→%s scores %.1f (%+v), %s→%s %.1f (%+v)", s.ID, o.ID, so.Score, so.Reasons, o.ID, s.ID, os.Score, os.Reasons)
				}
			}
			pairs++
		}
	}
	if pairs != 9 {
		t.Fatalf("compared %d pairs", pairs)
	}
}

// TestAcrossLanguagesReasonNamesTheTranslations: a Chinese need and an
// English outcome share no word; the dictionary's translations are the
// stated reason and count as text, and stop words are never among them.
func TestAcrossLanguagesReasonNamesTheTranslations(t *testing.T) {
	need := Document{Kind: KindScenario, Description: "低温电解液添加剂", Langs: []string{"zh"}}
	out := Document{ID: "o2", Kind: KindOutcome, Title: "Low-temperature electrolyte additive for lithium batteries",
		Langs: []string{"en"}}
	m := scoreMatch(need, Hit{Document: out}, 1, classContext{}, time.Now())
	var r Reason
	for _, x := range m.Reasons {
		if x.Kind == ReasonBridge {
			r = x
		}
	}
	if r.Points <= 0 || len(r.Terms) == 0 {
		t.Fatalf("no translation reason: %+v", m.Reasons)
	}
	want := map[string]bool{"低温 = low temperature": false, "添加剂 = additive": false}
	for _, term := range r.Terms {
		if _, ok := want[term]; ok {
			want[term] = true
		}
		for _, stop := range []string{"for", "of", "the"} {
			if term == stop || term[len(term)-len(stop):] == " "+stop {
				t.Errorf("stop word %q in the terms %q", stop, r.Terms)
			}
		}
	}
	for term, ok := range want {
		if !ok {
			t.Errorf("the reason's terms %q lack %s", r.Terms, term)
		}
	}
}
