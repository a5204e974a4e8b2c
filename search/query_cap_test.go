package search

import (
	"strings"
	"testing"
)

// TestCapTerms: a long text is reduced to its most frequent terms, at most
// the cap, and the terms analyse back to themselves; a short one is left
// as it is.
func TestCapTerms(t *testing.T) {
	short := "固态电池 electrolyte"
	if got := CapQuery(short); got != short {
		t.Fatalf("short text changed: %q", got)
	}
	title := "一种基于平方和优化的飞行器大角度机动镇定控制器设计方法与系统及其在航天器姿态控制中的应用"
	if got := CapQuery(title); got != title {
		t.Fatalf("a long title was cut: %q", got)
	}
	var sb strings.Builder
	for i := range 200 {
		sb.WriteString("锂电池隔膜")
		sb.WriteString(string(rune(0x4e00 + i*7)))
		sb.WriteString(string(rune(0x4e01 + i*11)))
		sb.WriteString("。")
	}
	long := sb.String()
	got := CapQuery(long)
	terms := termsOf(got)
	if len(terms) != QueryTermsKept {
		t.Fatalf("%d terms after the cap, want %d: %q", len(terms), QueryTermsKept, got)
	}
	for _, want := range []string{"锂电", "电池", "池隔", "隔膜"} {
		if !strings.Contains(" "+got+" ", " "+want+" ") {
			t.Errorf("the recurring term %q was dropped: %q", want, got)
		}
	}
	if again := CapQuery(got); again != got {
		t.Errorf("capping twice changed the text: %q", again)
	}
}
