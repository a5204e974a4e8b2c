package search

import (
	"context"
	"sort"
)

// fuseLatent adds the latent cosine (latent.go) to the re-ranked pool and
// lets listings near the query that hold none of its words join it: each
// listing scores its pool score relative to the best plus w × its cosine,
// where w is Ranking.LatentWeight times the share of the feedback hits
// without IPC classes. Where the best hits carry classes the class vote
// already brings the query's topic, and the latent pass measured worse on
// the patent sets (cnpat P@10 0.362 → 0.357 / 0.347 / 0.310 at 0.25 / 1 / 2
// of the best score), so it stays out there. A joining listing satisfies
// the query's constraints (asked of the engine) and is flagged (Related,
// set non-nil) for markRelated. folded is the query in the model's space,
// nil when the pass did not run. joined holds the facet counts of the
// listings that joined when all of them stayed in the pool (the same query
// that checked their constraints counted them); nil means relatedFacets
// must count what stayed.
func fuseLatent(ctx context.Context, pe PoolEngine, lat *Latent, q Query, hits []Hit, fb feedback, r Ranking, pool int) (out []Hit, folded []float64, joined map[string][]FacetValue, err error) {
	if r.LatentWeight <= 0 || len(fb.docs) == 0 || len(hits) == 0 {
		return hits, nil, nil, nil
	}
	without := 0
	for _, d := range fb.docs {
		if len(ipcClasses(d)) == 0 {
			without++
		}
	}
	w := r.LatentWeight * float64(without) / float64(len(fb.docs))
	if w <= 0 {
		return hits, nil, nil, nil
	}
	if folded = lat.Fold(q.Text); folded == nil {
		return hits, nil, nil, nil
	}
	in := make(map[string]bool, len(hits))
	for _, h := range hits {
		in[h.ID] = true
	}
	near := lat.Near(folded, pool, r.LatentMinCos, in)
	var joiners []Hit
	if len(near) > 0 {
		ids := make([]string, 0, len(near))
		cos := make(map[string]float64, len(near))
		for _, n := range near {
			ids = append(ids, n.ID)
			cos[n.ID] = n.Cos
		}
		if len(q.OnlyIDs) > 0 {
			ids = intersect(ids, q.OnlyIDs)
		}
		if len(ids) > 0 {
			fq := q
			fq.Text, fq.Expansion, fq.Sort, fq.Highlight = "", nil, "", false
			fq.Offset, fq.Limit, fq.OnlyIDs = 0, len(ids), ids
			res, err := pe.Rank(ctx, fq, false)
			if err != nil {
				return nil, nil, nil, err
			}
			for _, h := range res.Hits {
				joiners = append(joiners, Hit{Document: Document{ID: h.ID}, Score: w * cos[h.ID], Related: []string{}})
			}
			joined = res.Facets
		}
	}
	top := hits[0].Score
	out = make([]Hit, 0, len(hits)+len(joiners))
	for _, h := range hits {
		s := 1.0
		if top > 0 {
			s = h.Score / top
		}
		h.Score = s + w*lat.Cosine(folded, h.ID)
		out = append(out, h)
	}
	out = append(out, joiners...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	out = out[:min(len(out), pool)]
	if related(out) < len(joiners) {
		joined = nil // some were cut: their counts are not what is returned
	}
	return out, folded, joined, nil
}

func intersect(ids, allowed []string) []string {
	ok := make(map[string]bool, len(allowed))
	for _, id := range allowed {
		ok[id] = true
	}
	out := ids[:0]
	for _, id := range ids {
		if ok[id] {
			out = append(out, id)
		}
	}
	return out
}

// markRelated says what a hit brought by the latent pass, which holds no
// word of the query, has in common with the query's topic: its three terms
// nearest the query in the latent space.
func markRelated(lat *Latent, folded []float64, hits []Hit) {
	if lat == nil || folded == nil {
		return
	}
	for i := range hits {
		if hits[i].Related != nil {
			hits[i].Related = lat.Related(folded, hits[i].ID, 3)
		}
	}
}

// related counts the hits the latent pass brought.
func related(hits []Hit) int {
	n := 0
	for _, h := range hits {
		if h.Related != nil {
			n++
		}
	}
	return n
}

// relatedFacets adds to facets the counts of the hits the latent pass
// brought, so that the facets add up to the total and a click on one
// returns what it counted.
func relatedFacets(ctx context.Context, pe PoolEngine, q Query, hits []Hit, facets map[string][]FacetValue) (map[string][]FacetValue, error) {
	if len(q.Facets) == 0 || pe == nil {
		return facets, nil
	}
	var ids []string
	for _, h := range hits {
		if h.Related != nil {
			ids = append(ids, h.ID)
		}
	}
	if len(ids) == 0 {
		return facets, nil
	}
	fq := q
	fq.Text, fq.Expansion, fq.Sort, fq.Highlight = "", nil, "", false
	fq.Offset, fq.Limit, fq.OnlyIDs = 0, 1, ids
	res, err := pe.Rank(ctx, fq, false)
	if err != nil {
		return nil, err
	}
	return addFacets(facets, res.Facets), nil
}
