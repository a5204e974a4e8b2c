package bleve

import (
	"bytes"
	"cmp"
	"container/heap"
	"context"
	"encoding/binary"
	"math"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/index/scorch"
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
	k       int
	total   int // documents that matched, set by the search
}

// Searcher implements query.Query.
func (q *topSumQuery) Searcher(ctx context.Context, i index.IndexReader, m mapping.IndexMapping,
	options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s := &topSumSearcher{q: q, clauses: make([]clause, 0, len(q.clauses))}
	lists, raw, err := openBM25(ctx, i, q.clauses)
	if err != nil {
		return nil, err
	}
	if raw {
		for _, l := range lists {
			s.clauses = append(s.clauses, l)
		}
	} else {
		for _, c := range q.clauses {
			cs, err := c.Searcher(ctx, i, m, options)
			if err != nil {
				s.Close()
				return nil, err
			}
			s.clauses = append(s.clauses, searcherClause{cs})
		}
	}
	if q.filter != nil {
		f, err := q.filter.Searcher(ctx, i, m, bsearch.SearcherOptions{Score: "none"})
		if err != nil {
			s.Close()
			return nil, err
		}
		s.filter = f
		n, err := estimate(ctx, i, m, q.filter)
		if err != nil {
			s.Close()
			return nil, err
		}
		// A filter that passes fewer documents than a word's posting list
		// holds on average is listed first and the lists probed at its
		// documents; a wider one (the kind, the language) is applied to
		// what the words found.
		var postings uint64
		for _, c := range s.clauses[:q.words] {
			postings += c.count()
		}
		s.probeFilter = q.words > 0 && n < postings/uint64(q.words)
		if raw && !s.probeFilter {
			if s.filterLists, _, err = openTermFilter(i, q.filter); err != nil {
				s.Close()
				return nil, err
			}
		}
	}
	// As the disjunction does: the clauses' scores share one query norm.
	sum := s.Weight()
	if sum > 0 {
		s.SetQueryNorm(1 / math.Sqrt(sum))
	}
	// A disk index numbers its documents densely (scorch), so sums live in
	// a slice by number. Under BM25 a term's score is below k1 · idf times
	// its query weight, which bounds what the characters can still add.
	_, s.dense = i.(*scorch.IndexSnapshot)
	if cb, ok := ctx.Value(bsearch.GetScoringModelCallbackKey).(bsearch.GetScoringModelCallbackFn); ok && s.dense && cb() == index.BM25Scoring && sum > 0 {
		qnorm := 1 / math.Sqrt(sum)
		for ci, c := range q.clauses {
			tq, ok := c.(*query.TermQuery)
			if !ok || tq.Boost() <= 0 {
				s.bounds = nil
				break
			}
			s.bounds = append(s.bounds, bsearch.BM25_k1*s.clauses[ci].weight()*qnorm/tq.Boost())
		}
	}
	return s, nil
}

// estimate returns about how many documents q matches, at least as many:
// a conjunction the fewest of its parts, a filtered boolean its must part,
// a list of ids its length, anything else its searcher's count (a
// disjunction's is the sum of its parts').
func estimate(ctx context.Context, i index.IndexReader, m mapping.IndexMapping, q query.Query) (uint64, error) {
	switch q := q.(type) {
	case *query.ConjunctionQuery:
		n := uint64(math.MaxUint64)
		for _, c := range q.Conjuncts {
			cn, err := estimate(ctx, i, m, c)
			if err != nil {
				return 0, err
			}
			n = min(n, cn)
		}
		return n, nil
	case *query.BooleanQuery:
		if q.Must != nil && q.Should == nil {
			return estimate(ctx, i, m, q.Must)
		}
	case *query.DocIDQuery:
		return uint64(len(q.IDs)), nil
	}
	s, err := q.Searcher(ctx, i, m, bsearch.SearcherOptions{Score: "none"})
	if err != nil {
		return 0, err
	}
	defer s.Close()
	return s.Count(), nil
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

// clause reads one term clause of a topSumQuery: by Bleve's searcher
// (searcherClause) or, on a disk index scored by BM25, by its posting list
// itself (bm25List). It is asked once per clause, never per posting: scan
// and probe hold the loops over the postings.
type clause interface {
	count() uint64   // postings
	weight() float64 // share of the query norm, as a searcher's Weight
	setNorm(qnorm float64)
	// scan adds the scores of the whole list to a; probe only those at
	// docs (in id order). A word's postings find documents, a character's
	// only add (accumulator.add).
	scan(ctx *bsearch.SearchContext, a *accumulator, word bool) error
	probe(ctx *bsearch.SearchContext, a *accumulator, docs []uint32, word bool) error
	poolSize() int // document matches it takes from the pool
	close() error
}

// searcherClause is a clause read by Bleve's searcher (a memory index).
type searcherClause struct{ s bsearch.Searcher }

func (c searcherClause) count() uint64         { return c.s.Count() }
func (c searcherClause) weight() float64       { return c.s.Weight() }
func (c searcherClause) setNorm(qnorm float64) { c.s.SetQueryNorm(qnorm) }
func (c searcherClause) poolSize() int         { return c.s.DocumentMatchPoolSize() }
func (c searcherClause) close() error          { return c.s.Close() }

// scan reads the searcher's whole posting list.
func (c searcherClause) scan(ctx *bsearch.SearchContext, a *accumulator, word bool) error {
	for {
		dm, err := c.s.Next(ctx)
		if err != nil || dm == nil {
			return err
		}
		s, ok, err := a.slot(dm.IndexInternalID, word && a.ok == nil)
		if err != nil {
			return err
		}
		if ok {
			a.add(s, dm.Score, word)
		}
		ctx.DocumentMatchPool.Put(dm)
	}
}

// probe advances the searcher through docs (in id order) only.
func (c searcherClause) probe(ctx *bsearch.SearchContext, a *accumulator, docs []uint32, word bool) error {
	for i := 0; i < len(docs); {
		dm, err := c.s.Advance(ctx, a.id(docs[i]))
		if err != nil {
			return err
		}
		if dm == nil {
			return nil
		}
		for i < len(docs) && bytes.Compare(a.id(docs[i]), dm.IndexInternalID) < 0 {
			i++
		}
		if i < len(docs) && bytes.Equal(a.id(docs[i]), dm.IndexInternalID) {
			a.add(docs[i], dm.Score, word)
			i++
		}
		ctx.DocumentMatchPool.Put(dm)
	}
	return nil
}

type topSumSearcher struct {
	q           *topSumQuery
	clauses     []clause
	filter      bsearch.Searcher
	probeFilter bool // list the filter's documents first (see Searcher)
	// A filter of terms applied to what the words found is read by its
	// posting lists' bare document numbers (bm25List.holding).
	filterLists []*bm25List
	dense       bool      // ids are document numbers (a disk index)
	bounds      []float64 // per clause, above any score it gives; nil when unknown
	done        bool
	out         []scoredDoc // the k best, in document order
	at          int
}

func (s *topSumSearcher) run(ctx *bsearch.SearchContext) error {
	s.done = true
	a := newAccumulator(s.dense)
	defer a.release()
	var allowed []uint32
	if s.filter != nil && s.probeFilter {
		var err error
		if allowed, err = a.allow(ctx, s.filter); err != nil {
			return err
		}
	}
	for ci := range s.q.words {
		if err := s.read(ctx, a, ci, allowed, allowed != nil); err != nil {
			return err
		}
	}
	docs := a.ordered()
	switch {
	case s.filterLists != nil && allowed == nil:
		var err error
		if docs, err = a.hold(docs, s.filterLists); err != nil {
			return err
		}
	case s.filter != nil && allowed == nil:
		kept := docs[:0]
		var at index.IndexInternalID // the filter's current document
		fdone := false
		for _, d := range docs {
			k := a.id(d)
			if !fdone && (at == nil || bytes.Compare(at, k) < 0) {
				fm, err := s.filter.Advance(ctx, k)
				if err != nil {
					return err
				}
				if fm == nil {
					fdone = true
				} else {
					at = append(at[:0], fm.IndexInternalID...)
					ctx.DocumentMatchPool.Put(fm)
				}
			}
			if at != nil && bytes.Equal(at, k) {
				kept = append(kept, d)
			} else {
				a.drop(d)
			}
		}
		docs = kept
	}
	s.q.total = len(docs)
	// The characters add to the documents found. Once the words have
	// scored, the k-th best sum so far is a floor of the k-th best total;
	// a document whose sum and the most the remaining characters could add
	// stay below that floor cannot be among the k best and is left out,
	// so each character's list is read only for the rest.
	rest := 0.0
	for ci := s.q.words; ci < len(s.q.clauses); ci++ {
		if s.bounds == nil {
			rest = math.Inf(1)
			break
		}
		rest += s.bounds[ci]
	}
	floor := math.Inf(-1)
	for ci := s.q.words; ci < len(s.q.clauses); ci++ {
		if !math.IsInf(rest, 1) && len(docs) > s.q.k {
			if (ci-s.q.words)%floorEvery == 0 {
				floor = kthLargest(a.score, docs, s.q.k)
			}
			// Sums are not negative (the bounds need positive boosts):
			// while rest alone reaches the floor no document can be
			// left out, and the pass over them is skipped.
			if rest*(1+1e-9) < floor {
				docs = a.prune(docs, floor, rest)
			}
			rest -= s.bounds[ci]
		}
		if err := s.read(ctx, a, ci, docs, true); err != nil {
			return err
		}
	}
	s.keep(a, docs)
	return nil
}

// read adds clause ci's scores: probed at docs when they are few against
// its list (and only may match), else its whole list read.
func (s *topSumSearcher) read(ctx *bsearch.SearchContext, a *accumulator, ci int, docs []uint32, only bool) error {
	c, word := s.clauses[ci], ci < s.q.words
	if only && uint64(len(docs))*probeCost < c.count() {
		return c.probe(ctx, a, docs, word)
	}
	return c.scan(ctx, a, word)
}

// floorEvery is how many characters' lists are read between two
// computations of the floor (a floor found earlier is still one).
const floorEvery = 8

// probeCost is about what advancing a posting list to a document costs
// against reading its next posting.
const probeCost = 2

// keep keeps the k best documents, in id order.
func (s *topSumSearcher) keep(a *accumulator, docs []uint32) {
	h := &topK{}
	for _, slot := range docs {
		d := a.doc(slot)
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
	for _, c := range s.clauses {
		if err := c.close(); err != nil && first == nil {
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
	for _, c := range s.clauses {
		w += c.weight()
	}
	return w
}

func (s *topSumSearcher) SetQueryNorm(qnorm float64) {
	for _, c := range s.clauses {
		c.setNorm(qnorm)
	}
}

func (s *topSumSearcher) Count() uint64 {
	var n uint64
	for _, c := range s.clauses {
		n += c.count()
	}
	return n
}

func (s *topSumSearcher) Min() int  { return 0 }
func (s *topSumSearcher) Size() int { return 64 + 16*cap(s.out) }

func (s *topSumSearcher) DocumentMatchPoolSize() int {
	n := 1
	for _, c := range s.clauses {
		n = max(n, c.poolSize())
	}
	if s.filter != nil {
		n += s.filter.DocumentMatchPoolSize()
	}
	return n + 1
}
