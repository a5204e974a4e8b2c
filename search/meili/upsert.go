package meili

import (
	"context"
	"fmt"

	"github.com/meilisearch/meilisearch-go"

	"techbridge/search"
)

// Upsert adds or replaces documents, skipping any whose Version is lower than
// the indexed one, and waits until Meilisearch has indexed them.
// Version guard: Meilisearch cannot compare on write, so read indexed versions first, then write, under e.writes (one writing process).
func (e *Engine) Upsert(ctx context.Context, docs ...search.Document) error {
	latest := newest(docs)
	if len(latest) == 0 {
		return nil
	}
	e.writes.Lock()
	defer e.writes.Unlock()
	for start := 0; start < len(latest); start += batchSize {
		batch := latest[start:min(start+batchSize, len(latest))]
		indexed, err := e.versions(ctx, batch)
		if err != nil {
			return err
		}
		rows := make([]row, 0, len(batch))
		for _, d := range batch {
			if v, ok := indexed[d.ID]; ok && d.Version < v {
				continue
			}
			rows = append(rows, toRow(d))
		}
		if len(rows) == 0 {
			continue
		}
		task, err := e.index.AddDocuments(ctx, rows, &meilisearch.DocumentOptions{PrimaryKey: new("id")})
		if err != nil {
			return fmt.Errorf("meili: add documents: %w", err)
		}
		if err := e.wait(ctx, task); err != nil {
			return err
		}
	}
	return nil
}

// newest keeps, per id, the document with the highest version (the later one
// on a tie), in first-seen order.
func newest(docs []search.Document) []search.Document {
	at := map[string]int{}
	var out []search.Document
	for _, d := range docs {
		i, ok := at[d.ID]
		switch {
		case !ok:
			at[d.ID] = len(out)
			out = append(out, d)
		case d.Version >= out[i].Version:
			out[i] = d
		}
	}
	return out
}

// versions returns the indexed version of each document of the batch that
// is already in the index.
func (e *Engine) versions(ctx context.Context, batch []search.Document) (map[string]int64, error) {
	ids := make([]string, len(batch))
	for i, d := range batch {
		ids[i] = d.ID
	}
	var res meilisearch.DocumentsResult
	err := e.index.GetDocuments(ctx, &meilisearch.DocumentsQuery{
		Filter: "id IN " + quoteAll(ids),
		Fields: []string{"id", "version"},
		Limit:  int64(len(ids)),
	}, &res)
	if err != nil {
		return nil, fmt.Errorf("meili: read versions: %w", err)
	}
	out := make(map[string]int64, len(res.Results))
	for _, hit := range res.Results {
		var v struct {
			ID      string `json:"id"`
			Version int64  `json:"version"`
		}
		if err := hit.DecodeInto(&v); err != nil {
			return nil, fmt.Errorf("meili: read versions: %w", err)
		}
		out[v.ID] = v.Version
	}
	return out, nil
}
