package bleve

import (
	"testing"

	"techbridge/search"
	"techbridge/search/searchtest"
)

// mustOpen opens a fresh in-memory engine, closed by the caller.
func mustOpen(tb testing.TB) *Engine {
	tb.Helper()
	e, err := Open("")
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	return e
}

func TestContract(t *testing.T) {
	searchtest.Run(t, func(t *testing.T) search.Engine { return mustOpen(t) })
}
