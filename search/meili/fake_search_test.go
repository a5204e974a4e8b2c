package meili

import (
	"cmp"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// searchFields is every parameter POST /indexes/{uid}/search accepts.
var searchFields = []string{
	"q", "vector", "media", "hybrid", "offset", "limit", "page", "hitsPerPage", "attributesToRetrieve",
	"retrieveVectors", "attributesToCrop", "cropLength", "cropMarker", "attributesToHighlight",
	"highlightPreTag", "highlightPostTag", "showMatchesPosition", "showRankingScore",
	"showRankingScoreDetails", "showPerformanceDetails", "filter", "sort", "distinct", "facets",
	"matchingStrategy", "attributesToSearchOn", "rankingScoreThreshold", "locales", "personalize",
}

type searchParams struct {
	q                                    string
	offset, limit                        int
	page, hitsPerPage                    *int
	retrieve, highlight, searchOn, facet []string
	sort                                 []string
	filter                               any
	pre, post, strategy                  string
	showScore                            bool
}

func (f *fakeMeili) search(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m, ok := object(w, body, searchFields...)
	if !ok {
		return
	}
	p := searchParams{limit: 20, pre: "<em>", post: "</em>", strategy: "last"}
	for _, c := range []struct {
		name string
		dst  any
	}{
		{"q", &p.q}, {"offset", &p.offset}, {"limit", &p.limit}, {"page", &p.page}, {"hitsPerPage", &p.hitsPerPage},
		{"attributesToRetrieve", &p.retrieve}, {"attributesToHighlight", &p.highlight},
		{"attributesToSearchOn", &p.searchOn}, {"facets", &p.facet}, {"sort", &p.sort}, {"filter", &p.filter},
		{"highlightPreTag", &p.pre}, {"highlightPostTag", &p.post}, {"matchingStrategy", &p.strategy},
		{"showRankingScore", &p.showScore},
	} {
		code := "invalid_search_" + settingCode(c.name)[len("invalid_settings_"):]
		if !field(w, m, c.name, c.dst, code) {
			return
		}
	}
	if raw, ok := m["hybrid"]; ok && string(raw) != "null" {
		writeError(w, http.StatusBadRequest, "invalid_search_embedder", "fake meilisearch: hybrid search is not modelled")
		return
	}
	if p.offset < 0 || p.limit < 0 {
		writeError(w, http.StatusBadRequest, "invalid_search_limit", "Invalid value at `.limit`: a negative number is not a valid usize")
		return
	}
	if !slices.Contains([]string{"last", "all", "frequency"}, p.strategy) {
		writeError(w, http.StatusBadRequest, "invalid_search_matching_strategy", "Unknown value `%s` at `.matchingStrategy`: expected one of `last`, `all`, `frequency`", p.strategy)
		return
	}
	ix := f.index(w, r.PathValue("uid"))
	if ix == nil {
		return
	}
	if err := ix.checkSearch(p); err != nil {
		writeJSON(w, http.StatusBadRequest, err)
		return
	}
	match, err := ix.compileFilter(p.filter, "invalid_search_filter")
	if err != nil {
		writeJSON(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, http.StatusOK, ix.run(p, match))
}

// checkSearch rejects what Meilisearch rejects: sorting on a non-sortable
// attribute, facets on a non-filterable one, searching outside the
// searchable attributes.
func (ix *fakeIndex) checkSearch(p searchParams) *apiError {
	for _, s := range p.sort {
		attr, dir, ok := strings.Cut(s, ":")
		if !ok || (dir != "asc" && dir != "desc") {
			return newAPIError("invalid_search_sort", "Invalid syntax for the sort parameter: expected expression ending by `:asc` or `:desc`, found `%s`.", s)
		}
		if !slices.Contains(ix.sortable, attr) {
			return newAPIError("invalid_search_sort", "Index `%s`: Attribute `%s` is not sortable. Available sortable attributes are: `%s`.", ix.uid, attr, strings.Join(ix.sortable, ", "))
		}
	}
	for _, a := range p.facet {
		if a != "*" && !slices.Contains(ix.filterable, a) {
			return newAPIError("invalid_search_facets", "Index `%s`: Invalid facet distribution: Attribute `%s` is not filterable. The available filterable attribute patterns are: `%s`.", ix.uid, a, strings.Join(ix.filterable, ", "))
		}
	}
	for _, a := range p.searchOn {
		if a != "*" && ix.searchable != nil && !slices.Contains(ix.searchable, a) {
			return newAPIError("invalid_search_attributes_to_search_on", "Index `%s`: Attribute `%s` is not searchable. Available searchable attributes are: `%s`.", ix.uid, a, strings.Join(ix.searchable, ", "))
		}
	}
	return nil
}

// queryTerms splits a query into lowercase words; a run of Han characters is
// one term that matches as a substring (the fake does not segment Chinese).
func queryTerms(q string) []string {
	var terms []string
	var cur []rune
	han := false
	flush := func() {
		if len(cur) > 0 {
			terms = append(terms, strings.ToLower(string(cur)))
		}
		cur = nil
	}
	for _, r := range q {
		isHan := unicode.Is(unicode.Han, r)
		switch {
		case isHan:
			if !han {
				flush()
			}
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if han {
				flush()
			}
			cur = append(cur, r)
		default:
			flush()
		}
		han = isHan
	}
	flush()
	if len(terms) > 10 { // Meilisearch only considers the first ten words
		terms = terms[:10]
	}
	return terms
}

// spans returns the byte ranges of text that term matches: whole words,
// word prefixes when prefix is set, and any occurrence of a Han term.
func spans(text, term string, prefix bool) [][2]int {
	lower := strings.ToLower(text)
	var out [][2]int
	if unicode.Is(unicode.Han, []rune(term)[0]) {
		for i := 0; ; {
			j := strings.Index(lower[i:], term)
			if j < 0 {
				return out
			}
			out = append(out, [2]int{i + j, i + j + len(term)})
			i += j + len(term)
		}
	}
	start := -1
	for i, r := range lower + " " {
		word := (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
		if word && start < 0 {
			start = i
		}
		if !word && start >= 0 {
			w := lower[start:i]
			if w == term || (prefix && strings.HasPrefix(w, term)) {
				out = append(out, [2]int{start, start + len(term)})
			}
			start = -1
		}
	}
	return out
}

// texts returns the attribute's strings (numbers as text).
func texts(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case float64:
		return []string{strconv.FormatFloat(v, 'f', -1, 64)}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, texts(x)...)
		}
		return out
	}
	return nil
}

func (ix *fakeIndex) searchedAttributes(p searchParams) []string {
	attrs := ix.searchable
	if attrs == nil || slices.Contains(attrs, "*") {
		seen := map[string]bool{}
		attrs = nil
		for _, id := range ix.order {
			for k := range ix.docs[id] {
				if !seen[k] {
					seen[k] = true
					attrs = append(attrs, k)
				}
			}
		}
		slices.Sort(attrs)
	}
	if len(p.searchOn) > 0 && !slices.Contains(p.searchOn, "*") {
		attrs = slices.DeleteFunc(slices.Clone(attrs), func(a string) bool { return !slices.Contains(p.searchOn, a) })
	}
	return attrs
}

// candidate is a document that matched, with what ranks it.
type candidate struct {
	id    string
	doc   map[string]any
	words int // leading query terms matched
	attr  int // position of the best attribute that matched
	pos   int // insertion order
}

func (ix *fakeIndex) candidates(p searchParams, match filterNode, terms []string) []candidate {
	attrs := ix.searchedAttributes(p)
	var out []candidate
	for pos, id := range ix.order {
		d := ix.docs[id]
		if !match(d) {
			continue
		}
		c := candidate{id: id, doc: d, pos: pos, attr: len(attrs)}
		for i, term := range terms {
			found := false
			for a, attr := range attrs {
				for _, t := range texts(d[attr]) {
					if len(spans(t, term, i == len(terms)-1)) > 0 {
						found = true
						c.attr = min(c.attr, a)
					}
				}
			}
			if !found {
				break
			}
			c.words++
		}
		switch {
		case len(terms) == 0:
		case p.strategy == "all" && c.words < len(terms):
			continue
		case c.words == 0: // "last" drops words from the end, never the first
			continue
		}
		out = append(out, c)
	}
	return out
}

// rank sorts candidates by the ranking rules: relevance (words, then
// attribute) and the sort parameter, in whichever order rankingRules puts
// "sort" relative to "words".
func (ix *fakeIndex) rank(cands []candidate, sorts []string) {
	sortFirst := slices.Index(ix.rankingRules, "sort") < slices.Index(ix.rankingRules, "words")
	relevance := func(a, b candidate) int { return cmp.Or(cmp.Compare(b.words, a.words), cmp.Compare(a.attr, b.attr)) }
	bySort := func(a, b candidate) int {
		for _, s := range sorts {
			attr, dir, _ := strings.Cut(s, ":")
			if c := compareSortValues(a.doc[attr], b.doc[attr], dir == "desc"); c != 0 {
				return c
			}
		}
		return 0
	}
	slices.SortStableFunc(cands, func(a, b candidate) int {
		if sortFirst {
			return cmp.Or(bySort(a, b), relevance(a, b), cmp.Compare(a.pos, b.pos))
		}
		return cmp.Or(relevance(a, b), bySort(a, b), cmp.Compare(a.pos, b.pos))
	})
}

// compareSortValues orders numbers before strings and puts documents lacking
// the attribute last, in both directions, as Meilisearch does.
func compareSortValues(a, b any, desc bool) int {
	rank := func(v any) int {
		switch v.(type) {
		case float64:
			return 0
		case string:
			return 1
		}
		return 2
	}
	if ra, rb := rank(a), rank(b); ra != rb || ra == 2 {
		return cmp.Compare(ra, rb)
	}
	var c int
	switch a := a.(type) {
	case float64:
		c = cmp.Compare(a, b.(float64))
	case string:
		c = cmp.Compare(strings.ToLower(a), strings.ToLower(b.(string)))
	}
	if desc {
		return -c
	}
	return c
}
