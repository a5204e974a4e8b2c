package search

import (
	"context"
	"slices"
	"sort"
	"strings"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
)

// Match is one published listing matched to a subject (a scenario, an
// outcome or a described need), with its score out of 100 and the reasons
// that add up to it.
type Match struct {
	Hit              // the matched listing, its engine score, highlights and matched words
	Score   float64  // 0..100, the sum of the reasons' points
	Reasons []Reason // what speaks for the match, strongest first
	Gaps    []Reason // what speaks against it: TRL below the minimum, price above budget, not confirmed

	rel float64 // the engine score relative to the best hit, kept to explain the match later
}

// Alert thresholds: a match worth telling an owner about unprompted scores
// at least AlertScore and shares at least AlertCoverage of the key terms.
// The coverage floor matters because text relevance is half relative to the
// best hit, which is always 1 even when the best hit is poor.
const (
	AlertScore    = 60
	AlertCoverage = 0.3
)

// Strong reports whether a match passes the alert thresholds.
func (m Match) Strong() bool {
	return m.Score >= AlertScore && m.TextCoverage() >= AlertCoverage
}

// TextCoverage returns the coverage of the text reason, 0 without one.
func (m Match) TextCoverage() float64 {
	for _, r := range m.Reasons {
		if r.Kind == ReasonText {
			return r.Coverage
		}
	}
	return 0
}

// scoreMatch scores a candidate hit for subject and explains the score:
// rel is its engine score relative to the best hit, classes what the best
// hits say about the subject's classes. Neutral half points for unknown
// facts count in the score but are not listed as reasons.
//
// Between two listings (a subject with an id) the score is the pair's
// alone, so a scenario's matches and an outcome's "who needs this" agree on
// it: rel, classes and the bridge's class chance, which depend on which side
// asked and on the other candidates, are not counted, and the text counts by
// the two sides' shared key terms (coverage, both ways). A described need
// has no listing to answer back: it counts them too.
func scoreMatch(subject Document, h Hit, rel float64, classes classContext, now time.Time) Match {
	return scoreCandidate(subject, termsOfSubject(subject), h, rel, classes, now, true)
}

// scoreCandidate is scoreMatch over the subject's terms cut once; without
// explain it adds up the same points but lists no reasons, so a pool of
// candidates is ranked without writing reasons for those not shown.
func scoreCandidate(subject Document, st subjectTerms, h Hit, rel float64, classes classContext, now time.Time, explain bool) Match {
	m := Match{Hit: h, rel: rel}
	pair := subject.ID != ""
	if pair {
		rel, classes = -1, classContext{}
	}
	add := func(r Reason, gap bool) {
		m.Score += r.Points
		switch {
		case !explain:
		case gap:
			m.Gaps = append(m.Gaps, r)
		case r.Detail != "":
			m.Reasons = append(m.Reasons, r)
		}
	}
	switch {
	case acrossLanguages(subject, h.Document) || (!pair && h.Bridge != nil):
		// Across languages the dictionary's translations stand in for
		// shared words, and for a need also the bridge's estimated chance
		// of a shared class; either counts as text relevance at most half.
		add(bridgeReason(subject, h, pair), false)
	case explain:
		text := textReason(subject, h.Document, rel, h.Terms)
		add(text, len(text.Terms) == 0) // nothing shared in so many words speaks against a match
	default:
		add(textPoints(st, h.Document, rel), false)
	}
	if r, ok := ipcReason(subject, h.Document, classes); ok {
		add(r, false)
	}
	if r, ok := fieldReason(subject, h.Document, classes); ok {
		add(r, false)
	}
	fresh := h.Document
	if o, s, ok := sides(subject, h.Document); ok {
		add(trlReason(o, s))
		add(priceReason(o, s))
		if pair {
			fresh = o // whether the outcome is still available, whichever side asks
		}
	}
	if r, ok := regionReason(subject, h.Document); ok {
		add(r, false)
	}
	add(freshnessReason(fresh, now))
	sort.SliceStable(m.Reasons, func(i, j int) bool { return m.Reasons[i].Points > m.Reasons[j].Points })
	m.Score = float64(int(m.Score*10+0.5)) / 10 // one decimal, so equal-looking scores are equal
	return m
}

// Matcher ranks listings for a subject with the ranking Service and
// explains every match. It loads subjects through the market Service, so a
// caller matches only what it may see.
type Matcher struct {
	Search *Service
	// Market loads scenarios and outcomes by id; only For… methods need it.
	Market *market.Service
	// Now is the clock for freshness and deadlines; nil means time.Now.
	Now func() time.Time
}

// GroupOrganization ranks organisations instead of listings.
const GroupOrganization = "organization"

// NeedTermsKept bounds a described need: one of more than MaxQueryTerms
// distinct terms (a pasted paragraph) is matched by its NeedTermsKept
// strongest, frequent in the text and rare in the index (CapRarest), half
// a search's QueryTermsKept: the need is ranked once in its own language
// and once more on its dictionary renderings, each term a posting list
// (and its characters two more) over every listing.
const NeedTermsKept = 16

// Match limits: a shortlist, not a search result to page through.
const (
	DefaultMatches = 10
	MaxMatches     = 50
	matchPool      = 100 // candidates scored per subject
	matchFeedback  = 10  // best hits that say which classes a subject is in
	matchAcross    = 20  // candidates in the other language, bridged through classes
	orgBestItems   = 3   // best matches shown per organisation
)

// MatchOptions narrows and shapes a match request.
type MatchOptions struct {
	Limit int    // matches or organisations; 0 = DefaultMatches, at most MaxMatches
	Group string // "" or GroupOrganization
	// Filter narrows the candidates: Field, IPCPrefix, Region, OrgKind,
	// TransferMode, TRLMin/TRLMax and PriceMin/PriceMax are applied; its text,
	// kinds, paging and sort are the matcher's.
	Filter Query
}

// OrgMatch is an organisation ranked by its best matches.
type OrgMatch struct {
	OrgID   string
	OrgName string
	// OrgNameEN is the English name, "" when none (see Document.OrgNameIn).
	OrgNameEN string
	OrgKind   string
	// Score is the best match's plus a tenth of the second's and a
	// twentieth of the third's, at most 100: several relevant listings make
	// a likelier partner, but never outweigh one clearly better listing.
	Score   float64
	Matches int     // how many of its listings matched
	Best    []Match // its best matches, at most three
}

// MatchResult is the ranked answer for one subject.
type MatchResult struct {
	Subject       Document
	Matches       []Match    // when not grouped
	Organizations []OrgMatch // when grouped by organisation
}

func (m *Matcher) now() time.Time {
	if m.Now != nil {
		return m.Now().UTC()
	}
	return time.Now().UTC()
}

// ForScenario ranks published outcomes for a scenario the actor may see:
// anyone for a published scenario (its matches are published outcomes that
// anyone could find by searching), only its owner and reviewers for a draft
// or any other status (ENOTFOUND for others, as the market does).
func (m *Matcher) ForScenario(ctx context.Context, actor market.Actor, id string, opt MatchOptions) (MatchResult, error) {
	sc, err := m.Market.Scenario(ctx, actor, id)
	if err != nil {
		return MatchResult{}, err
	}
	org, err := m.Market.Organization(ctx, actor, sc.OrgID)
	if err != nil {
		return MatchResult{}, err
	}
	return m.Match(ctx, ScenarioSubject(sc, org), opt)
}

// ForOutcome ranks open published scenarios for an outcome the actor may
// see. Outsiders match a confidential outcome by its teaser only, so the
// matched words never reveal its hidden description.
func (m *Matcher) ForOutcome(ctx context.Context, actor market.Actor, id string, opt MatchOptions) (MatchResult, error) {
	o, err := m.Market.Outcome(ctx, actor, id)
	if err != nil {
		return MatchResult{}, err
	}
	org, err := m.Market.Organization(ctx, actor, o.OrgID)
	if err != nil {
		return MatchResult{}, err
	}
	return m.Match(ctx, OutcomeSubject(o, org), opt)
}

// ForNeed ranks listings for a described need (the "describe your need"
// box), open to anonymous callers.
func (m *Matcher) ForNeed(ctx context.Context, need Need, opt MatchOptions) (MatchResult, error) {
	subject, filter, err := need.subject()
	if err != nil {
		return MatchResult{}, err
	}
	// The described need is the query and the side every candidate's
	// reasons are measured against: cut once here to its strongest terms,
	// not per candidate.
	if len(countTerms(subject.Description).distinct) > MaxQueryTerms {
		if subject.Description, err = CapRarest(ctx, m.Search.Engine, subject.Description, NeedTermsKept); err != nil {
			return MatchResult{}, err
		}
	}
	opt.Filter = filter
	return m.Match(ctx, subject, opt)
}

// Match ranks the listings of the other kind than subject (outcomes for a
// scenario, scenarios for an outcome): candidates come from the ranking
// Service (pseudo-relevance feedback and class bonus included), each is
// scored with reasons, and the list is re-sorted by match score. Listings
// of the subject's own organisation and scenarios past their deadline are
// left out.
func (m *Matcher) Match(ctx context.Context, subject Document, opt MatchOptions) (MatchResult, error) {
	if err := opt.validate(); err != nil {
		return MatchResult{}, err
	}
	out := MatchResult{Subject: subject}
	q := subjectQuery(subject, opt.Filter)
	if strings.TrimSpace(q.Text) == "" {
		return out, nil
	}
	res, err := m.Search.Search(ctx, q)
	if err != nil {
		return MatchResult{}, err
	}
	// Matching scores text by the terms two listings share, and a listing
	// the latent pass brought shares none (Hit.Related): it is a search
	// result, not a match with a reason.
	hits := slices.DeleteFunc(res.Hits, func(h Hit) bool { return h.Related != nil })
	// Listings in the other language share no words with the subject: the
	// ranking Service bridges to them through the classes of the subject's
	// own-language hits, which are the candidates just ranked (not ranked
	// again), and they join the candidates with that reason.
	if from := subjectLanguage(subject, q.Text); from != "" {
		across := q
		across.Lang, across.Limit, across.Highlight = market.OtherLanguage(from), matchAcross, false
		more, err := m.Search.SearchAcross(ctx, across, res.Hits)
		if err != nil {
			return MatchResult{}, err
		}
		seen := make(map[string]bool, len(hits))
		for _, h := range hits {
			seen[h.ID] = true
		}
		for _, h := range more.Hits {
			if !seen[h.ID] && h.Bridge != nil {
				hits = append(hits, h)
			}
		}
	}
	matches, explain := m.scoreAll(subject, hits)
	limit := opt.Limit
	if limit <= 0 {
		limit = DefaultMatches
	}
	if opt.Group == GroupOrganization {
		out.Organizations = groupByOrg(matches, limit)
		for i := range out.Organizations {
			for j, b := range out.Organizations[i].Best {
				out.Organizations[i].Best[j] = explain(b)
			}
		}
		return out, nil
	}
	out.Matches = matches[:min(limit, len(matches))]
	for i, mt := range out.Matches {
		out.Matches[i] = explain(mt)
	}
	return out, nil
}

// scoreAll scores the candidates and sorts them by match score, the
// ranking's order breaking ties. The matches carry their scores only;
// explain adds the reasons to one of them (the same score, written out),
// for the matches shown.
func (m *Matcher) scoreAll(subject Document, hits []Hit) (matches []Match, explain func(Match) Match) {
	now := m.now()
	today := now.Truncate(24 * time.Hour)
	classes := inferClasses(sameLanguage(hits), matchFeedback)
	st := termsOfSubject(subject)
	explain = func(c Match) Match { return scoreCandidate(subject, st, c.Hit, c.rel, classes, now, true) }
	if len(hits) == 0 {
		return nil, explain
	}
	top := hits[0].Score
	var out []Match
	for _, h := range hits {
		if subject.OrgID != "" && h.OrgID == subject.OrgID {
			continue
		}
		if h.Kind == KindScenario && !h.Deadline.IsZero() && today.After(h.Deadline) {
			continue
		}
		rel := 1.0
		if top > 0 {
			rel = h.Score / top
		}
		out = append(out, scoreCandidate(subject, st, h, rel, classes, now, false))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out, explain
}

func (o MatchOptions) validate() error {
	var f market.Fields
	if o.Limit < 0 || o.Limit > MaxMatches {
		f.Add("limit", msgs.OneToN, MaxMatches)
	}
	if o.Group != "" && o.Group != GroupOrganization {
		f.Add("group", msgs.XOrAbsent, GroupOrganization)
	}
	return f.Err()
}

// Query shaping: the subject's title, keywords and summary are the query
// text, and its description joins as weighted expansion terms, so that the
// words an owner chose to name a listing count more than its long text
// (engines that cannot weight terms ignore the expansion).
const (
	descriptionTerms  = 12
	descriptionWeight = 0.3
)

// subjectQuery builds the candidate query for a subject.
func subjectQuery(subject Document, filter Query) Query {
	q := Query{
		Field: filter.Field, IPCPrefix: filter.IPCPrefix, Region: filter.Region, OrgKind: filter.OrgKind,
		TransferMode: filter.TransferMode, TRLMin: filter.TRLMin, TRLMax: filter.TRLMax,
		PriceMin: filter.PriceMin, PriceMax: filter.PriceMax,
		Limit: matchPool, Highlight: true,
	}
	q.Kinds = []string{KindOutcome}
	if subject.Kind == KindOutcome {
		q.Kinds = []string{KindScenario}
	}
	if subject.ID != "" {
		q.ExcludeIDs = []string{subject.ID}
	}
	if subject.Title == "" {
		q.Text = subject.Description
		return q
	}
	q.Text = strings.Join(append([]string{subject.Title, subject.Summary}, subject.Keywords...), " ")
	q.Expansion = descriptionExpansion(q.Text, subject.Description)
	return q
}

// descriptionExpansion picks the description's most frequent terms that the
// query text lacks.
func descriptionExpansion(text, description string) []WeightedTerm {
	have := map[string]bool{}
	for _, t := range termsOf(text) {
		have[t] = true
	}
	freq := map[string]int{}
	for _, t := range termsOf(description) {
		if !have[t] {
			freq[t]++
		}
	}
	terms := make([]string, 0, len(freq))
	for t := range freq {
		terms = append(terms, t)
	}
	sort.Slice(terms, func(i, j int) bool {
		if freq[terms[i]] != freq[terms[j]] {
			return freq[terms[i]] > freq[terms[j]]
		}
		return terms[i] < terms[j]
	})
	var out []WeightedTerm
	for _, t := range terms[:min(descriptionTerms, len(terms))] {
		out = append(out, WeightedTerm{Term: t, Weight: descriptionWeight})
	}
	return out
}

// groupByOrg ranks the organisations behind the matches.
func groupByOrg(matches []Match, limit int) []OrgMatch {
	byOrg := map[string]*OrgMatch{}
	var order []string
	for _, m := range matches {
		g, ok := byOrg[m.OrgID]
		if !ok {
			g = &OrgMatch{OrgID: m.OrgID, OrgName: m.OrgName, OrgNameEN: m.OrgNameEN, OrgKind: m.OrgKind}
			byOrg[m.OrgID] = g
			order = append(order, m.OrgID)
		}
		g.Matches++
		if len(g.Best) < orgBestItems {
			g.Best = append(g.Best, m)
		}
	}
	out := make([]OrgMatch, 0, len(order))
	for _, id := range order {
		g := byOrg[id]
		share := []float64{1, 0.1, 0.05}
		for i, m := range g.Best {
			g.Score += share[i] * m.Score
		}
		g.Score = min(100, float64(int(g.Score*10+0.5))/10)
		out = append(out, *g)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out[:min(limit, len(out))]
}

// subjectLanguage is the language a subject is written in: its stated
// languages when it has exactly one, else its query text's.
func subjectLanguage(subject Document, text string) string {
	if len(subject.Langs) == 1 {
		return subject.Langs[0]
	}
	if len(subject.Langs) > 1 {
		return "" // bilingual: both languages' listings match on words
	}
	return market.DetectLanguage(text)
}

// sameLanguage returns the hits found on words, before the bridged ones.
func sameLanguage(hits []Hit) []Hit {
	for i, h := range hits {
		if h.Bridge != nil {
			return hits[:i]
		}
	}
	return hits
}

// NameIn is the organisation's name in lang, falling back to the other.
func (g OrgMatch) NameIn(lang string) string {
	return Document{OrgName: g.OrgName, OrgNameEN: g.OrgNameEN}.OrgNameIn(lang)
}
