package search

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// A match score is out of 100 and adds up the reasons below; each reason
// states its share, so a reader sees why one listing ranks above another.
// Text relevance weighs most because candidates come from a text search, and
// the structure a listing carries (classes, TRL, price, region, freshness)
// separates the text-alike ones. A fact that is unknown on either side
// (no TRL stated, a negotiable price) counts half its weight: it neither
// recommends nor rules out a listing.
const (
	WeightText      = 50
	WeightIPC       = 12
	WeightField     = 8
	WeightTRL       = 10
	WeightPrice     = 10
	WeightRegion    = 5
	WeightFreshness = 5
)

// Reason kinds.
const (
	ReasonText      = "text"
	ReasonIPC       = "ipc"
	ReasonField     = "field"
	ReasonTRL       = "trl"
	ReasonPrice     = "price"
	ReasonRegion    = "region"
	ReasonFreshness = "freshness"
)

// Reason is one explained part of a match score. Reasons list what speaks
// for a match; Gaps (same type) list what speaks against it.
type Reason struct {
	Kind   string
	Points float64 // share of the match score, 0..the kind's weight
	// Terms are the matched words (text reasons).
	Terms []string
	// Codes are the shared IPC subclasses or field codes (ipc and field reasons).
	Codes []string
	// Inferred marks classes that the subject does not state but that its
	// strongest text hits are in.
	Inferred bool
	// Coverage is the share of each side's title and keyword terms found in
	// the other side (text reasons), 0..1.
	Coverage float64
	// Want and Have are the compared values of trl and price reasons: the
	// scenario's minimum TRL or budget maximum, and the outcome's TRL or
	// asking price minimum (minor units of Currency).
	Want, Have int64
	Currency   string
	// Days is the age of the listing's publication (freshness), or days
	// left before a scenario's deadline when that is the point.
	Days int
	// Detail says the reason in one English sentence; pages render their
	// own words from the fields above.
	Detail string
}

// ReasonBridge explains a listing in another language than the subject's,
// found through the IPC subclasses of the subject's own-language matches.
const ReasonBridge = "bridge"

// classContext is what the best text hits say about a query's likely IPC
// subclasses and fields, for subjects that state none.
type classContext struct {
	ipc   map[string]float64
	field map[string]float64
}

// inferClasses takes the likely classes from the best hits, the way the
// ranking Service does for its own re-ranking.
func inferClasses(hits []Hit, n int) classContext {
	fb := feedbackOf(hits, n)
	return classContext{
		ipc: classPrior(fb, ipcClasses),
		field: classPrior(fb, func(d Document) []string {
			if d.Field == "" || d.Field == matchFieldOther {
				return nil
			}
			return []string{d.Field}
		}),
	}
}

// matchFieldOther is the catch-all field code; sharing it says nothing.
const matchFieldOther = "other"

// textReason scores text relevance: half the engine's score relative to the
// best hit (rel, 0..1), half the coverage of each side's title and keyword
// terms in the other side, which does not depend on the other hits and so
// can be compared with a fixed threshold (see Match.Strong).
//
// A negative rel (between two listings, see scoreMatch) leaves the engine
// score out: the coverage alone counts, fully.
func textReason(subject, cand Document, rel float64, engineTerms []string) Reason {
	r := textPoints(termsOfSubject(subject), cand, rel)
	for _, t := range engineTerms {
		if IsKeyTerm(t) {
			r.Terms = append(r.Terms, t)
		}
	}
	if len(r.Terms) == 0 {
		r.Terms = sharedTerms(subject, cand)
	}
	if len(r.Terms) > maxReasonTerms {
		r.Terms = r.Terms[:maxReasonTerms]
	}
	r.Detail = fmt.Sprintf("text matches on %s (%.0f%% of the key terms)", strings.Join(r.Terms, ", "), 100*r.Coverage)
	if len(r.Terms) == 0 {
		r.Detail = "no key terms in common" // found through related words only
	}
	return r
}

const maxReasonTerms = 8

// subjectTerms are a subject's terms, cut once for all its candidates.
type subjectTerms struct{ strong, all map[string]bool }

func termsOfSubject(d Document) subjectTerms {
	return subjectTerms{strong: strongTerms(d), all: allTerms(d)}
}

// textPoints is the text reason without its words: its points and
// coverage (a negative rel: the coverage alone, see textReason).
func textPoints(subject subjectTerms, cand Document, rel float64) Reason {
	cov := (coverage(subject.strong, allTerms(cand)) + coverage(strongTerms(cand), subject.all)) / 2
	r := Reason{Kind: ReasonText, Points: WeightText * cov, Coverage: cov}
	if rel >= 0 {
		r.Points = WeightText * (min(rel, 1) + cov) / 2
	}
	return r
}

// strongTerms are the terms of the title and keywords, or of all text when
// a subject has neither (free text is put in Description).
func strongTerms(d Document) map[string]bool {
	out := map[string]bool{}
	for _, t := range termsOf(d.Title + " " + strings.Join(d.Keywords, " ")) {
		out[t] = true
	}
	if len(out) == 0 {
		return allTerms(d)
	}
	return out
}

func allTerms(d Document) map[string]bool {
	out := map[string]bool{}
	for t := range docTerms(d) {
		out[t] = true
	}
	return out
}

// coverage is the share of terms found in set.
func coverage(terms, set map[string]bool) float64 {
	if len(terms) == 0 {
		return 0
	}
	n := 0
	for t := range terms {
		if set[t] {
			n++
		}
	}
	return float64(n) / float64(len(terms))
}

// sharedTerms lists the candidate's strong terms also in the subject, for
// engines that report no matched words; heaviest first.
func sharedTerms(subject, cand Document) []string {
	in := allTerms(subject)
	w := docTerms(cand)
	var out []string
	for t := range w {
		if in[t] {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if w[out[i]] != w[out[j]] {
			return w[out[i]] > w[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// ipcReason scores shared IPC subclasses: stated ones count fully, a shared
// class (H01) half; for a subject without codes, the likelihood of the
// candidate's subclasses among the best hits counts, at most 80%.
func ipcReason(subject, cand Document, ctx classContext) (Reason, bool) {
	cc := ipcClasses(cand)
	if len(cc) == 0 {
		return Reason{}, false
	}
	sc := ipcClasses(subject)
	if shared := sharedCodes(sc, cc); len(shared) > 0 {
		return Reason{Kind: ReasonIPC, Points: WeightIPC, Codes: shared,
			Detail: "same IPC subclass " + strings.Join(shared, ", ")}, true
	}
	if shared := sharedCodes(ipcSections(sc), ipcSections(cc)); len(shared) > 0 {
		return Reason{Kind: ReasonIPC, Points: WeightIPC / 2, Codes: shared,
			Detail: "same IPC class " + strings.Join(shared, ", ")}, true
	}
	if len(sc) > 0 {
		return Reason{}, false
	}
	best, code := 0.0, ""
	for _, c := range cc {
		if p := ctx.ipc[c]; p > best {
			best, code = p, c
		}
	}
	if best < minInferred {
		return Reason{}, false
	}
	return Reason{Kind: ReasonIPC, Points: WeightIPC * 0.8 * best, Codes: []string{code}, Inferred: true,
		Detail: fmt.Sprintf("in IPC subclass %s, where %.0f%% of the best text matches are", code, 100*best)}, true
}

// minInferred is the least share of the best hits a class needs before it
// is named as a reason; below it the guess is noise.
const minInferred = 0.3

// fieldReason scores the technology field the same way.
func fieldReason(subject, cand Document, ctx classContext) (Reason, bool) {
	if cand.Field == "" || cand.Field == matchFieldOther {
		return Reason{}, false
	}
	if subject.Field == cand.Field {
		return Reason{Kind: ReasonField, Points: WeightField, Codes: []string{cand.Field},
			Detail: "same technology field " + cand.Field}, true
	}
	if subject.Field != "" && subject.Field != matchFieldOther {
		return Reason{}, false
	}
	p := ctx.field[cand.Field]
	if p < minInferred {
		return Reason{}, false
	}
	return Reason{Kind: ReasonField, Points: WeightField * 0.8 * p, Codes: []string{cand.Field}, Inferred: true,
		Detail: fmt.Sprintf("in field %s, where %.0f%% of the best text matches are", cand.Field, 100*p)}, true
}

func ipcSections(subclasses []string) []string {
	var out []string
	for _, c := range subclasses {
		if len(c) >= 3 && !hasCode(out, c[:3]) {
			out = append(out, c[:3])
		}
	}
	return out
}

func sharedCodes(a, b []string) []string {
	var out []string
	for _, x := range a {
		if hasCode(b, x) && !hasCode(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func hasCode(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// sides returns the outcome and the scenario of a pair, whichever is the
// subject; ok is false when both are of one kind (no TRL or budget to compare).
func sides(subject, cand Document) (outcome, scenario Document, ok bool) {
	switch {
	case subject.Kind == KindScenario && cand.Kind == KindOutcome:
		return cand, subject, true
	case subject.Kind == KindOutcome && cand.Kind == KindScenario:
		return subject, cand, true
	}
	return Document{}, Document{}, false
}

// trlReason compares the outcome's TRL with the scenario's minimum: meeting
// it counts fully, one level short 40% (pilots often close one level), more
// nothing. Unknown on either side: half, and neither reason nor gap.
func trlReason(outcome, scenario Document) (r Reason, gap bool) {
	if outcome.TRL == 0 || scenario.TRL == 0 {
		return Reason{Kind: ReasonTRL, Points: WeightTRL / 2}, false
	}
	r = Reason{Kind: ReasonTRL, Want: int64(scenario.TRL), Have: int64(outcome.TRL)}
	switch {
	case outcome.TRL >= scenario.TRL:
		r.Points = WeightTRL
		r.Detail = fmt.Sprintf("TRL %d meets the minimum of %d", outcome.TRL, scenario.TRL)
		return r, false
	case outcome.TRL == scenario.TRL-1:
		r.Points = WeightTRL * 0.4
	}
	r.Detail = fmt.Sprintf("TRL %d is below the minimum of %d", outcome.TRL, scenario.TRL)
	return r, true
}

// priceReason compares the outcome's asking price with the scenario's
// budget in one currency: an asking range within the budget counts fully,
// one that starts within it 60%, one above it nothing. A negotiable side,
// a budget without maximum or two currencies: half, no reason.
func priceReason(outcome, scenario Document) (r Reason, gap bool) {
	neutral := Reason{Kind: ReasonPrice, Points: WeightPrice / 2}
	if outcome.PriceMin == 0 && outcome.PriceMax == 0 || scenario.PriceMax == 0 {
		return neutral, false
	}
	if outcome.Currency != "" && scenario.Currency != "" && outcome.Currency != scenario.Currency {
		return neutral, false
	}
	ask := outcome.PriceMin
	top := max(outcome.PriceMax, outcome.PriceMin)
	if ask == 0 {
		ask = top
	}
	r = Reason{Kind: ReasonPrice, Want: scenario.PriceMax, Have: ask, Currency: currencyOf(scenario.Currency, outcome.Currency)}
	switch {
	case top <= scenario.PriceMax:
		r.Points = WeightPrice
		r.Detail = "asking price within budget"
		return r, false
	case ask <= scenario.PriceMax:
		r.Points = WeightPrice * 0.6
		r.Detail = "asking price starts within budget"
		return r, false
	}
	r.Detail = "asking price above budget"
	return r, true
}

func currencyOf(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// regionReason counts listings of one region (the first part of "上海市 /
// 张江科学城", without 市 or 省), where a visit and a pilot are easier.
func regionReason(subject, cand Document) (Reason, bool) {
	a, b := regionKey(subject.Region), regionKey(cand.Region)
	if a == "" || b == "" || !(strings.HasPrefix(a, b) || strings.HasPrefix(b, a)) {
		return Reason{}, false
	}
	// Only what both share is named: 上海市 / 张江 and 上海市 / 嘉定 are
	// the same city, not the same district.
	shared := cand.Region
	if strings.TrimSpace(subject.Region) != strings.TrimSpace(cand.Region) {
		city, _, _ := strings.Cut(cand.Region, "/")
		shared = strings.TrimSpace(city)
	}
	return Reason{Kind: ReasonRegion, Points: WeightRegion, Codes: []string{shared},
		Detail: "same region " + shared}, true
}

func regionKey(r string) string {
	r, _, _ = strings.Cut(r, "/")
	r = strings.ToLower(strings.TrimSpace(r))
	for _, suffix := range []string{"市", "省", "自治区", " city", " province"} {
		r = strings.TrimSuffix(r, suffix)
	}
	return r
}

// Freshness: listings published within freshDays count fully, older ones
// half; an outcome past its fresh_until (its owner has not confirmed it is
// still available) counts nothing and shows as a gap.
const freshDays = 180

func freshnessReason(cand Document, now time.Time) (r Reason, gap bool) {
	r = Reason{Kind: ReasonFreshness}
	if !cand.PublishedAt.IsZero() {
		r.Days = int(now.Sub(cand.PublishedAt).Hours() / 24)
	}
	if cand.Kind == KindOutcome && !cand.FreshUntil.IsZero() && now.After(cand.FreshUntil.Add(24*time.Hour)) {
		r.Detail = "not confirmed as available since " + cand.FreshUntil.Format(time.DateOnly)
		return r, true
	}
	if cand.PublishedAt.IsZero() || r.Days > freshDays {
		r.Points = WeightFreshness / 2
		return r, false
	}
	r.Points = WeightFreshness
	r.Detail = fmt.Sprintf("published %d days ago", r.Days)
	return r, false
}
