package bleve

import (
	"context"
	"fmt"
	"sort"

	bsearch "github.com/blevesearch/bleve/v2/search"

	"techbridge/search"
)

// Search answers a query.
func (e *Engine) Search(ctx context.Context, q search.Query) (search.Result, error) {
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
	var marker *marker
	if q.Text != "" {
		marker = e.newMarker(q.Text)
	}
	for _, h := range res.Hits {
		d, err := decodeStored(h.ID, h.Fields[fieldSource])
		if err != nil {
			return search.Result{}, err
		}
		hit := search.Hit{Document: d, Score: h.Score}
		if marker != nil {
			hit.Terms, hit.Highlights = marker.mark(d, q.Highlight)
		}
		out.Hits = append(out.Hits, hit)
	}
	if len(res.Facets) > 0 {
		out.Facets = facets(res.Facets)
	}
	return out, nil
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
