package search

import (
	"testing"
	"time"
)

// TestRankingScoresEqualExplainedScores: a candidate ranked without its
// reasons scores exactly what it scores with them written out, and carries
// none, so the pool is ranked cheaply and only the page shown is explained.
func TestRankingScoresEqualExplainedScores(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	subject := Document{Kind: KindScenario, Title: "新能源汽车退役动力电池回收利用", Keywords: []string{"动力电池", "回收"},
		Description: "需要自动拆解与梯次利用方案", IPC: []string{"H01M 10/54"}, TRL: 5, PriceMax: 1_000_000, Currency: "CNY", Region: "上海市"}
	cands := []Hit{
		{Document: Document{Kind: KindOutcome, Title: "动力电池自动拆解回收", Keywords: []string{"动力电池"}, IPC: []string{"H01M 10/54"},
			TRL: 6, PriceMin: 500_000, PriceMax: 900_000, Currency: "CNY", Region: "上海市 / 嘉定", PublishedAt: now.AddDate(0, 0, -3)}, Terms: []string{"动力电池"}},
		{Document: Document{Kind: KindOutcome, Title: "智能灌溉系统", Field: "agriculture", TRL: 3, PriceMin: 5_000_000, Currency: "CNY",
			PublishedAt: now.AddDate(-1, 0, 0), FreshUntil: now.AddDate(0, -2, 0)}},
		{Document: Document{Kind: KindOutcome, Title: "Battery recycling", IPC: []string{"H01M 6/52"}}, Bridge: &Bridge{Chance: 0.6, Classes: []string{"H01M"}, From: "zh"}},
		{Document: Document{Kind: KindOutcome, Title: "电池梯次利用", Region: "北京市"}},
	}
	st := termsOfSubject(subject)
	classes := inferClasses(cands, matchFeedback)
	for i, h := range cands {
		rel := 1 - float64(i)/10
		full := scoreMatch(subject, h, rel, classes, now)
		cheap := scoreCandidate(subject, st, h, rel, classes, now, false)
		if cheap.Score != full.Score {
			t.Errorf("candidate %d (%s): ranked at %.1f, explained at %.1f", i, h.Title, cheap.Score, full.Score)
		}
		if len(cheap.Reasons) != 0 || len(cheap.Gaps) != 0 {
			t.Errorf("candidate %d: reasons written while ranking: %+v %+v", i, cheap.Reasons, cheap.Gaps)
		}
		if len(full.Reasons)+len(full.Gaps) == 0 {
			t.Errorf("candidate %d: explained without reasons", i)
		}
	}
}
