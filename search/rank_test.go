package search

import (
	"slices"
	"testing"
)

func TestNormalizeIPC(t *testing.T) {
	cases := []struct{ in, code, class string }{
		{"H01M 10/54", "H01M 10/54", "H01M"},
		{"h01m10/54", "H01M 10/54", "H01M"},
		{"  H01M   10/54 ", "H01M 10/54", "H01M"},
		{"B64U", "B64U", "B64U"},
		{"H01", "H01", "H01"}, // a class, not a subclass: kept as is
		{"", "", ""},
	}
	for _, c := range cases {
		if got := NormalizeIPC(c.in); got != c.code {
			t.Errorf("NormalizeIPC(%q) = %q, want %q", c.in, got, c.code)
		}
		if got := IPCClass(c.in); got != c.class {
			t.Errorf("IPCClass(%q) = %q, want %q", c.in, got, c.class)
		}
	}
}

func TestTermsOf(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"锂电池回收", []string{"锂电", "电池", "池回", "回收"}},
		{"The Lithium-ion cells of 2024", []string{"lithium", "ion", "cells"}},
		{"锂 battery", []string{"battery"}}, // a lone Han character says too little
		{"SOS方法", []string{"sos", "方法"}},
	}
	for _, c := range cases {
		if got := termsOf(c.in); !slices.Equal(got, c.want) {
			t.Errorf("termsOf(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExpansionTermsPreferFeedbackOverBackground(t *testing.T) {
	doc := func(title string) Document { return Document{Title: title} }
	fb := feedback{
		docs:    []Document{doc("battery cathode recycling"), doc("battery cathode regeneration"), doc("battery anode")},
		weights: []float64{1, 0.9, 0.5},
	}
	var pool []Hit
	for _, d := range fb.docs {
		pool = append(pool, Hit{Document: d})
	}
	for range 5 { // "anode" is common among the other candidates
		pool = append(pool, Hit{Document: doc("battery anode coating")})
	}
	r := DefaultRanking
	got := expansionTerms("battery", fb, pool, r)
	if len(got) == 0 || got[0].Term != "cathode" {
		t.Fatalf("expansion = %+v, want cathode first", got)
	}
	if got[0].Weight != r.ExpandWeight {
		t.Errorf("strongest term weight %v, want %v", got[0].Weight, r.ExpandWeight)
	}
	for _, w := range got {
		if w.Term == "battery" {
			t.Errorf("query term %q offered as expansion", w.Term)
		}
		if w.Term == "recycling" || w.Term == "regeneration" {
			t.Errorf("%q occurs in one feedback hit only, below MinDocs", w.Term)
		}
	}
}

func TestClassPriorAndAgreement(t *testing.T) {
	fb := feedback{
		docs: []Document{
			{IPC: []string{"H01M 10/54", "H01M 6/52"}},
			{IPC: []string{"H01M 4/00"}},
			{IPC: []string{"B64U 10/00"}},
		},
		weights: []float64{1, 1, 0.5},
	}
	prior := classPrior(fb, ipcClasses)
	if got := prior["H01M"]; got != 2/2.5 {
		t.Errorf("prior H01M = %v, want 0.8 (counted once per document)", got)
	}
	if got := agreement(prior, []string{"B64U", "H01M"}); got != 2/2.5 {
		t.Errorf("agreement = %v, want the likeliest class's 0.8", got)
	}
	if got := agreement(prior, []string{"A01B"}); got != 0 {
		t.Errorf("agreement with unseen class = %v, want 0", got)
	}
}
