package bleve

import (
	"context"
	"testing"

	"techbridge/search"
	"techbridge/search/searchtest"
)

// mustOpen opens a fresh in-memory engine, closed by the caller.
func mustOpen(tb testing.TB) *Engine {
	tb.Helper()
	e, err := Open("", nil)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return e
}

// docSource is a search.Source over documents the test holds, for indexes
// on disk (which keep no documents).
type docSource map[string]search.Document

func sourceOf(docs ...search.Document) docSource {
	s := docSource{}
	for _, d := range docs {
		s[d.ID] = d
	}
	return s
}

func (s docSource) Documents(_ context.Context, ids []string) (map[string]search.Document, error) {
	out := map[string]search.Document{}
	for _, id := range ids {
		if d, ok := s[id]; ok {
			out[id] = d
		}
	}
	return out, nil
}

func TestContract(t *testing.T) {
	searchtest.Run(t, func(t *testing.T) search.Engine { return mustOpen(t) })
}
