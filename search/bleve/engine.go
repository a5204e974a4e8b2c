// Package bleve is the embedded search engine: search.Engine over a Bleve
// index in the data directory (or in memory for tests).
//
// Text analysis, chosen by measurement on the public relevance sets (see
// eval_test.go): CJK runs are cut into overlapping character bigrams, so
// 电池 is found inside 锂电池 without a dictionary. gse in search mode was
// measured too: P@10 within 0.01 of bigrams on csl and cnpat, for a 2.6 s
// dictionary load and twice the indexing time, so bigrams won. Latin words
// are lower-cased and Snowball-stemmed (uspto P@10 0.333 vs 0.300 without).
// All text goes into one body field, titles and keywords counted twice, and
// is scored as plain BM25 (see textFields and textQuery).
package bleve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"techbridge/search"
)

var _ search.Engine = (*Engine)(nil)

// Engine is search.Engine over one Bleve index. Reads run concurrently;
// writes are serialised so the version guard sees a stable index.
//
// The index keeps no copy of the documents, only what it searches, filters,
// counts and sorts (a stored copy made it larger than 2.5 times the text it
// holds): hits read their documents from a search.Source, the market store
// in serve, so they also show each listing as it is now.
type Engine struct {
	path string
	opt  analysisOptions
	src  search.Source

	// mem holds the documents of an in-memory engine without a source.
	memMu sync.RWMutex
	mem   map[string]search.Document

	// ranked keeps what the ranking pipeline reads of recently indexed or
	// ranked documents (search.RankDoc); writes replace or forget theirs.
	ranked *search.RankDocCache

	// latent keeps the latent semantic model of the indexed listings
	// (search.LatentIndex), recomputed in the background after writes;
	// stop ends that goroutine.
	latent *search.LatentIndex
	stop   context.CancelFunc

	mu      sync.RWMutex // guards idx (swapped by Reset)
	writeMu sync.Mutex   // serialises Upsert/Delete/Reset
	idx     bleve.Index
	mapping *mapping.IndexMappingImpl
}

// Open opens the index at path, creating it when absent, whose hits read
// their documents from src. Path "" keeps the index in memory; with a nil
// src the engine then keeps the documents in memory too (tests, throwaway
// evaluations).
func Open(path string, src search.Source) (*Engine, error) {
	return openWith(path, src, defaultAnalysis)
}

func openWith(path string, src search.Source, opt analysisOptions) (*Engine, error) {
	if src == nil && path != "" {
		return nil, fmt.Errorf("open bleve index %s: no document source", path)
	}
	m, err := newMapping(opt)
	if err != nil {
		return nil, fmt.Errorf("bleve mapping: %w", err)
	}
	e := &Engine{path: path, opt: opt, src: src, mapping: m, ranked: search.NewRankDocCache(rankDocs)}
	if src == nil {
		e.mem = map[string]search.Document{}
	}
	if e.idx, err = e.open(); err != nil {
		return nil, err
	}
	e.latent = search.NewLatentIndex(e.each, e.Count)
	ctx, stop := context.WithCancel(context.Background())
	e.stop = stop
	go e.latent.Run(ctx, latentInterval)
	return e, nil
}

// latentInterval is how long writes settle before the latent model is
// recomputed (see search.LatentIndex.Run).
var latentInterval = 10 * time.Second

// Latent returns the current latent semantic model, nil before the first
// build (search.LatentEngine).
func (e *Engine) Latent() *search.Latent { return e.latent.Model() }

// RebuildLatent computes the latent model of what is indexed now, at once:
// the evaluation and tests query right after indexing, where a server
// would have rebuilt it in the background meanwhile.
func (e *Engine) RebuildLatent(ctx context.Context) error { return e.latent.Rebuild(ctx) }

// each calls fn with every indexed listing whose id keep accepts (all
// when keep is nil), read through the source a thousand ids at a time in
// id order: what the latent model is computed from.
func (e *Engine) each(ctx context.Context, keep func(string) bool, fn func([]search.Document)) error {
	ids, err := e.indexedIDs(keep)
	if err != nil {
		return err
	}
	for len(ids) > 0 {
		part := ids[:min(1000, len(ids))]
		ids = ids[len(part):]
		docs, err := e.Documents(ctx, part)
		if err != nil {
			return err
		}
		batch := make([]search.Document, 0, len(docs))
		for _, id := range part {
			if d, ok := docs[id]; ok {
				batch = append(batch, d)
			}
		}
		fn(batch)
	}
	return nil
}

// indexedIDs lists the indexed documents' ids that keep accepts (all when
// keep is nil), sorted: one walk of the index's live documents, where paging
// a match-all query sorted by id walked every document for each page.
func (e *Engine) indexedIDs(keep func(string) bool) ([]string, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	ix, err := e.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("bleve: listing ids: %w", err)
	}
	r, err := ix.Reader()
	if err != nil {
		return nil, fmt.Errorf("bleve: listing ids: %w", err)
	}
	defer r.Close()
	all, err := r.DocIDReaderAll()
	if err != nil {
		return nil, fmt.Errorf("bleve: listing ids: %w", err)
	}
	defer all.Close()
	var ids []string
	for {
		n, err := all.Next()
		if err != nil {
			return nil, fmt.Errorf("bleve: listing ids: %w", err)
		}
		if n == nil {
			break
		}
		id, err := r.ExternalID(n)
		if err != nil {
			return nil, fmt.Errorf("bleve: listing ids: %w", err)
		}
		if keep == nil || keep(id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// rankDocs is how many RankDocs an engine keeps: 0.3–4.7 kB each on the
// public evaluation sets (cnpat, uspto, csl), so at most about 40 MB.
const rankDocs = 8192

// layoutKey holds the index layout version in the index; layout is the
// version this code writes and reads (3: no stored documents, keyword sort
// fields, see mapping.go; 4: the listing's languages).
var layoutKey = []byte("techbridge_layout")

const layout = "4"

func (e *Engine) open() (bleve.Index, error) {
	if e.path == "" {
		return bleve.NewMemOnly(e.mapping)
	}
	idx, err := bleve.Open(e.path)
	if err == nil {
		// An index of an older layout cannot be read by this code: it is
		// derived data, so it is dropped and rebuilt empty (run reindex).
		if v, gerr := idx.GetInternal(layoutKey); gerr != nil || string(v) != layout {
			idx.Close()
			if err := os.RemoveAll(e.path); err != nil {
				return nil, fmt.Errorf("drop outdated bleve index %s: %w", e.path, err)
			}
			err = bleve.ErrorIndexPathDoesNotExist
		}
	}
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		if idx, err = bleve.New(e.path, e.mapping); err == nil {
			err = idx.SetInternal(layoutKey, []byte(layout))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open bleve index %s: %w", e.path, err)
	}
	return idx, nil
}

// Name names the engine for /readyz.
func (e *Engine) Name() string { return "bleve" }

// Close closes the index.
func (e *Engine) Close() error {
	e.stop()
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.idx.Close()
}

// Count returns the number of indexed documents.
func (e *Engine) Count(ctx context.Context) (int, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	n, err := e.idx.DocCount()
	return int(n), err
}

// Reset drops the index and starts an empty one with the same mapping.
func (e *Engine) Reset(ctx context.Context) error {
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.idx.Close(); err != nil {
		return err
	}
	if e.path != "" {
		if err := os.RemoveAll(e.path); err != nil {
			return fmt.Errorf("reset bleve index: %w", err)
		}
	}
	idx, err := e.open()
	if err != nil {
		return err
	}
	e.idx = idx
	e.ranked.Purge()
	e.latent.Purge()
	e.memMu.Lock()
	clear(e.mem)
	e.memMu.Unlock()
	return nil
}

// Documents returns the documents with ids from the source, or from memory;
// unknown ids are left out.
func (e *Engine) Documents(ctx context.Context, ids []string) (map[string]search.Document, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if e.src != nil {
		docs, err := e.src.Documents(ctx, ids)
		if err != nil {
			return nil, fmt.Errorf("bleve: load documents: %w", err)
		}
		return docs, nil
	}
	e.memMu.RLock()
	defer e.memMu.RUnlock()
	out := make(map[string]search.Document, len(ids))
	for _, id := range ids {
		if d, ok := e.mem[id]; ok {
			out[id] = d
		}
	}
	return out, nil
}

// RankDocs returns what ranking reads of the documents with ids, from
// memory or else read like Documents; unknown ids are left out.
func (e *Engine) RankDocs(ctx context.Context, ids []string) (map[string]*search.RankDoc, error) {
	found, missing, gen := e.ranked.Get(ids)
	if len(missing) == 0 {
		return found, nil
	}
	docs, err := e.Documents(ctx, missing)
	if err != nil {
		return nil, err
	}
	e.ranked.Fill(gen, docs, found)
	return found, nil
}

// remember keeps the documents of an in-memory engine without a source.
func (e *Engine) remember(docs []search.Document, deleted []string) {
	if e.mem == nil {
		return
	}
	e.memMu.Lock()
	defer e.memMu.Unlock()
	for _, d := range docs {
		e.mem[d.ID] = d
	}
	for _, id := range deleted {
		delete(e.mem, id)
	}
}

// Delete removes documents by id; unknown ids are ignored.
func (e *Engine) Delete(ctx context.Context, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	e.mu.RLock()
	defer e.mu.RUnlock()
	b := e.idx.NewBatch()
	for _, id := range ids {
		b.Delete(id)
	}
	if err := e.idx.Batch(b); err != nil {
		return err
	}
	e.ranked.Forget(ids...)
	e.latent.Changed()
	e.remember(nil, ids)
	return nil
}
