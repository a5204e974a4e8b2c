package bleve

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"techbridge/search"
)

// suggestScan bounds how many matching documents a suggestion looks at.
const suggestScan = 200

// suggestRunes is how much of each title and keyword the suggest field
// indexes (see suggestKey); longer prefixes are checked on the documents' text.
const suggestRunes = 8

// Suggest returns up to limit distinct titles or keywords that start with
// prefix (case- and width-insensitive), the most frequent first, then the
// shortest.
func (e *Engine) Suggest(ctx context.Context, prefix string, limit int) ([]string, error) {
	p := e.foldSuggest(strings.TrimSpace(prefix))
	if p == "" {
		return nil, nil
	}
	limit = max(1, min(limit, search.MaxLimit))
	pq := query.NewPrefixQuery(suggestKey(p))
	pq.SetField(fieldSuggest)
	req := bleve.NewSearchRequestOptions(pq, suggestScan, 0, false)
	req.Score = "none"
	e.mu.RLock()
	res, err := e.idx.SearchInContext(ctx, req)
	e.mu.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("bleve suggest: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	docs, err := e.Documents(ctx, ids)
	if err != nil {
		return nil, err
	}
	count := map[string]int{}
	for _, d := range docs {
		for _, s := range append([]string{d.Title}, d.Keywords...) {
			s = strings.TrimSpace(s)
			if strings.HasPrefix(e.foldSuggest(s), p) {
				count[s]++
			}
		}
	}
	out := make([]string, 0, len(count))
	for s := range count {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if count[a] != count[b] {
			return count[a] > count[b]
		}
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// foldSuggest folds a value with the suggest analyzer (width, case), so the
// prefix check agrees with the index.
func (e *Engine) foldSuggest(s string) string {
	toks := e.mapping.AnalyzerNamed(suggestAnalyzer).Analyze([]byte(s))
	if len(toks) == 0 {
		return ""
	}
	return string(toks[0].Term)
}
