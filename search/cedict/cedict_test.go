package cedict

import (
	"slices"
	"testing"
)

func TestSegmentCutsTheDemoNeedIntoDictionaryWords(t *testing.T) {
	got := Segment("低温电解液添加剂")
	if want := []string{"低温", "电解液", "添加剂"}; !slices.Equal(got, want) {
		t.Fatalf("Segment = %q, want %q", got, want)
	}
	if got := Segment("锂x"); len(got) != 2 {
		t.Fatalf("unknown characters stand alone: %q", got)
	}
}

func TestEnglishAndChineseTranslateTerms(t *testing.T) {
	if got := English("添加剂"); len(got) == 0 || got[0] != "additive" {
		t.Fatalf("English(添加剂) = %q", got)
	}
	if got := English("电"); got != nil {
		t.Fatalf("single characters are not listed: %q", got)
	}
	for phrase, want := range map[string]string{"battery": "电池", "Batteries": "电池", "electrolyte": "电解质", "additives": "添加剂"} {
		if got := Chinese(phrase); !slices.Contains(got, want) {
			t.Errorf("Chinese(%q) = %q, want %s among them", phrase, got, want)
		}
	}
	if got := Chinese("battery"); slices.Contains(got, "炮台") {
		t.Errorf("a second sense (a battery of guns) is not the translation: %q", got)
	}
}
