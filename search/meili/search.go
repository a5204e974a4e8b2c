package meili

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/meilisearch/meilisearch-go"

	"techbridge/search"
)

// Highlight tags, as search.Hit documents them.
const (
	preTag  = "<mark>"
	postTag = "</mark>"
)

// highlighted lists the attributes whose matches become Hit.Highlights.
var highlighted = []string{"title", "summary", "description", "keywords"}

// retrieved lists the document's own attributes; the derived ones (notably
// the long cjk_grams) are never sent back.
var retrieved = []string{
	"id", "kind", "external_id", "org_id", "org_kind", "org_name", "org_name_en", "title", "summary", "description",
	"keywords", "field", "ipc", "trl", "scenario_kind", "transfer_modes", "price_min", "price_max",
	"currency", "region", "version", "published_at", "fresh_until", "deadline", "langs", "title_alt", "summary_alt",
}

// fragmentRadius is how many characters of context a highlight keeps on each
// side of its first match.
const fragmentRadius = 60

// Search answers a query. Query.Expansion is ignored: Meilisearch cannot
// weight query terms, and adding them to q would make them required words.
func (e *Engine) Search(ctx context.Context, q search.Query) (search.Result, error) {
	sort, facetAttrs, err := sortAndFacets(q)
	if err != nil {
		return search.Result{}, err
	}
	req := &meilisearch.SearchRequest{
		Query:                q.Text,
		Sort:                 sort,
		Facets:               facetAttrs,
		AttributesToRetrieve: retrieved,
		ShowRankingScore:     true,
	}
	if f := filter(q); f != "" {
		req.Filter = f
	}
	// Highlighting also tells which terms matched (Hit.Terms), so ask for it
	// whenever there is text.
	if strings.TrimSpace(q.Text) != "" {
		req.AttributesToHighlight = highlighted
		req.HighlightPreTag, req.HighlightPostTag = preTag, postTag
	}
	offset, limit := page(q)
	// page/hitsPerPage gives an exact totalHits, offset/limit only an
	// estimate; use pages whenever the offset falls on a page boundary.
	paged := offset%limit == 0
	if paged {
		req.Page, req.HitsPerPage = int64(offset/limit+1), new(int64(limit))
	} else {
		req.Offset, req.Limit = int64(offset), int64(limit)
	}
	resp, err := e.index.Search(ctx, q.Text, req)
	if err != nil {
		return search.Result{}, fmt.Errorf("meili: search: %w", err)
	}

	res := search.Result{Total: int(resp.EstimatedTotalHits), Estimated: true, Hits: make([]search.Hit, 0, len(resp.Hits))}
	if paged {
		res.Total = int(resp.TotalHits)
	}
	for _, h := range resp.Hits {
		hit, err := toHit(h, q.Highlight)
		if err != nil {
			return search.Result{}, fmt.Errorf("meili: decode hit: %w", err)
		}
		res.Hits = append(res.Hits, hit)
	}
	if len(q.Facets) > 0 {
		if res.Facets, err = toFacets(resp.FacetDistribution); err != nil {
			return search.Result{}, fmt.Errorf("meili: decode facets: %w", err)
		}
	}
	return res, nil
}

func toHit(h meilisearch.Hit, withHighlights bool) (search.Hit, error) {
	var r row
	if err := h.DecodeInto(&r); err != nil {
		return search.Hit{}, err
	}
	hit := search.Hit{Document: r.document()}
	if raw, ok := h["_rankingScore"]; ok {
		if err := json.Unmarshal(raw, &hit.Score); err != nil {
			return search.Hit{}, err
		}
	}
	raw, ok := h["_formatted"]
	if !ok {
		return hit, nil
	}
	var formatted map[string]json.RawMessage
	if err := json.Unmarshal(raw, &formatted); err != nil {
		return search.Hit{}, err
	}
	for _, field := range highlighted {
		var values []string
		if err := json.Unmarshal(formatted[field], &values); err != nil {
			var one string
			if json.Unmarshal(formatted[field], &one) != nil {
				continue
			}
			values = []string{one}
		}
		for _, v := range values {
			segs := segments(v)
			if !slices.ContainsFunc(segs, func(s segment) bool { return s.marked }) {
				continue
			}
			for _, s := range segs {
				if t := strings.ToLower(s.text); s.marked && !slices.Contains(hit.Terms, t) {
					hit.Terms = append(hit.Terms, t)
				}
			}
			if withHighlights {
				if hit.Highlights == nil {
					hit.Highlights = map[string][]string{}
				}
				hit.Highlights[field] = append(hit.Highlights[field], fragment(segs, fragmentRadius))
			}
		}
	}
	return hit, nil
}

func toFacets(raw json.RawMessage) (map[string][]search.FacetValue, error) {
	var dist map[string]map[string]int
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &dist); err != nil {
			return nil, err
		}
	}
	out := make(map[string][]search.FacetValue, len(dist))
	for name, attr := range facets {
		values, ok := dist[attr]
		if !ok {
			continue
		}
		list := make([]search.FacetValue, 0, len(values))
		for v, n := range values {
			list = append(list, search.FacetValue{Value: v, Count: n})
		}
		slices.SortFunc(list, func(a, b search.FacetValue) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
		})
		out[name] = list
	}
	return out, nil
}
