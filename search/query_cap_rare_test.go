package search

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// docFreqs is an Engine that counts documents per term from a table.
type docFreqs struct {
	Engine
	df map[string]int
	n  int
}

func (d docFreqs) DocFrequencies(_ context.Context, terms []string) (map[string]int, int, error) {
	out := map[string]int{}
	for _, t := range terms {
		out[t] = d.df[t]
	}
	return out, d.n, nil
}

// TestCapRarestKeepsTheRarestTerms: among terms as frequent in the text,
// the cap keeps those fewest listings hold (CapTerms, frequency alone,
// keeps the earliest); a term no listing holds comes last; a frequent
// term outweighs a slightly rarer one; without a TermCounter the cap is
// CapTerms.
func TestCapRarestKeepsTheRarestTerms(t *testing.T) {
	// Eight words, each once; 技术 and 系统 are in most listings.
	text := "技术 系统 方法 电池 隔膜 回收 钴酸 浸出"
	df := map[string]int{"技术": 9000, "系统": 8000, "方法": 7000, "电池": 900, "隔膜": 90, "回收": 400, "钴酸": 20, "浸出": 0}
	e := docFreqs{df: df, n: 10000}
	got, err := CapRarest(context.Background(), e, text, 4)
	if err != nil {
		t.Fatal(err)
	}
	if want := "钴酸 隔膜 回收 电池"; got != want {
		t.Errorf("kept %q, want the rarest held terms %q", got, want)
	}
	if old := CapTerms(text, 4); old != "技术 系统 方法 电池" {
		t.Errorf("CapTerms kept %q, want the earliest four", old)
	}
	got, _ = CapRarest(context.Background(), e, text, 7)
	if !strings.HasSuffix(got, "技术") || strings.Contains(got, "浸出") {
		t.Errorf("kept %q: the term no listing holds must come after every held one", got)
	}
	// 电池 six times (idf 2.4 each) outweighs 钴酸 once (idf 6.2).
	got, _ = CapRarest(context.Background(), e, strings.Repeat("电池 ", 5)+text, 1)
	if got != "电池" {
		t.Errorf("kept %q, want the recurring 电池", got)
	}
	// Only the MaxQueryTerms most frequent terms are weighed: a rare term
	// seen once among 70 seen twice is not looked up.
	var sb strings.Builder
	for i := range 70 {
		sb.WriteString(fmt.Sprintf("word%da word%da ", i, i))
	}
	sb.WriteString("钴酸")
	if got, _ := CapRarest(context.Background(), e, sb.String(), 4); strings.Contains(got, "钴酸") {
		t.Errorf("kept %q: a term outside the most frequent was weighed", got)
	}
	if got, _ := CapRarest(context.Background(), nil, text, 4); got != CapTerms(text, 4) {
		t.Errorf("without a TermCounter: %q", got)
	}
	if got, _ := CapRarest(context.Background(), e, "电池 隔膜", 4); got != "电池 隔膜" {
		t.Errorf("a short text changed: %q", got)
	}
}
