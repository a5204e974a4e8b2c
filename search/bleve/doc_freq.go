package bleve

import (
	"context"
	"fmt"

	"techbridge/search"
)

var _ search.TermCounter = (*Engine)(nil)

// DocFrequencies returns how many indexed documents hold each term in their
// text, the term analysed as queries analyse it (a Latin word stemmed), and
// how many documents there are: one posting-list length per term, read from
// the term dictionary without walking any list.
func (e *Engine) DocFrequencies(ctx context.Context, terms []string) (map[string]int, int, error) {
	a := e.mapping.AnalyzerNamed(textAnalyzer)
	e.mu.RLock()
	defer e.mu.RUnlock()
	ix, err := e.idx.Advanced()
	if err != nil {
		return nil, 0, fmt.Errorf("bleve: doc frequencies: %w", err)
	}
	r, err := ix.Reader()
	if err != nil {
		return nil, 0, fmt.Errorf("bleve: doc frequencies: %w", err)
	}
	defer r.Close()
	n, err := r.DocCount()
	if err != nil {
		return nil, 0, fmt.Errorf("bleve: doc frequencies: %w", err)
	}
	out := make(map[string]int, len(terms))
	for _, t := range terms {
		df := 0
		for _, tok := range a.Analyze([]byte(t)) {
			tfr, err := r.TermFieldReader(ctx, tok.Term, fieldBody, false, false, false)
			if err != nil {
				return nil, 0, fmt.Errorf("bleve: doc frequencies: %w", err)
			}
			df = max(df, int(tfr.Count()))
			tfr.Close()
		}
		out[t] = df
	}
	return out, int(n), nil
}
