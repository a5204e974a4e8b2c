package bleve

import (
	"context"
	"strings"

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
	"newest":     {numericSort(fieldPubMS, true), &bsearch.SortDocID{}},
	"price_asc":  {numericSort("price_min", false), &bsearch.SortDocID{}},
	"price_desc": {numericSort("price_max", true), &bsearch.SortDocID{}},
	"trl_desc":   {numericSort("trl", true), &bsearch.SortScore{Desc: true}, &bsearch.SortDocID{}},
}

func numericSort(field string, desc bool) *bsearch.SortField {
	return &bsearch.SortField{Field: field, Desc: desc, Type: bsearch.SortFieldAsNumber,
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
		f.Add("sort", "must be one of newest, price_asc, price_desc, trl_desc")
		return nil, f.Err()
	}
	offset, limit := clampPage(q.Offset, q.Limit)

	b := query.NewBooleanQuery(nil, nil, nil)
	if tq := e.textQuery(q); tq != nil {
		b.AddMust(tq)
	} else {
		b.AddMust(query.NewMatchAllQuery())
	}
	if ex := excludeQuery(q.ExcludeIDs); ex != nil {
		b.AddMustNot(ex)
	}
	if fq := filterQuery(q); fq != nil {
		b.AddFilter(fq)
	}
	req := bleve.NewSearchRequestOptions(b, limit, offset, false)
	req.Fields = []string{fieldSource}
	req.SortByCustom(order)
	for _, name := range q.Facets {
		field, ok := facetFields[name]
		if !ok {
			var f market.Fields
			f.Add("facets", "unknown facet %q", name)
			return nil, f.Err()
		}
		req.AddFacet(name, bleve.NewFacetRequest(field, 50))
	}
	return req, nil
}

// textQuery matches any analysed term of Text in every text field, each
// term once (as BM25 does), boosted by its field's weight, plus the weighted
// expansion terms. The clauses are summed as plain BM25: Bleve's disjunction
// would multiply the sum by the share of clauses matched (Lucene's classic
// "coord"), which measurably hurt on the evaluation sets and would drown
// feedback terms, so the disjunction keeps a per-clause breakdown and a
// custom score adds it up.
func (e *Engine) textQuery(q search.Query) query.Query {
	if strings.TrimSpace(q.Text) == "" {
		return nil
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
		return query.NewMatchNoneQuery()
	}
	for _, t := range q.Expansion {
		if t.Weight > 0 {
			add(t.Term, t.Weight)
		}
	}
	var clauses []query.Query
	for _, term := range order {
		for _, f := range textFields {
			tq := query.NewTermQuery(term)
			tq.SetField(f.Name)
			tq.SetBoost(f.Boost * weights[term])
			clauses = append(clauses, tq)
		}
	}
	d := query.NewDisjunctionQuery(clauses)
	if !coord {
		d.RetrieveScoreBreakdown(true)
		return query.NewCustomScoreQueryWithScorer(d, sumBreakdown, nil, nil)
	}
	return d
}

// coord keeps Bleve's coordination factor; off by default (see textQuery).
var coord = false

func sumBreakdown(_ context.Context, d *bsearch.DocumentMatch) (float64, error) {
	if len(d.ScoreBreakdown) == 0 {
		return d.Score, nil
	}
	var sum float64
	for _, s := range d.ScoreBreakdown {
		sum += s
	}
	return sum, nil
}

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
	term("field", q.Field)
	term("region", q.Region)
	term("transfer_modes", q.TransferMode)
	term("org_kind", q.OrgKind)
	term("org_id", q.OrgID)
	if p := search.NormalizeIPC(q.IPCPrefix); p != "" {
		pq := query.NewPrefixQuery(p)
		pq.SetField(fieldIPC)
		and = append(and, pq)
	}
	if q.TRLMin > 0 || q.TRLMax > 0 {
		and = append(and, numRange("trl", float64(q.TRLMin), float64(q.TRLMax), q.TRLMin > 0, q.TRLMax > 0))
	}
	// Overlap of [doc min, doc max] with [PriceMin, PriceMax]: the document's
	// max reaches the query's min and its min does not pass the query's max.
	if q.PriceMin > 0 || q.PriceMax > 0 {
		lo, hi := float64(q.PriceMin), float64(q.PriceMax)
		and = append(and, numRange("price_max", lo, 0, true, false))
		if q.PriceMax > 0 {
			and = append(and, numRange("price_min", 0, hi, false, true))
		}
	}
	if len(and) == 0 {
		return nil
	}
	return query.NewConjunctionQuery(and)
}

// numRange is an inclusive numeric range; a side that is not set is open.
func numRange(field string, lo, hi float64, hasLo, hasHi bool) query.Query {
	var min, max *float64
	if hasLo {
		min = &lo
	}
	if hasHi {
		max = &hi
	}
	incl := true
	r := query.NewNumericRangeInclusiveQuery(min, max, &incl, &incl)
	r.SetField(field)
	return r
}
