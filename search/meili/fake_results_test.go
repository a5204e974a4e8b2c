package meili

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// run answers a checked search: candidates, order, the page, facets.
func (ix *fakeIndex) run(p searchParams, match filterNode) map[string]any {
	terms := queryTerms(p.q)
	cands := ix.candidates(p, match, terms)
	ix.rank(cands, p.sort)
	total := min(len(cands), ix.maxTotalHits)
	resp := map[string]any{"query": p.q, "processingTimeMs": 0}
	var from, to int
	if p.page != nil || p.hitsPerPage != nil {
		pg, per := 1, 20
		if p.page != nil {
			pg = *p.page
		}
		if p.hitsPerPage != nil {
			per = *p.hitsPerPage
		}
		if pg > 0 {
			from, to = min((pg-1)*per, total), min(pg*per, total)
		}
		pages := 0
		if per > 0 {
			pages = (total + per - 1) / per
		}
		resp["page"], resp["hitsPerPage"], resp["totalHits"], resp["totalPages"] = pg, per, total, pages
	} else {
		from, to = min(p.offset, total), min(p.offset+p.limit, total)
		resp["offset"], resp["limit"], resp["estimatedTotalHits"] = p.offset, p.limit, total
	}
	hits := []map[string]any{}
	for _, c := range cands[from:to] {
		hit := project(c.doc, p.retrieve)
		if p.showScore {
			score := 1.0
			if len(terms) > 0 {
				score = float64(c.words) / float64(len(terms)) * (1 - 0.01*float64(c.attr))
			}
			hit["_rankingScore"] = score
		}
		if len(p.highlight) > 0 {
			hit["_formatted"] = formatted(c.doc, p, terms)
		}
		hits = append(hits, hit)
	}
	resp["hits"] = hits
	if len(p.facet) > 0 {
		resp["facetDistribution"], resp["facetStats"] = ix.facets(cands, p.facet)
	}
	return resp
}

// formatted is a hit's _formatted object: the retrieved and highlighted
// attributes, numbers turned into strings, matches wrapped in the tags.
func formatted(doc map[string]any, p searchParams, terms []string) map[string]any {
	names := slices.Concat(p.retrieve, p.highlight)
	if p.retrieve == nil || slices.Contains(names, "*") {
		names = slices.Collect(maps.Keys(doc))
	}
	out := map[string]any{}
	for _, n := range names {
		v, ok := doc[n]
		if !ok {
			continue
		}
		mark := slices.Contains(p.highlight, n) || slices.Contains(p.highlight, "*")
		out[n] = format(v, mark, terms, p.pre, p.post)
	}
	return out
}

func format(v any, mark bool, terms []string, pre, post string) any {
	switch v := v.(type) {
	case string:
		if mark {
			return highlight(v, terms, pre, post)
		}
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = format(x, mark, terms, pre, post)
		}
		return out
	}
	return v
}

// highlight wraps every match of the terms in text (the last term also as a
// word prefix, as Meilisearch's prefix search does).
func highlight(text string, terms []string, pre, post string) string {
	var all [][2]int
	for i, t := range terms {
		all = append(all, spans(text, t, i == len(terms)-1)...)
	}
	if len(all) == 0 {
		return text
	}
	slices.SortFunc(all, func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
	var b strings.Builder
	last := 0
	for _, s := range all {
		if s[0] < last { // overlaps the previous match
			continue
		}
		b.WriteString(text[last:s[0]])
		b.WriteString(pre + text[s[0]:s[1]] + post)
		last = s[1]
	}
	b.WriteString(text[last:])
	return b.String()
}

// facets counts, for each attribute, the candidates holding each value.
func (ix *fakeIndex) facets(cands []candidate, attrs []string) (map[string]map[string]int, map[string]map[string]float64) {
	if slices.Contains(attrs, "*") {
		attrs = ix.filterable
	}
	dist := map[string]map[string]int{}
	stats := map[string]map[string]float64{}
	for _, attr := range attrs {
		counts := map[string]int{}
		for _, c := range cands {
			seen := map[string]bool{}
			var values []any
			if list, ok := c.doc[attr].([]any); ok {
				values = list
			} else if v, ok := c.doc[attr]; ok {
				values = []any{v}
			}
			for _, v := range values {
				if n, ok := v.(float64); ok {
					st, ok := stats[attr]
					if !ok {
						st = map[string]float64{"min": n, "max": n}
						stats[attr] = st
					}
					st["min"], st["max"] = min(st["min"], n), max(st["max"], n)
				}
				for _, s := range texts(v) {
					if !seen[strings.ToLower(s)] {
						seen[strings.ToLower(s)] = true
						counts[s]++
					}
				}
			}
		}
		dist[attr] = ix.truncateFacet(attr, counts)
	}
	return dist, stats
}

// truncateFacet keeps maxValuesPerFacet values, chosen in the configured order.
func (ix *fakeIndex) truncateFacet(attr string, counts map[string]int) map[string]int {
	by := ix.sortFacetValuesBy[attr]
	if by == "" {
		by = ix.sortFacetValuesBy["*"]
	}
	keys := slices.Collect(maps.Keys(counts))
	slices.SortFunc(keys, func(a, b string) int {
		if by == "count" {
			return cmp.Or(cmp.Compare(counts[b], counts[a]), cmp.Compare(a, b))
		}
		return cmp.Compare(a, b)
	})
	out := map[string]int{}
	for _, k := range keys[:min(len(keys), ix.maxValuesPerFacet)] {
		out[k] = counts[k]
	}
	return out
}
