package bleve

import (
	"strconv"
	"strings"
	"techbridge/market/msgs"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"techbridge/market"
	"techbridge/search"
)

// sorts maps search.Query.Sort to Bleve sort orders; documents without the
// sorted value come last, and the id breaks ties so pages are stable.
var sorts = map[string]bsearch.SortOrder{
	"":           {&bsearch.SortScore{Desc: true}, &bsearch.SortDocID{}},
	"newest":     {keySort(fieldPubKey, true), &bsearch.SortDocID{}},
	"price_asc":  {keySort(fieldMinKey, false), &bsearch.SortDocID{}},
	"price_desc": {keySort(fieldMaxKey, true), &bsearch.SortDocID{}},
	"trl_desc":   {keySort(fieldTRLKey, true), &bsearch.SortScore{Desc: true}, &bsearch.SortDocID{}},
}

// byScore orders text queries: scores rarely tie, and a tie-break on the id
// would make Bleve look up the id of every matching document, not only of
// the hits it returns (a tenth of a query's time on 20k listings). Ties keep
// the index order.
var byScore = bsearch.SortOrder{&bsearch.SortScore{Desc: true}}

// keySort sorts on a keyword written to sort as its value (fixed width).
func keySort(field string, desc bool) *bsearch.SortField {
	return &bsearch.SortField{Field: field, Desc: desc, Type: bsearch.SortFieldAsString,
		Missing: bsearch.SortFieldMissingLast}
}

// clampPage applies the paging limits of the search contract.
func clampPage(offset, limit int) (int, int) {
	switch {
	case limit <= 0:
		limit = search.DefaultLimit
	case limit > search.MaxLimit:
		limit = search.MaxLimit
	}
	offset = max(0, min(offset, search.MaxOffset))
	return offset, limit
}

// request builds the Bleve request for a query: scored text clauses, and
// filters that restrict without changing scores.
func (e *Engine) request(q search.Query) (*bleve.SearchRequest, error) {
	order, ok := sorts[q.Sort]
	if !ok {
		var f market.Fields
		f.Add("sort", msgs.OneNewestPriceAscPriceDesc)
		return nil, f.Err()
	}
	offset, limit := clampPage(q.Offset, q.Limit)

	tq := e.textQuery(q)
	if tq != nil && q.Sort == "" {
		order = byScore
	}
	ex, fq := excludeQuery(q.ExcludeIDs), filterQuery(q)
	if tq == nil && fq != nil {
		// Without text the constraints themselves are the query, so that
		// they drive it (a filtered match-all walks every document); every
		// match scores alike, so relevance order is the id order it was.
		tq, fq = fq, nil
		if q.Sort == "" {
			order = bsearch.SortOrder{&bsearch.SortDocID{}}
		}
	}
	if tq == nil {
		tq = query.NewMatchAllQuery()
	}
	var top query.Query = tq
	if ex != nil || fq != nil {
		b := query.NewBooleanQuery([]query.Query{tq}, nil, nil)
		if ex != nil {
			b.AddMustNot(ex)
		}
		if fq != nil {
			b.AddFilter(fq)
		}
		top = b
	}
	req := bleve.NewSearchRequestOptions(top, limit, offset, false)
	req.SortByCustom(order)
	for _, name := range q.Facets {
		field, ok := facetFields[name]
		if !ok {
			var f market.Fields
			f.Add("facets", msgs.UnknownFacetX, name)
			return nil, f.Err()
		}
		req.AddFacet(name, bleve.NewFacetRequest(field, 50))
	}
	return req, nil
}

// topRequest is the request for a ranking that needs only the best limit
// documents by relevance, with no facets and no page offset (the pipeline's
// expanded pass): a topSumQuery, which also counts the matches (total).
func (e *Engine) topRequest(q search.Query) (*bleve.SearchRequest, *topSumQuery, bool) {
	if q.Sort != "" || len(q.Facets) > 0 || q.Offset > 0 || coord {
		return nil, nil, false
	}
	clauses, words, ok := e.textClauses(q)
	if !ok || len(clauses) == 0 {
		return nil, nil, false
	}
	_, limit := clampPage(0, q.Limit)
	tq := &topSumQuery{clauses: clauses, words: words, k: limit}
	// The filter is listed or probed in document order, so the constraints
	// themselves drive it: Bleve's boolean filter would walk every document
	// of the index (a match-all) and test each.
	switch ex, fq := excludeQuery(q.ExcludeIDs), unwrap(filterQuery(q)); {
	case fq != nil && ex != nil:
		tq.filter = query.NewBooleanQuery([]query.Query{fq}, nil, []query.Query{ex})
	case fq != nil:
		tq.filter = fq
	case ex != nil:
		tq.filter = query.NewBooleanQuery([]query.Query{query.NewMatchAllQuery()}, nil, []query.Query{ex})
	}
	req := bleve.NewSearchRequestOptions(tq, limit, 0, false)
	req.SortByCustom(byScore)
	return req, tq, true
}

// textQuery matches any analysed term of Text in every text field, each
// term once (as BM25 does), boosted by its field's weight, plus the weighted
// expansion terms. The clauses are summed as plain BM25: Bleve's disjunction
// would multiply the sum by the share of clauses matched (Lucene's classic
// "coord"), which measurably hurt on the evaluation sets and would drown
// feedback terms, so the disjunction keeps a per-clause breakdown and a
// custom score adds it up.
func (e *Engine) textQuery(q search.Query) query.Query {
	clauses, words, ok := e.textClauses(q)
	switch {
	case !ok:
		return nil
	case len(clauses) == 0:
		return query.NewMatchNoneQuery()
	case coord:
		return query.NewDisjunctionQuery(clauses)
	}
	return newSumQuery(clauses, words)
}

// textClauses returns one weighted term query per term of Text and of the
// expansion, then one per Han character of Text (fieldChars); the first
// words clauses are the terms. ok is false when there is no text at all.
func (e *Engine) textClauses(q search.Query) (clauses []query.Query, words int, ok bool) {
	if strings.TrimSpace(q.Text) == "" {
		return nil, 0, false
	}
	a := e.mapping.AnalyzerNamed(textAnalyzer)
	weights := map[string]float64{}
	var order []string
	add := func(text string, w float64) {
		for _, t := range a.Analyze([]byte(text)) {
			term := string(t.Term)
			if _, ok := weights[term]; !ok {
				order = append(order, term)
			}
			weights[term] = max(weights[term], w)
		}
	}
	add(q.Text, 1)
	if len(weights) == 0 {
		return nil, 0, true
	}
	for _, t := range q.Expansion {
		if t.Weight > 0 {
			add(t.Term, t.Weight)
		}
	}
	for _, term := range order {
		for _, f := range textFields {
			tq := query.NewTermQuery(term)
			tq.SetField(f.Name)
			tq.SetBoost(f.Boost * weights[term])
			clauses = append(clauses, tq)
		}
	}
	words = len(clauses)
	if e.opt.CharWeight > 0 {
		seen := map[string]bool{}
		for _, c := range strings.Fields(hanChars(q.Text)) {
			if !seen[c] {
				seen[c] = true
				tq := query.NewTermQuery(c)
				tq.SetField(fieldChars)
				tq.SetBoost(e.opt.CharWeight)
				clauses = append(clauses, tq)
			}
		}
	}
	return clauses, words, true
}

// unwrap replaces a conjunction or disjunction of one query by that query,
// through every level: the same documents match, and each document a
// filter is advanced to passes through fewer searchers (the need's kind,
// say, is one term tested at tens of thousands of documents).
func unwrap(q query.Query) query.Query {
	switch c := q.(type) {
	case *query.ConjunctionQuery:
		if len(c.Conjuncts) == 1 {
			return unwrap(c.Conjuncts[0])
		}
		for i, x := range c.Conjuncts {
			c.Conjuncts[i] = unwrap(x)
		}
	case *query.DisjunctionQuery:
		if len(c.Disjuncts) == 1 && c.Min <= 1 {
			return unwrap(c.Disjuncts[0])
		}
		for i, x := range c.Disjuncts {
			c.Disjuncts[i] = unwrap(x)
		}
	}
	return q
}

// coord keeps Bleve's coordination factor; off by default (see textQuery).
var coord = false

func excludeQuery(ids []string) query.Query {
	if len(ids) == 0 {
		return nil
	}
	return query.NewDocIDQuery(ids)
}

// filterQuery is the conjunction of every constraint of q, nil when none.
func filterQuery(q search.Query) query.Query {
	var and []query.Query
	term := func(field, value string) {
		if value != "" {
			t := query.NewTermQuery(value)
			t.SetField(field)
			and = append(and, t)
		}
	}
	if len(q.Kinds) > 0 {
		var or []query.Query
		for _, k := range q.Kinds {
			t := query.NewTermQuery(k)
			t.SetField("kind")
			or = append(or, t)
		}
		and = append(and, query.NewDisjunctionQuery(or))
	}
	if len(q.OnlyIDs) > 0 {
		and = append(and, query.NewDocIDQuery(q.OnlyIDs))
	}
	term("field", q.Field)
	term("region", q.Region)
	term("transfer_modes", q.TransferMode)
	term("org_kind", q.OrgKind)
	term("org_id", q.OrgID)
	term(fieldLang, q.Lang)
	if len(q.IPCClasses) > 0 {
		var or []query.Query
		for _, c := range q.IPCClasses {
			t := query.NewTermQuery(search.IPCClass(c))
			t.SetField(fieldIPCCls)
			or = append(or, t)
		}
		and = append(and, query.NewDisjunctionQuery(or))
	}
	if p := search.NormalizeIPC(q.IPCPrefix); p != "" {
		pq := query.NewPrefixQuery(p)
		pq.SetField(fieldIPC)
		and = append(and, pq)
	}
	if q.TRLMin > 0 || q.TRLMax > 0 {
		and = append(and, trlRange(q.TRLMin, q.TRLMax))
	}
	// Overlap of [doc min, doc max] with [PriceMin, PriceMax]: the document's
	// max reaches the query's min and its min does not pass the query's max.
	// Prices are fixed-width keywords (priceKey), so term order is numeric order.
	if q.PriceMin > 0 || q.PriceMax > 0 {
		and = append(and, keyRange(fieldMaxKey, priceKey(max(0, q.PriceMin)), ""))
		if q.PriceMax > 0 {
			and = append(and, keyRange(fieldMinKey, "", priceKey(q.PriceMax)))
		}
	}
	if len(and) == 0 {
		return nil
	}
	return query.NewConjunctionQuery(and)
}

// trlRange matches a TRL in [lo, hi] (0: open) by its keywords: TRL runs
// 1 to 9, so the range is at most nine terms.
func trlRange(lo, hi int) query.Query {
	if hi <= 0 {
		hi = 9
	}
	var or []query.Query
	for l := max(1, lo); l <= hi; l++ {
		t := query.NewTermQuery(strconv.Itoa(l))
		t.SetField(fieldTRLKey)
		or = append(or, t)
	}
	if len(or) == 0 {
		return query.NewMatchNoneQuery()
	}
	return query.NewDisjunctionQuery(or)
}

// keyRange is an inclusive range of keywords; "" leaves a side open.
func keyRange(field, lo, hi string) query.Query {
	incl := true
	r := query.NewTermRangeInclusiveQuery(lo, hi, &incl, &incl)
	r.SetField(field)
	return r
}
