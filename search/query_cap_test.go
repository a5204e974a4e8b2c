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
	if got := CapTerms(short, MaxQueryTerms); got != short {
		t.Fatalf("short text changed: %q", got)
	}
	var sb strings.Builder
	for i := range 200 {
		sb.WriteString("锂电池隔膜")
		sb.WriteString(string(rune(0x4e00 + i*7)))
		sb.WriteString(string(rune(0x4e01 + i*11)))
		sb.WriteString("。")
	}
	long := sb.String()
	got := CapTerms(long, MaxQueryTerms)
	terms := termsOf(got)
	if len(terms) != MaxQueryTerms {
		t.Fatalf("%d terms after the cap, want %d: %q", len(terms), MaxQueryTerms, got)
	}
	for _, want := range []string{"锂电", "电池", "池隔", "隔膜"} {
		if !strings.Contains(" "+got+" ", " "+want+" ") {
			t.Errorf("the recurring term %q was dropped: %q", want, got)
		}
	}
	if again := CapTerms(got, MaxQueryTerms); again != got {
		t.Errorf("capping twice changed the text: %q", again)
	}
}
