package meili

import (
	"context"
	"fmt"
	"strings"

	"github.com/meilisearch/meilisearch-go"
)

// maxSuggestions bounds Suggest's limit.
const maxSuggestions = 20

// Suggest returns up to limit keywords, then titles, that contain prefix,
// found by a small search on titles and keywords (Meilisearch matches the
// last query word as a prefix).
func (e *Engine) Suggest(ctx context.Context, prefix string, limit int) ([]string, error) {
	prefix = strings.TrimSpace(prefix)
	limit = min(limit, maxSuggestions)
	if prefix == "" || limit <= 0 {
		return nil, nil
	}
	resp, err := e.index.Search(ctx, prefix, &meilisearch.SearchRequest{
		Query:                prefix,
		Limit:                int64(3 * limit),
		AttributesToSearchOn: []string{"title", "keywords", "cjk_grams"},
		AttributesToRetrieve: []string{"title", "keywords"},
	})
	if err != nil {
		return nil, fmt.Errorf("meili: suggest: %w", err)
	}
	var keywords, titles []string
	for _, h := range resp.Hits {
		var r row
		if err := h.DecodeInto(&r); err != nil {
			return nil, fmt.Errorf("meili: suggest: %w", err)
		}
		keywords = append(keywords, r.Keywords...)
		titles = append(titles, r.Title)
	}
	want := strings.ToLower(prefix)
	seen := map[string]bool{}
	var out []string
	for _, s := range append(keywords, titles...) {
		k := strings.ToLower(s)
		if len(out) == limit {
			break
		}
		if strings.Contains(k, want) && !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out, nil
}
