package search

import (
	"context"
	"sort"
	"strings"
)

// Service is the search path that the HTTP API and matching call. Free-text
// queries ranked by relevance go through a feedback pipeline on top of the
// engine's field-weighted BM25:
//
//  1. a first pass takes the engine's best candidates;
//  2. pseudo-relevance feedback: terms that are frequent in the best hits
//     and rare among the other candidates are added to the query
//     (Query.Expansion), and a second pass ranks with them;
//  3. the IPC subclasses and technology fields of the best hits are taken as
//     the query's likely classes, and candidates in them move up.
//
// Queries without text, or with an explicit sort, go straight to the engine.
//
// With a PoolEngine each pass costs little beyond the engine's ranking: the
// passes rank without documents, feedback and the class votes read the
// pool's RankDocs (kept by the engine, so a listing's text is read from the
// store and cut into terms once, not on every query that ranks it), and
// only the page returned is read from the store, marked and highlighted. Facets are counted once, by
// the first pass, over what the query itself matches.
type Service struct {
	Engine Engine
	// Ranking tunes the pipeline; nil means DefaultRanking.
	Ranking *Ranking
}

// LatentEngine is an Engine that keeps a latent semantic model of its
// listings (latent.go); nil until the first one is computed.
type LatentEngine interface {
	Latent() *Latent
}

// PoolEngine is an Engine that the pipeline can ask for a ranking alone and
// for documents by id, so that it loads and marks only what it uses. Other
// engines get plain Search calls.
type PoolEngine interface {
	Engine
	// Rank answers q like Search but leaves Terms and Highlights empty;
	// without load, hits carry only ID and Score.
	Rank(ctx context.Context, q Query, load bool) (Result, error)
	// Documents returns the indexed documents with ids; unknown ids are
	// left out.
	Documents(ctx context.Context, ids []string) (map[string]Document, error)
	// Mark sets Terms of hits for text, and Highlights when highlight is set,
	// as Search does.
	Mark(text string, hits []Hit, highlight bool)
	// RankDocs returns what ranking reads of the documents with ids (kept
	// in a RankDocCache, the rest read like Documents); unknown ids are
	// left out.
	RankDocs(ctx context.Context, ids []string) (map[string]*RankDoc, error)
}

// Ranking holds the pipeline's parameters. They are tuned for the method on
// the public evaluation sets, not for any one set (see search/relevance).
type Ranking struct {
	Pool         int     // candidates fetched and re-ranked per pass
	FeedbackDocs int     // best first-pass hits that feed expansion and classes
	ExpandTerms  int     // feedback terms added to the query; 0 disables expansion
	ExpandWeight float64 // weight of the strongest feedback term (a query word weighs 1)
	MinDocs      int     // a feedback term must occur in at least this many feedback hits
	ClassWeight  float64 // bonus for the inferred IPC class, relative to the best score (1)
	FieldWeight  float64 // bonus for the inferred technology field, likewise
	// LatentWeight weighs a listing's latent cosine to the query
	// (latent.go), relative to the best score (1), times the share of the
	// feedback hits without IPC classes; 0 disables it.
	LatentWeight float64
	LatentMinCos float64 // a listing without a word of the query joins at this cosine or more

	// Across languages (bridge.go).
	BridgeDocs        int     // best hits in the query's own language whose classes are bridged
	BridgeClasses     int     // at most this many likely classes are bridged
	BridgeMinPrior    float64 // a class is bridged when at least this share of those hits is in it
	BridgeGroupWeight float64 // bonus for the likeliest IPC main group, relative to the class chance (at most 1)
	BridgeWordWeight  float64 // weight of words shared with the query, relative to the class chance
	BridgeDictWeight  float64 // likewise when the only shared words are the dictionary's translations
}

// DefaultRanking is the measured default of the pipeline.
// Measured on the public sets with the query's own record kept out (see
// search/bleve/eval_test.go): 20 terms at 0.5 beat 10 at 0.3 on csl
// (P@10 0.201 vs 0.197), 20 feedback hits were worse than 10. Under
// protocol v2 on the disk index a class weight of 1 beat 0.5 and 0.7 on
// both patent sets (cnpat P@10 0.326 / 0.342 / 0.363, uspto 0.385 / 0.398 /
// 0.410, MRR above BM25 throughout); csl carries no classes. FieldWeight is
// not measured on its own (the sets' fields derive from their IPC) and is
// kept below ClassWeight. Under protocol X, with the query's dictionary
// translations as the only shared words, 0.25 beat 0.5 and 0 (P@10 zh→en
// 0.414 / 0.402 / 0.407, en→zh 0.467 / 0.457 / 0.471, MRR@10 highest at
// 0.25 in both directions; without the dictionary 0.382 and 0.463).
// The latent pass (rank_latent.go) at weight 1 / 2 / 3 / 4 took csl from
// P@10 0.173 to 0.199 / 0.206 / 0.209 / 0.210 (MRR@10 0.427 → 0.449 /
// 0.455 / 0.459 / 0.465); a joining cosine of 0.6 keeps its figure while
// 6.6 of a query's 100 results join, where 0.5 let 21 join.
var DefaultRanking = Ranking{
	Pool:         100,
	FeedbackDocs: 10,
	ExpandTerms:  20,
	ExpandWeight: 0.5,
	MinDocs:      2,
	ClassWeight:  1,
	FieldWeight:  0.3,
	LatentWeight: 3,
	LatentMinCos: 0.6,

	BridgeDocs:        10,
	BridgeClasses:     3,
	BridgeMinPrior:    0.1,
	BridgeGroupWeight: 0.25,
	BridgeWordWeight:  0.5,
}

// Search answers a query; see Service.
func (s *Service) Search(ctx context.Context, q Query) (Result, error) {
	r := DefaultRanking
	if s.Ranking != nil {
		r = *s.Ranking
	}
	q.Text = CapQuery(q.Text) // the entry point bounds what every path below reads
	from, across := bridgeNeeded(q)
	if strings.TrimSpace(q.Text) == "" || (q.Sort != "" && !across) || r.Pool <= 0 {
		return s.Engine.Search(ctx, q)
	}
	offset, limit := pageOf(q)
	pool := min(r.Pool, MaxLimit)
	if across && r.BridgeDocs > 0 {
		return s.bridge(ctx, q, from, r, offset, limit, pool)
	}

	pe, _ := s.Engine.(PoolEngine)
	first := q
	first.Offset, first.Limit, first.Highlight = 0, pool, false
	var res1 Result
	var rds map[string]*RankDoc
	var err error
	if pe != nil {
		if res1, err = pe.Rank(ctx, first, false); err == nil {
			rds, err = pe.RankDocs(ctx, hitIDs(res1.Hits))
			res1.Hits = withRankDocs(res1.Hits, rds)
		}
	} else {
		res1, err = s.Engine.Search(ctx, first)
	}
	if err != nil {
		return Result{}, err
	}
	if len(res1.Hits) == 0 {
		res1.Hits = nil
		return res1, nil
	}
	fb := feedbackOf(res1.Hits, r.FeedbackDocs)
	if rds != nil {
		fb.vec = func(d *Document) termVec { return rds[d.ID].vec }
		fb.classes = func(d Document) []string { return rds[d.ID].classes }
	}

	second := q
	second.Offset, second.Limit, second.Facets = 0, pool, nil
	second.Expansion = append(append([]WeightedTerm(nil), q.Expansion...),
		expansionTerms(q.Text, fb, res1.Hits, r)...)
	// The expanded query re-ranks the first pass's candidates, never the
	// whole index: every hit then holds a word of the query (a feedback
	// term alone does not make a hit, so a search for 电池 shows no listing
	// without 电池), the total and the facets, counted by the first pass,
	// describe what is returned, and since feedback terms are common words
	// it is several times cheaper. Searching the whole index when the pool
	// was not full was as good on the public sets (P@10 within 0.006).
	second.OnlyIDs = hitIDs(res1.Hits)
	res2 := res1
	switch expanded := len(second.Expansion) > len(q.Expansion); {
	case pe != nil && expanded:
		if res2, err = pe.Rank(ctx, second, false); err != nil {
			return Result{}, err
		}
		res2.Hits = withRankDocs(res2.Hits, rds)
	case pe == nil && (expanded || q.Highlight):
		if res2, err = s.Engine.Search(ctx, second); err != nil {
			return Result{}, err
		}
	}
	// rerank reorders res2's hits in place: res1's when there was no
	// second pass, of which only the length is read from here on.
	hits := rerank(res2.Hits, fb, r)
	var folded []float64
	var lat *Latent
	var joined map[string][]FacetValue
	if le, ok := s.Engine.(LatentEngine); ok && pe != nil {
		if lat = le.Latent(); lat != nil {
			if hits, folded, joined, err = fuseLatent(ctx, pe, lat, q, hits, fb, r, pool); err != nil {
				return Result{}, err
			}
		}
	}

	// Listings the latent pass brought are counted in the total and the
	// facets beside what the query's words match.
	out := Result{Total: res1.Total + related(hits), Facets: res1.Facets}
	if joined != nil {
		out.Facets = addFacets(out.Facets, joined)
	} else if out.Facets, err = relatedFacets(ctx, pe, q, hits, out.Facets); err != nil {
		return Result{}, err
	}
	if offset < len(hits) {
		out.Hits = hits[offset:min(len(hits), offset+limit)]
		if pe != nil {
			if out.Hits, err = loadPage(ctx, pe, out.Hits); err != nil {
				return Result{}, err
			}
			pe.Mark(q.Text, out.Hits, q.Highlight)
			markRelated(lat, folded, out.Hits)
		}
	}
	// Pages past the re-ranked pool continue in the engine's order of the
	// query itself, whose first pool hits are the pool.
	if rest := offset + limit - max(offset, len(hits)); rest > 0 && len(res1.Hits) == pool {
		tail := first
		tail.Offset, tail.Limit, tail.Facets, tail.Highlight = max(offset, pool), rest, nil, q.Highlight
		more, err := s.Engine.Search(ctx, tail)
		if err != nil {
			return Result{}, err
		}
		out.Hits = append(out.Hits, more.Hits...)
	}
	return out, nil
}

// pageOf returns the page q asks for, within the engines' bounds.
func pageOf(q Query) (offset, limit int) {
	offset, limit = q.Offset, q.Limit
	switch {
	case limit <= 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}
	return max(0, min(offset, MaxOffset)), limit
}

// withRankDocs gives hits the field and IPC codes ranking reads, dropping
// those without a RankDoc.
func withRankDocs(hits []Hit, rds map[string]*RankDoc) []Hit {
	n := 0
	for i := range hits { // by index: a Hit is half a kilobyte
		rd, ok := rds[hits[i].ID]
		if !ok {
			continue
		}
		if n != i {
			hits[n] = hits[i]
		}
		hits[n].Field, hits[n].IPC = rd.field, rd.ipc
		n++
	}
	return hits[:n]
}

func hitIDs(hits []Hit) []string {
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// loadPage sets the documents of the returned hits, read in one call (so a
// page shows each listing as it is now); a hit deleted in between is dropped.
func loadPage(ctx context.Context, pe PoolEngine, hits []Hit) ([]Hit, error) {
	docs, err := pe.Documents(ctx, hitIDs(hits))
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

// feedback is the evidence the best first-pass hits give about the query.
type feedback struct {
	docs    []Document
	weights []float64 // per doc, the best is 1
	// vec gives a document's feedback terms (docTerms when nil), for the
	// feedback docs and the pool alike.
	vec func(*Document) termVec
	// classes gives a document's IPC subclasses (ipcClasses when nil).
	classes func(Document) []string
}

// feedbackOf takes the best n hits weighted by their score relative to the
// best one, so near-ties count alike and a weak tail counts little.
func feedbackOf(hits []Hit, n int) feedback {
	var fb feedback
	if len(hits) == 0 || n <= 0 {
		return fb
	}
	top := hits[0].Score
	for _, h := range hits[:min(n, len(hits))] {
		w := 1.0
		if top > 0 {
			w = h.Score / top
		}
		fb.docs = append(fb.docs, h.Document)
		fb.weights = append(fb.weights, w)
	}
	return fb
}

// fieldClass is a document's field as the one class the field prior counts.
func fieldClass(d Document) []string {
	if d.Field == "" {
		return nil
	}
	return []string{d.Field}
}

// rerank adds the class agreement bonus to each hit's score (relative to the
// best) and sorts hits, in place; the engine's order breaks ties.
func rerank(hits []Hit, fb feedback, r Ranking) []Hit {
	if len(hits) == 0 {
		return nil
	}
	classesOf := fb.classes
	if classesOf == nil {
		classesOf = ipcClasses
	}
	classes := classPrior(fb, classesOf)
	fields := classPrior(fb, fieldClass)
	top := hits[0].Score
	for i := range hits {
		h := &hits[i]
		s := 1.0
		if top > 0 {
			s = h.Score / top
		}
		// A hit has one field, so its agreement is that field's prior.
		h.Score = s + (r.ClassWeight*agreement(classes, classesOf(h.Document)) + r.FieldWeight*fields[h.Field])
	}
	idx := make([]int, len(hits))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return hits[idx[a]].Score > hits[idx[b]].Score })
	permute(hits, idx)
	return hits
}

// permute puts hits[idx[i]] at i, moving each hit once: a Hit is half a
// kilobyte, and copying the pool into new slices was most of rerank.
func permute(hits []Hit, idx []int) {
	for i := range idx {
		if idx[i] < 0 || idx[i] == i {
			continue
		}
		tmp := hits[i]
		j := i
		for idx[j] != i {
			next := idx[j]
			hits[j] = hits[next]
			idx[j] = -1
			j = next
		}
		hits[j] = tmp
		idx[j] = -1
	}
}
