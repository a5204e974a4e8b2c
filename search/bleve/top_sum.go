package bleve

import (
	"cmp"
	"container/heap"
	"context"
	"encoding/binary"
	"math"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// topSumQuery finds the k best documents by the plain sum of their term
// scores (as sumQuery scores them), among those that pass filter, and yields
// only those. It serves the pipeline's second pass, whose feedback terms
// match most of the index: a disjunction merges their postings through a
// heap and hands every match to the collector, while this reads each
// posting list once into an accumulator (term at a time) and keeps the k
// best. Scores are the very term scores Bleve computes, with the
// disjunction's query norm, so the ranking is the same.
type topSumQuery struct {
	clauses []query.Query // term queries
	words   int           // the first words clauses make a match; the others only add (see sumQuery)
	filter  query.Query   // nil when every document may match
	// selective: the filter passes few documents, so they are listed first
	// and the posting lists are only probed at them.
	selective bool
	k         int
	total     int // documents that matched, set by the search
}

// Searcher implements query.Query.
func (q *topSumQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping,
	options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s := &topSumSearcher{q: q}
	for _, c := range q.clauses {
		cs, err := c.Searcher(ctx, i, m, options)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.children = append(s.children, cs)
	}
	if q.filter != nil {
		f, err := q.filter.Searcher(ctx, i, m, bsearch.SearcherOptions{Score: "none"})
		if err != nil {
			s.Close()
			return nil, err
		}
		s.filter = f
	}
	// As the disjunction does: children scores share one query norm.
	var sum float64
	for _, c := range s.children {
		sum += c.Weight()
	}
	if sum > 0 {
		s.SetQueryNorm(1 / math.Sqrt(sum))
	}
	return s, nil
}

// scoredDoc is a document by its internal id: opaque bytes (the external
// id in a memory index), or num when every id is an 8-byte number (a disk
// index), with id left empty until the document is emitted.
type scoredDoc struct {
	id    string
	num   uint64
	score float64
}

// key returns the document's internal id; big-endian numbers order as
// their bytes do.
func (d *scoredDoc) key() string {
	if d.id == "" {
		d.id = numID(d.num)
	}
	return d.id
}

func byKey(a, b scoredDoc) int {
	if a.id == "" && b.id == "" {
		return cmp.Compare(a.num, b.num)
	}
	return strings.Compare(a.key(), b.key())
}

type topSumSearcher struct {
	q        *topSumQuery
	children []bsearch.Searcher
	filter   bsearch.Searcher
	done     bool
	out      []scoredDoc // the k best, in document order
	at       int
}

func (s *topSumSearcher) run(ctx *bsearch.SearchContext) error {
	s.done = true
	if s.filter != nil && s.q.selective {
		docs, err := s.probe(ctx)
		if err != nil {
			return err
		}
		s.keep(docs)
		return nil
	}
	docs, err := s.accumulate(ctx)
	if err != nil {
		return err
	}
	if s.filter != nil {
		slices.SortFunc(docs, byKey)
		kept := docs[:0]
		var at string // the filter's current document
		fdone, fhave := false, false
		for _, d := range docs {
			k := d.key()
			if !fdone && (!fhave || at < k) {
				fm, err := s.filter.Advance(ctx, index.IndexInternalID(k))
				if err != nil {
					return err
				}
				if fm == nil {
					fdone = true
				} else {
					at, fhave = string(fm.IndexInternalID), true
					ctx.DocumentMatchPool.Put(fm)
				}
			}
			if fhave && at == k {
				kept = append(kept, d)
			}
		}
		docs = kept
	}
	s.keep(docs)
	return nil
}

// keep sets the total and keeps the k best documents, in id order.
func (s *topSumSearcher) keep(docs []scoredDoc) {
	s.q.total = len(docs)
	h := &topK{}
	for _, d := range docs {
		if h.Len() < s.q.k {
			heap.Push(h, d)
		} else if worse((*h)[0], d) {
			(*h)[0] = d
			heap.Fix(h, 0)
		}
	}
	s.out = *h
	slices.SortFunc(s.out, byKey)
}

// probe lists the documents the filter passes, then advances each child
// through them only.
func (s *topSumSearcher) probe(ctx *bsearch.SearchContext) ([]scoredDoc, error) {
	var allowed []string
	for {
		fm, err := s.filter.Next(ctx)
		if err != nil {
			return nil, err
		}
		if fm == nil {
			break
		}
		allowed = append(allowed, string(fm.IndexInternalID))
		ctx.DocumentMatchPool.Put(fm)
	}
	acc := map[string]float64{}
	for ci, c := range s.children {
		for i := 0; i < len(allowed); {
			dm, err := c.Advance(ctx, index.IndexInternalID(allowed[i]))
			if err != nil {
				return nil, err
			}
			if dm == nil {
				break
			}
			id := string(dm.IndexInternalID)
			for i < len(allowed) && allowed[i] < id {
				i++
			}
			if i < len(allowed) && allowed[i] == id {
				if _, ok := acc[id]; ok || ci < s.q.words {
					acc[id] += dm.Score
				}
				i++
			}
			ctx.DocumentMatchPool.Put(dm)
		}
	}
	docs := make([]scoredDoc, 0, len(acc))
	for id, sc := range acc {
		docs = append(docs, scoredDoc{id: id, score: sc})
	}
	return docs, nil
}

// accumulate sums the children's scores per document. Disk indexes number
// documents with 8-byte ids, which are summed under integer keys (a third
// of the cost of string keys); any other id switches to string keys.
func (s *topSumSearcher) accumulate(ctx *bsearch.SearchContext) ([]scoredDoc, error) {
	byNum := map[uint64]float64{}
	var byID map[string]float64
	for ci, c := range s.children {
		word := ci < s.q.words
		for {
			dm, err := c.Next(ctx)
			if err != nil {
				return nil, err
			}
			if dm == nil {
				break
			}
			id := dm.IndexInternalID
			switch {
			case byID == nil && len(id) == 8:
				n := binary.BigEndian.Uint64(id)
				if _, ok := byNum[n]; ok || word {
					byNum[n] += dm.Score
				}
			default:
				if byID == nil {
					byID = make(map[string]float64, len(byNum))
					for n, sc := range byNum {
						byID[numID(n)] = sc
					}
				}
				if _, ok := byID[string(id)]; ok || word {
					byID[string(id)] += dm.Score
				}
			}
			ctx.DocumentMatchPool.Put(dm)
		}
	}
	var docs []scoredDoc
	if byID == nil {
		docs = make([]scoredDoc, 0, len(byNum))
		for n, sc := range byNum {
			docs = append(docs, scoredDoc{score: sc, num: n})
		}
		return docs, nil
	}
	docs = make([]scoredDoc, 0, len(byID))
	for id, sc := range byID {
		docs = append(docs, scoredDoc{id: id, score: sc})
	}
	return docs, nil
}

func numID(n uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], n)
	return string(b[:])
}

// worse reports whether a ranks below b: a lower score, or the same score
// and a later document (the collector keeps the earlier of a tie).
func worse(a, b scoredDoc) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return byKey(a, b) > 0
}

// topK is a min-heap of the best documents, the worst on top.
type topK []scoredDoc

func (h topK) Len() int           { return len(h) }
func (h topK) Less(i, j int) bool { return worse(h[i], h[j]) }
func (h topK) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *topK) Push(x any)        { *h = append(*h, x.(scoredDoc)) }
func (h *topK) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (s *topSumSearcher) emit(ctx *bsearch.SearchContext) *bsearch.DocumentMatch {
	if s.at >= len(s.out) {
		return nil
	}
	d := s.out[s.at]
	s.at++
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = append(dm.IndexInternalID[:0], d.key()...)
	dm.Score = d.score
	return dm
}

func (s *topSumSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.done {
		if err := s.run(ctx); err != nil {
			return nil, err
		}
	}
	return s.emit(ctx), nil
}

func (s *topSumSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if !s.done {
		if err := s.run(ctx); err != nil {
			return nil, err
		}
	}
	for s.at < len(s.out) && s.out[s.at].key() < string(id) {
		s.at++
	}
	return s.emit(ctx), nil
}

func (s *topSumSearcher) Close() error {
	var first error
	for _, c := range s.children {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	if s.filter != nil {
		if err := s.filter.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *topSumSearcher) Weight() float64 {
	var w float64
	for _, c := range s.children {
		w += c.Weight()
	}
	return w
}

func (s *topSumSearcher) SetQueryNorm(qnorm float64) {
	for _, c := range s.children {
		c.SetQueryNorm(qnorm)
	}
}

func (s *topSumSearcher) Count() uint64 {
	var n uint64
	for _, c := range s.children {
		n += c.Count()
	}
	return n
}

func (s *topSumSearcher) Min() int  { return 0 }
func (s *topSumSearcher) Size() int { return 64 + 16*cap(s.out) }

func (s *topSumSearcher) DocumentMatchPoolSize() int {
	n := 1
	for _, c := range s.children {
		n = max(n, c.DocumentMatchPoolSize())
	}
	if s.filter != nil {
		n += s.filter.DocumentMatchPoolSize()
	}
	return n + 1
}
