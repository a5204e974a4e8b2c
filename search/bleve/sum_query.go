package bleve

import (
	"context"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// sumQuery scores a disjunction as the plain sum of its clauses' scores.
// Bleve's disjunction multiplies the sum by the share of clauses matched
// (see textQuery). Its CustomScoreQuery could undo that, but it looks up
// the external id and doc values of every matching document before calling
// the score function, which cost a tenth of a query over 20k listings;
// this wrapper only adds up the per-clause breakdown.
//
// Only the first words clauses make a document match: the others (single
// Han characters) add to its score but a document that has nothing else of
// the query is not a hit, so every hit holds a word of the query.
type sumQuery struct {
	d     *query.DisjunctionQuery
	words int
}

func newSumQuery(clauses []query.Query, words int) *sumQuery {
	d := query.NewDisjunctionQuery(clauses)
	d.RetrieveScoreBreakdown(true)
	return &sumQuery{d: d, words: words}
}

// Searcher implements query.Query.
func (q *sumQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping,
	options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s, err := q.d.Searcher(ctx, i, m, options)
	if err != nil {
		return nil, err
	}
	return &sumSearcher{Searcher: s, words: q.words}, nil
}

// sumSearcher replaces each match's score by the sum of its breakdown and
// skips matches of no word clause.
type sumSearcher struct {
	bsearch.Searcher
	words int
}

func (s *sumSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	for {
		d, err := s.Searcher.Next(ctx)
		if err != nil || d == nil || s.hasWord(d) {
			sum(d)
			return d, err
		}
	}
}

func (s *sumSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	d, err := s.Searcher.Advance(ctx, id)
	if err != nil || d == nil || s.hasWord(d) {
		sum(d)
		return d, err
	}
	return s.Next(ctx)
}

func (s *sumSearcher) hasWord(d *bsearch.DocumentMatch) bool {
	for i := range d.ScoreBreakdown {
		if i < s.words {
			return true
		}
	}
	return false
}

// sum sets d's score to the sum of its breakdown, added in clause order: a
// float sum depends on its order, and a map's order changes from one range
// to the next, so two runs of one query could rank tied hits apart.
func sum(d *bsearch.DocumentMatch) {
	if d == nil || len(d.ScoreBreakdown) == 0 {
		return
	}
	var buf [64]int
	clauses := buf[:0]
	for i := range d.ScoreBreakdown {
		clauses = append(clauses, i)
	}
	slices.Sort(clauses)
	var s float64
	for _, i := range clauses {
		s += d.ScoreBreakdown[i]
	}
	d.Score = s
}
