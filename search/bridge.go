package search

import (
	"context"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"techbridge/market"
)

// Matching across languages. Chinese and English listings share no words,
// but they share classes: a patent or outcome in H01M is about batteries in
// either language. A query in one language with Query.Lang set to the
// other is answered in three steps, with no translation service or model:
//
//  1. the query is ranked in its own language by the usual pipeline, and the
//     IPC subclasses of its best hits give the query's likely classes (the
//     class vote of rerank, which is right about the query's label far more
//     often than its text is);
//  2. listings of the asked language in those classes are the candidates,
//     together with any that match the query's words outright (a Latin
//     acronym in a Chinese query, a Chinese term in an English one);
//  3. a candidate scores the chance that at least one of its classes is one
//     of the query's, 1 − Π(1 − prior), plus a smaller share for agreement
//     at the IPC main group ("H01M 10") and for words it shares; each hit
//     carries the classes that brought it (Hit.Bridge), which search pages
//     and match reasons show.
//
// Measured under protocol X (both patent sets minus their query records in
// one index, search/bleve/eval_test.go): see README, Search quality.

// bridgeNeeded tells whether q asks for listings in another language than
// its text is written in, and returns the text's language.
func bridgeNeeded(q Query) (string, bool) {
	if q.Lang == "" {
		return "", false
	}
	from := market.DetectLanguage(q.Text)
	return from, from != "" && from != q.Lang
}

// bridge answers a query across languages; see the comment above.
func (s *Service) bridge(ctx context.Context, q Query, from string, r Ranking, offset, limit, pool int) (Result, error) {
	// The query's classes come from its text alone, not from the filters
	// of the asked language's listings (a facet click), so that a click
	// narrows the same hits its facet counted.
	src := Query{Text: q.Text, Expansion: q.Expansion, Kinds: q.Kinds, ExcludeIDs: q.ExcludeIDs,
		Lang: from, Limit: r.BridgeDocs}
	own, err := s.Search(ctx, src)
	if err != nil {
		return Result{}, err
	}
	return s.bridgeFrom(ctx, q, from, own.Hits, false, r, offset, limit, pool)
}

// SearchAcross answers q, whose Lang asks for listings in another language
// than its text's, through the classes of own: the ranking pipeline's hits
// for the same text (and expansion) in the text's own language, which a
// caller that has ranked them already passes in, so the text is not ranked
// twice. Matching does: its candidates are that ranking, filters included,
// and hits in other languages than the text's are left out of own here.
// Any other q is answered by Search.
func (s *Service) SearchAcross(ctx context.Context, q Query, own []Hit) (Result, error) {
	r := DefaultRanking
	if s.Ranking != nil {
		r = *s.Ranking
	}
	q.Text = CapQuery(q.Text)
	from, across := bridgeNeeded(q)
	if !across || r.BridgeDocs <= 0 || r.Pool <= 0 || strings.TrimSpace(q.Text) == "" {
		return s.Search(ctx, q)
	}
	offset, limit := pageOf(q)
	var mine []Hit
	for _, h := range own {
		if h.Bridge == nil && (len(h.Langs) == 0 || slices.Contains(h.Langs, from)) {
			mine = append(mine, h)
		}
	}
	return s.bridgeFrom(ctx, q, from, mine, true, r, offset, limit, min(r.Pool, MaxLimit))
}

// bridgeFrom is bridge with the own-language hits given; askedOnly tells
// that the caller ranked the text over every language (SearchAcross).
func (s *Service) bridgeFrom(ctx context.Context, q Query, from string, own []Hit, askedOnly bool, r Ranking, offset, limit, pool int) (Result, error) {
	var err error
	fb := feedbackOf(own, r.BridgeDocs)
	prior := classPrior(fb, ipcClasses)
	groups := classPrior(fb, ipcGroups)
	classes := likeliest(prior, r.BridgeClasses, r.BridgeMinPrior)

	// Candidates: the asked language's listings in the likely classes,
	// and those that share words with the query.
	if len(q.IPCClasses) > 0 {
		// The asked classes filter: only likely classes among them.
		var in []string
		for _, c := range classes {
			if slices.ContainsFunc(q.IPCClasses, func(x string) bool { return IPCClass(x) == c }) {
				in = append(in, c)
			}
		}
		classes = in
	}
	cand := q
	cand.Text, cand.IPCClasses, cand.Offset, cand.Limit, cand.Highlight = "", classes, 0, pool, false
	var res Result
	if len(classes) > 0 {
		if res, err = s.Engine.Search(ctx, cand); err != nil {
			return Result{}, err
		}
	}
	// The dictionary's renderings of the query's terms join its words, so
	// listings that say the same thing in the asked language are found
	// even when the likely classes miss (低温电解液添加剂 → low
	// temperature, electrolyte solution, additive).
	tr := Translate(q.Text, q.Lang)
	text := q.Text
	if len(tr) > 0 {
		text += " " + translatedText(tr)
	}
	wordsText := text
	if askedOnly {
		// The caller's own ranking, over every language, has found the
		// listings that share the text's own words: the words pass reads
		// the asked language's words only, the dictionary's and any of
		// the text's (a Chinese paragraph's bigrams and characters were
		// most of its cost, for hits that ranking had).
		wordsText = strings.TrimSpace(wordsIn(q.Text, q.Lang) + " " + translatedText(tr))
	}
	var words Result
	if wordsText != "" && (hasTermsIn(q.Text, q.Lang) || len(tr) > 0) {
		w := q
		w.Text = wordsText
		w.Offset, w.Limit, w.Facets, w.Highlight, w.Sort = 0, pool, nil, false, ""
		// Only the page is marked, below: a PoolEngine ranks the pass
		// without marking its hits.
		if pe, ok := s.Engine.(PoolEngine); ok {
			words, err = pe.Rank(ctx, w, true)
		} else {
			words, err = s.Engine.Search(ctx, w)
		}
		if err != nil {
			return Result{}, err
		}
	}
	if q.Sort != "" {
		// An explicit order: the classes' listings in it, words aside.
		words.Hits = nil
	}
	topWords := 0.0
	if len(words.Hits) > 0 {
		topWords = words.Hits[0].Score
	}
	byID := map[string]int{}
	var hits []Hit
	var scores []float64
	for _, set := range [][]Hit{res.Hits, words.Hits} {
		for _, h := range set {
			if _, ok := byID[h.ID]; ok {
				continue
			}
			byID[h.ID] = len(hits)
			hits = append(hits, h)
			scores = append(scores, 0)
		}
	}
	wordWeight := r.BridgeWordWeight
	if !hasTermsIn(q.Text, q.Lang) {
		wordWeight = r.BridgeDictWeight // the shared words are the dictionary's only
	}
	for _, h := range words.Hits {
		if topWords > 0 {
			scores[byID[h.ID]] += wordWeight * h.Score / topWords
		}
	}
	for i := range hits {
		d := hits[i].Document
		miss := 1.0
		var shared []string
		for _, c := range ipcClasses(d) {
			if p := prior[c]; p > 0 {
				miss *= 1 - p
				shared = append(shared, c)
			}
		}
		scores[i] += 1 - miss + r.BridgeGroupWeight*agreement(groups, ipcGroups(d))
		terms := translationsIn(tr, d)
		if len(shared) > 0 || len(terms) > 0 {
			sort.SliceStable(shared, func(a, b int) bool { return prior[shared[a]] > prior[shared[b]] })
			hits[i].Bridge = &Bridge{From: from, Classes: shared, Chance: math.Round((1-miss)*1e3) / 1e3, Terms: terms}
		}
		hits[i].Score = math.Round(scores[i]*1e4) / 1e4
	}
	// A hit of the words pass that holds neither a bridged class, nor a whole
	// translation, nor a word of the query itself matched a part of a
	// rendering only (the "cell" of "electric cell"): it says nothing.
	kept, keptScores := hits[:0], scores[:0]
	for i, h := range hits {
		if h.Bridge != nil || holdsWord(q.Text, h.Document) {
			kept, keptScores = append(kept, h), append(keptScores, scores[i])
		}
	}
	hits, scores = kept, keptScores
	if q.Sort == "" {
		idx := make([]int, len(hits))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
		sorted := make([]Hit, len(hits))
		for i, j := range idx {
			sorted[i] = hits[j]
		}
		hits = sorted
	}

	// The total and the facets count the classes' listings and the hits
	// found on words besides them: all of them from the hits when the
	// classes' listings fit in the pool, else the engine's counts of those
	// plus the word hits'.
	var extra []Hit
	inClasses := make(map[string]bool, len(res.Hits))
	for _, h := range res.Hits {
		inClasses[h.ID] = true
	}
	for _, h := range hits {
		if !inClasses[h.ID] {
			extra = append(extra, h)
		}
	}
	out := Result{Total: len(hits), Facets: facetsOf(hits, q.Facets)}
	if res.Total > len(res.Hits) {
		out.Total = res.Total + len(extra)
		out.Facets = addFacets(res.Facets, facetsOf(extra, q.Facets))
	}
	if offset < len(hits) {
		out.Hits = hits[offset:min(len(hits), offset+limit)]
		if pe, ok := s.Engine.(PoolEngine); ok {
			pe.Mark(text, out.Hits, q.Highlight)
		}
	}
	// Pages past the pool continue with the classes' listings in the
	// engine's order.
	if rest := offset + limit - max(offset, len(hits)); rest > 0 && len(res.Hits) == pool {
		tail := cand
		tail.Offset, tail.Limit, tail.Facets = max(offset, pool), rest, nil
		more, err := s.Engine.Search(ctx, tail)
		if err != nil {
			return Result{}, err
		}
		for _, h := range more.Hits {
			if _, dup := byID[h.ID]; !dup {
				h.Bridge = &Bridge{From: from, Classes: sharedClasses(prior, h.Document), Chance: chance(prior, h.Document),
					Terms: translationsIn(tr, h.Document)}
				out.Hits = append(out.Hits, h)
			}
		}
	}
	return out, nil
}

// facetsOf counts the facets named of the hits' documents, as the engines
// count them.
func facetsOf(hits []Hit, names []string) map[string][]FacetValue {
	if len(names) == 0 {
		return nil
	}
	out := make(map[string][]FacetValue, len(names))
	for _, name := range names {
		n := map[string]int{}
		for _, h := range hits {
			for _, v := range facetValues(h.Document, name) {
				n[v]++
			}
		}
		out[name] = sortedFacet(n)
	}
	return out
}

// addFacets adds the counts of b to a's.
func addFacets(a, b map[string][]FacetValue) map[string][]FacetValue {
	if len(b) == 0 {
		return a
	}
	out := make(map[string][]FacetValue, len(a))
	for name := range merged(a, b) {
		n := map[string]int{}
		for _, fv := range a[name] {
			n[fv.Value] += fv.Count
		}
		for _, fv := range b[name] {
			n[fv.Value] += fv.Count
		}
		out[name] = sortedFacet(n)
	}
	return out
}

func merged(a, b map[string][]FacetValue) map[string]bool {
	names := map[string]bool{}
	for k := range a {
		names[k] = true
	}
	for k := range b {
		names[k] = true
	}
	return names
}

func sortedFacet(n map[string]int) []FacetValue {
	vals := make([]FacetValue, 0, len(n))
	for v, c := range n {
		vals = append(vals, FacetValue{Value: v, Count: c})
	}
	sort.Slice(vals, func(i, j int) bool {
		if vals[i].Count != vals[j].Count {
			return vals[i].Count > vals[j].Count
		}
		return vals[i].Value < vals[j].Value
	})
	return vals
}

// facetValues are a document's values of a facet of Query.Facets.
func facetValues(d Document, name string) []string {
	one := func(v string) []string {
		if v == "" {
			return nil
		}
		return []string{v}
	}
	switch name {
	case "kind":
		return one(d.Kind)
	case "field":
		return one(d.Field)
	case "region":
		return one(d.Region)
	case "org_kind":
		return one(d.OrgKind)
	case "transfer_modes":
		return d.TransferModes
	case "ipc_class":
		return ipcClasses(d)
	case "trl":
		if d.TRL > 0 {
			return []string{strconv.Itoa(d.TRL)}
		}
	}
	return nil
}

// sharedClasses returns the subclasses of d that prior gives a chance,
// likeliest first.
func sharedClasses(prior map[string]float64, d Document) []string {
	var out []string
	for _, c := range ipcClasses(d) {
		if prior[c] > 0 {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return prior[out[a]] > prior[out[b]] })
	return out
}

// chance is 1 − Π(1 − prior) over the subclasses of d.
func chance(prior map[string]float64, d Document) float64 {
	miss := 1.0
	for _, c := range ipcClasses(d) {
		miss *= 1 - prior[c]
	}
	return math.Round((1-miss)*1e3) / 1e3
}

// likeliest returns at most n classes of prior with at least minPrior,
// likeliest first.
func likeliest(prior map[string]float64, n int, minPrior float64) []string {
	var out []string
	for c, p := range prior {
		if p >= minPrior {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if prior[out[a]] != prior[out[b]] {
			return prior[out[a]] > prior[out[b]]
		}
		return out[a] < out[b]
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// ipcGroups returns the distinct IPC main groups of a document ("H01M 10"
// of "H01M 10/0525"); codes given as subclasses only have none.
func ipcGroups(d Document) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range d.IPC {
		c = NormalizeIPC(c)
		i := strings.IndexByte(c, '/')
		if len(c) <= 5 || i < 0 {
			continue
		}
		if g := c[:i]; !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

// holdsWord tells whether d holds a term of text.
func holdsWord(text string, d Document) bool {
	have := allTerms(d)
	for _, t := range termsOf(text) {
		if have[t] {
			return true
		}
	}
	return false
}

// wordsIn returns the terms of text in lang, space-separated: Han terms
// for Chinese, Latin words for English.
func wordsIn(text, lang string) string {
	var out []string
	for _, t := range termsOf(text) {
		if strings.ContainsFunc(t, isHan) == (lang == market.LangZH) {
			out = append(out, t)
		}
	}
	return strings.Join(out, " ")
}

// hasTermsIn tells whether text has words of lang: Han characters for
// Chinese, Latin words for English (stop words and numbers aside).
func hasTermsIn(text, lang string) bool {
	for _, t := range termsOf(text) {
		if strings.ContainsFunc(t, isHan) == (lang == market.LangZH) {
			return true
		}
	}
	return false
}

func isHan(c rune) bool { return unicode.Is(unicode.Han, c) }
