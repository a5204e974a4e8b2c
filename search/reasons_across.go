package search

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"techbridge/market"
)

// Reasons for a candidate in another language than the subject's.

// acrossLanguages tells whether two listings share no language.
func acrossLanguages(a, b Document) bool {
	la, lb := docLanguages(a), docLanguages(b)
	if len(la) == 0 || len(lb) == 0 {
		return false
	}
	for _, l := range la {
		if slices.Contains(lb, l) {
			return false
		}
	}
	return true
}

func docLanguages(d Document) []string {
	if len(d.Langs) > 0 {
		return d.Langs
	}
	if l := market.DetectLanguage(d.Title + " " + d.Summary + " " + d.Description); l != "" {
		return []string{l}
	}
	return nil
}

// translatedCoverage is the share of a's translatable key terms (title and
// keywords, or all text without them) whose dictionary rendering b holds,
// with the translations found.
func translatedCoverage(a, b Document) (float64, []Translation) {
	lb := docLanguages(b)
	if len(lb) == 0 {
		return 0, nil
	}
	text := a.Title + " " + strings.Join(a.Keywords, " ")
	if strings.TrimSpace(text) == "" {
		text = a.Summary + " " + a.Description
	}
	ts := Translate(text, lb[0])
	if len(ts) == 0 {
		return 0, nil
	}
	terms := map[string]bool{}
	for _, t := range ts {
		terms[t.From] = true
	}
	found := translationsIn(ts, b)
	hit := map[string]bool{}
	for _, t := range found {
		hit[t.From] = true
	}
	return float64(len(hit)) / float64(len(terms)), found
}

// bridgeReason scores a candidate in another language: the mean share of
// each side's key terms whose translation the other holds; for a need (not
// pair) the chance of a shared class that the bridge estimated counts when
// it is higher. The reason names the translated terms and the bridged
// classes.
func bridgeReason(subject Document, h Hit, pair bool) Reason {
	fwd, ft := translatedCoverage(subject, h.Document)
	back, bt := translatedCoverage(h.Document, subject)
	cov := (fwd + back) / 2
	r := Reason{Kind: ReasonBridge, Coverage: math.Round(cov*1e3) / 1e3}
	seen := map[string]bool{}
	for _, t := range ft {
		if k := t.From + " = " + t.To; !seen[k] {
			seen[k] = true
			r.Terms = append(r.Terms, k)
		}
	}
	for _, t := range bt {
		if k := t.To + " = " + t.From; !seen[k] { // the subject's language first
			seen[k] = true
			r.Terms = append(r.Terms, k)
		}
	}
	if len(r.Terms) > maxReasonTerms {
		r.Terms = r.Terms[:maxReasonTerms]
	}
	share := cov
	var from string
	if b := h.Bridge; b != nil {
		r.Codes, from = b.Classes, b.From
		if !pair {
			share = max(share, min(max(b.Chance, 0), 1))
		}
	}
	r.Points = WeightText / 2 * share
	var parts []string
	if len(r.Terms) > 0 {
		parts = append(parts, "translated terms "+strings.Join(r.Terms, ", "))
	}
	if len(r.Codes) > 0 {
		parts = append(parts, fmt.Sprintf("in IPC %s, the subclass of the best %s matches", strings.Join(r.Codes, ", "), from))
	}
	if len(parts) > 0 {
		r.Detail = "written in another language; " + strings.Join(parts, "; ")
	}
	return r
}
