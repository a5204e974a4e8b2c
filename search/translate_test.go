package search

import (
	"slices"
	"testing"

	"techbridge/market"
)

func TestTranslateRendersTermsBothWays(t *testing.T) {
	got := Translate("低温电解液添加剂", market.LangEN)
	var to []string
	for _, tr := range got {
		to = append(to, tr.From+"="+tr.To)
	}
	for _, want := range []string{"低温=low temperature", "电解液=electrolyte solution", "添加剂=additive"} {
		if !slices.Contains(to, want) {
			t.Errorf("Translate zh→en = %q, want %s among them", to, want)
		}
	}
	to = nil
	for _, tr := range Translate("An electrolyte additive for the lithium battery", market.LangZH) {
		to = append(to, tr.From+"="+tr.To)
	}
	for _, want := range []string{"electrolyte=电解质", "additive=添加剂", "lithium battery=锂电池"} {
		if !slices.Contains(to, want) {
			t.Errorf("Translate en→zh = %q, want %s among them", to, want)
		}
	}
	for _, tr := range Translate("the of and for example", market.LangZH) {
		if tr.From != "example" {
			t.Errorf("a phrase with a function word was translated: %+v", tr)
		}
	}
	for _, tr := range Translate("the of and for", market.LangZH) {
		t.Errorf("a function word was translated: %+v", tr)
	}
	for _, tr := range Translate("一种用于", market.LangEN) {
		t.Errorf("boilerplate was translated: %+v", tr)
	}
}

func TestTranslationsInNamesOnlyWhatTheListingHolds(t *testing.T) {
	ts := Translate("低温电解液添加剂", market.LangEN)
	d := Document{Title: "Electrolyte additives for low-temperature lithium batteries"}
	got := translationsIn(ts, d)
	var from []string
	for _, tr := range got {
		from = append(from, tr.From)
	}
	if !slices.Contains(from, "添加剂") || !slices.Contains(from, "低温") {
		t.Fatalf("translationsIn = %+v", got)
	}
	for _, tr := range got {
		if tr.To == "electrolyte solution" {
			t.Fatalf("a rendering the listing lacks a word of was named: %+v", got)
		}
	}
}
