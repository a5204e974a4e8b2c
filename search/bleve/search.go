package bleve

import (
	"context"
	"fmt"
	"sort"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"techbridge/search"
)

var _ search.PoolEngine = (*Engine)(nil)

// Search answers a query.
func (e *Engine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	res, err := e.search(ctx, q, true)
	if err != nil || q.Text == "" {
		return res, err
	}
	e.Mark(q.Text, res.Hits, q.Highlight)
	return res, nil
}

// Rank answers a query without marking its hits; without load, hits carry
// only their id and score, and no document is read. A ranking
// by relevance without facets or offset keeps only the best hits as it
// goes (topSumQuery), the same hits as a full search.
func (e *Engine) Rank(ctx context.Context, q search.Query, load bool) (search.Result, error) {
	req, tq, ok := e.topRequest(q)
	if !ok {
		return e.search(ctx, q, load)
	}
	e.mu.RLock()
	res, err := e.idx.SearchInContext(ctx, req)
	e.mu.RUnlock()
	if err != nil {
		return search.Result{}, fmt.Errorf("bleve search: %w", err)
	}
	out := search.Result{Total: tq.total, Hits: make([]search.Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, search.Hit{Document: search.Document{ID: h.ID}, Score: h.Score})
	}
	if load {
		if out.Hits, err = e.load(ctx, out.Hits); err != nil {
			return search.Result{}, err
		}
	}
	return out, nil
}

func (e *Engine) search(ctx context.Context, q search.Query, load bool) (search.Result, error) {
	req, err := e.request(q)
	if err != nil {
		return search.Result{}, err
	}
	e.mu.RLock()
	res, err := e.idx.SearchInContext(ctx, req)
	e.mu.RUnlock()
	if err != nil {
		return search.Result{}, fmt.Errorf("bleve search: %w", err)
	}
	out := search.Result{Total: int(res.Total), Hits: make([]search.Hit, 0, len(res.Hits))}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, search.Hit{Document: search.Document{ID: h.ID}, Score: h.Score})
	}
	if load {
		if out.Hits, err = e.load(ctx, out.Hits); err != nil {
			return search.Result{}, err
		}
	}
	if len(res.Facets) > 0 {
		out.Facets = facets(res.Facets)
	}
	return out, nil
}

// load sets the documents of hits, in one read; a hit whose listing is no
// longer searchable (unpublished since it was indexed) is dropped.
func (e *Engine) load(ctx context.Context, hits []search.Hit) ([]search.Hit, error) {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	docs, err := e.Documents(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := hits[:0]
	for _, h := range hits {
		if d, ok := docs[h.ID]; ok {
			h.Document = d
			out = append(out, h)
		}
	}
	return out, nil
}

// Mark sets the matched terms of hits for text and, with highlight, their
// highlighted fragments.
func (e *Engine) Mark(text string, hits []search.Hit, highlight bool) {
	if text == "" {
		return
	}
	m := e.newMarker(text)
	for i := range hits {
		hits[i].Terms, hits[i].Highlights = m.mark(hits[i].Document, highlight)
	}
}

// facets turns Bleve term facets into counts, largest first.
func facets(in bsearch.FacetResults) map[string][]search.FacetValue {
	out := make(map[string][]search.FacetValue, len(in))
	for name, fr := range in {
		vals := []search.FacetValue{}
		if fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				vals = append(vals, search.FacetValue{Value: t.Term, Count: t.Count})
			}
		}
		sort.SliceStable(vals, func(i, j int) bool {
			if vals[i].Count != vals[j].Count {
				return vals[i].Count > vals[j].Count
			}
			return vals[i].Value < vals[j].Value
		})
		out[name] = vals
	}
	return out
}
