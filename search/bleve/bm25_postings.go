package bleve

import (
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/scorer"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// bm25List reads one term's posting list of a disk index segment by
// segment and scores each posting as Bleve's BM25 term scorer does
// (scorer.TermQueryScorer), for topSumSearcher. A term searcher costs per
// posting a document match from the pool, the norm's square root and three
// divisions; here a posting is a number and a score, and the part of the
// score that depends on the field length alone is computed once per length
// and field (bm25Field.lengths). TestBM25ListScoresAsBleve holds it to the
// scorer, bit for bit.
type bm25List struct {
	pls         []segment.PostingsList
	its         []segment.PostingsIterator
	offsets     []uint64 // each segment's first document number
	seg         int      // the segment read
	n           uint64   // postings
	f           *bm25Field
	boost       float64
	idf         float64
	queryWeight float64 // boost · idf · query norm (setNorm), the scorer's queryWeight
}

// bm25Field is what every term of one field shares: the documents, the
// field's average length, each segment's dictionary of it, and by field
// length k1 · (1 − b + b · length / average), the length's share of a
// score's denominator (0 until computed).
type bm25Field struct {
	total   uint64
	avg     float64
	dicts   []segment.TermDictionary
	lengths []float64
}

// maxLength bounds the field lengths whose share is kept.
const maxLength = 1 << 16

// openBM25 returns the clauses' posting lists when every clause is a term
// query scored by BM25 on a disk index with the statistics of that index
// alone; ok is false otherwise (the caller uses Bleve's searchers).
func openBM25(ctx context.Context, i index.IndexReader, clauses []query.Query) (lists []*bm25List, ok bool, err error) {
	snap, isSnap := i.(*scorch.IndexSnapshot)
	cb, hasModel := ctx.Value(bsearch.GetScoringModelCallbackKey).(bsearch.GetScoringModelCallbackFn)
	if !isSnap || !hasModel || cb() != index.BM25Scoring {
		return nil, false, nil
	}
	// Statistics of several indexes (an alias) or synonyms change what a
	// term searcher does.
	if ctx.Value(bsearch.BM25StatsKey) != nil || ctx.Value(bsearch.FieldTermSynonymMapKey) != nil {
		return nil, false, nil
	}
	fields := map[string]*bm25Field{}
	segs := snap.Segments()
	for _, c := range clauses {
		tq, isTerm := c.(*query.TermQuery)
		if !isTerm || tq.Field() == "" {
			return nil, false, nil
		}
		f := fields[tq.Field()]
		if f == nil {
			if f, err = openBM25Field(snap, segs, tq.Field()); err != nil || f == nil {
				return nil, false, err
			}
			fields[tq.Field()] = f
		}
		l := &bm25List{f: f, boost: tq.Boost(), queryWeight: 1}
		if err := l.open(segs, f.dicts, tq.Term); err != nil {
			return nil, false, err
		}
		for _, pl := range l.pls {
			l.its = append(l.its, pl.Iterator(true, true, false, nil))
		}
		// As scorer.TermQueryScorer.computeIDF under BM25.
		l.idf = math.Log(1 + (float64(f.total)-float64(l.n)+0.5)/
			(float64(l.n)+0.5))
		lists = append(lists, l)
	}
	return lists, true, nil
}

// open finds term's posting list in each segment (dicts: the field's).
func (l *bm25List) open(segs []*scorch.SegmentSnapshot, dicts []segment.TermDictionary, term string) error {
	var at uint64
	for si, s := range segs {
		pl, err := dicts[si].PostingsList([]byte(term), s.Deleted(), nil)
		if err != nil {
			return err
		}
		l.pls = append(l.pls, pl)
		l.offsets = append(l.offsets, at)
		at += s.Segment().Count()
		l.n += pl.Count()
	}
	return nil
}

// openTermFilter returns the posting lists of a filter that is a term
// query or a conjunction of term queries, for holding (unscored); ok is
// false for any other filter or index.
func openTermFilter(i index.IndexReader, filter query.Query) (lists []*bm25List, ok bool, err error) {
	snap, isSnap := i.(*scorch.IndexSnapshot)
	if !isSnap {
		return nil, false, nil
	}
	terms := []query.Query{filter}
	if c, isAnd := filter.(*query.ConjunctionQuery); isAnd {
		terms = c.Conjuncts
	}
	segs := snap.Segments()
	for _, t := range terms {
		tq, isTerm := t.(*query.TermQuery)
		if !isTerm || tq.Field() == "" {
			return nil, false, nil
		}
		dicts, err := fieldDicts(segs, tq.Field())
		if err != nil {
			return nil, false, err
		}
		l := &bm25List{}
		if err := l.open(segs, dicts, tq.Term); err != nil {
			return nil, false, err
		}
		lists = append(lists, l)
	}
	return lists, len(lists) > 0, nil
}

// openBM25Field reads a field's statistics as Bleve's term searcher does
// (bm25ScoreMetrics); nil when they would make it score by tf-idf.
func openBM25Field(snap *scorch.IndexSnapshot, segs []*scorch.SegmentSnapshot, field string) (*bm25Field, error) {
	total, err := snap.DocCount()
	if err != nil {
		return nil, err
	}
	card, err := snap.FieldCardinality(field)
	if err != nil {
		return nil, err
	}
	if total == 0 {
		return nil, nil
	}
	f := &bm25Field{total: total, avg: math.Ceil(float64(card) / float64(total))}
	if f.avg <= 0 {
		return nil, nil
	}
	if f.dicts, err = fieldDicts(segs, field); err != nil {
		return nil, err
	}
	return f, nil
}

// fieldDicts is each segment's dictionary of field.
func fieldDicts(segs []*scorch.SegmentSnapshot, field string) ([]segment.TermDictionary, error) {
	dicts := make([]segment.TermDictionary, 0, len(segs))
	for _, s := range segs {
		d, err := s.Segment().Dictionary(field)
		if err != nil {
			return nil, err
		}
		dicts = append(dicts, d)
	}
	return dicts, nil
}

// count is the list's postings.
func (l *bm25List) count() uint64 { return l.n }

// weight is the term's share of the query norm, as the scorer's Weight.
func (l *bm25List) weight() float64 {
	sum := l.boost * l.idf
	return sum * sum
}

// setNorm sets the query norm, as the scorer's SetQueryNorm.
func (l *bm25List) setNorm(qnorm float64) {
	l.queryWeight = l.boost * l.idf * qnorm
}

// poolSize is 0: a posting is read as a number and a score, with no
// document match from the pool.
func (l *bm25List) poolSize() int { return 0 }

// close has nothing to release: the lists belong to the snapshot.
func (l *bm25List) close() error { return nil }

// scan reads the whole list, a number and a score per posting.
func (l *bm25List) scan(_ *bsearch.SearchContext, a *accumulator, word bool) error {
	for {
		num, score, more, err := l.next()
		if err != nil || !more {
			return err
		}
		s, ok, err := a.numSlot(num, word && a.ok == nil)
		if err != nil {
			return err
		}
		if ok {
			a.add(s, score, word)
		}
	}
}

// probe advances the list only to the documents of docs it holds
// (holding).
func (l *bm25List) probe(_ *bsearch.SearchContext, a *accumulator, docs []uint32, word bool) error {
	docs, err := l.holding(docs, a.held[:0])
	if err != nil {
		return err
	}
	a.held = docs
	for i := 0; i < len(docs); {
		num, score, more, err := l.advance(uint64(docs[i]))
		if err != nil || !more {
			return err
		}
		for i < len(docs) && uint64(docs[i]) < num {
			i++
		}
		if i < len(docs) && uint64(docs[i]) == num {
			a.add(docs[i], score, word)
			i++
		}
	}
	return nil
}

// normer is a posting that gives its field length without the square root
// of Norm (zap's).
type normer interface{ NormUint64() uint64 }

// score is the posting's score, as the scorer's Score under BM25: the
// same operations in the same order, the length's share looked up.
func (l *bm25List) score(p segment.Posting) float64 {
	freq := p.Frequency()
	nu, ok := p.(normer)
	if !ok || freq >= scorer.MaxSqrtCache {
		return l.compute(freq, p.Norm())
	}
	n := nu.NormUint64()
	if n >= maxLength {
		return l.compute(freq, p.Norm())
	}
	f := l.f
	if n >= uint64(len(f.lengths)) {
		f.lengths = append(f.lengths, make([]float64, max(int(n)+1, 2*len(f.lengths))-len(f.lengths))...)
	}
	share := f.lengths[n]
	if share == 0 {
		share = f.share(p.Norm())
		f.lengths[n] = share
	}
	return l.finish(scorer.SqrtCache[int(freq)], share)
}

// share is k1 · (1 − b + b · length / average) for a posting's norm, as
// the scorer computes it (its norm is 1/√length).
func (f *bm25Field) share(norm float64) float64 {
	fieldLength := 1 / (norm * norm)
	return bsearch.BM25_k1 * (1 - bsearch.BM25_b + (bsearch.BM25_b * fieldLength / f.avg))
}

func (l *bm25List) compute(freq uint64, norm float64) float64 {
	var tf float64
	if freq < scorer.MaxSqrtCache {
		tf = scorer.SqrtCache[int(freq)]
	} else {
		tf = math.Sqrt(float64(freq))
	}
	return l.finish(tf, l.f.share(norm))
}

// finish is the score of a posting of tf (the frequency's square root)
// and length share, in the scorer's order of operations.
func (l *bm25List) finish(tf, share float64) float64 {
	score := l.idf * (tf * bsearch.BM25_k1) / (tf + share)
	if l.queryWeight != 1.0 {
		score = score * l.queryWeight
	}
	return score
}

// next returns the next posting's document number and score; ok is false
// at the end.
func (l *bm25List) next() (num uint64, score float64, ok bool, err error) {
	for l.seg < len(l.its) {
		p, err := l.its[l.seg].Next()
		if err != nil {
			return 0, 0, false, err
		}
		if p != nil {
			return p.Number() + l.offsets[l.seg], l.score(p), true, nil
		}
		l.seg++
	}
	return 0, 0, false, nil
}

// advance returns the first posting at or after document num; lists are
// only advanced forward.
func (l *bm25List) advance(num uint64) (uint64, float64, bool, error) {
	for l.seg+1 < len(l.offsets) && l.offsets[l.seg+1] <= num {
		l.seg++
	}
	if l.seg >= len(l.its) {
		return 0, 0, false, nil
	}
	if num < l.offsets[l.seg] {
		return l.next() // already in a later segment than num's
	}
	p, err := l.its[l.seg].Advance(num - l.offsets[l.seg])
	if err != nil {
		return 0, 0, false, err
	}
	if p == nil {
		l.seg++
		return l.next()
	}
	return p.Number() + l.offsets[l.seg], l.score(p), true, nil
}

// holding appends to out the documents of docs (in order) that the list
// holds. It asks the segments' bitmaps of live postings (zap's), where an
// iterator with frequencies and norms decodes them posting by posting up
// to each document it is advanced to: a probe then advances that one only
// to documents the list has, and a filter of terms costs a bitmap lookup
// per document.
func (l *bm25List) holding(docs []uint32, out []uint32) ([]uint32, error) {
	seg := -1
	var it segment.PostingsIterator
	var has func(local uint64) (bool, error)
	for _, d := range docs {
		n := uint64(d)
		s := max(seg, 0)
		for s+1 < len(l.offsets) && l.offsets[s+1] <= n {
			s++
		}
		if s >= len(l.pls) {
			break
		}
		if s != seg {
			seg, it = s, l.pls[s].Iterator(false, false, false, it)
			has = holder(it)
		}
		ok, err := has(n - l.offsets[seg])
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// holder tells whether a segment's list holds a document (asked in
// increasing order): by its one posting or its bitmap of live postings
// where the iterator gives them, else by advancing the iterator.
func holder(it segment.PostingsIterator) func(local uint64) (bool, error) {
	if oi, ok := it.(segment.OptimizablePostingsIterator); ok {
		if one, ok := oi.DocNum1Hit(); ok {
			return func(local uint64) (bool, error) { return local == one, nil }
		}
		bm := oi.ActualBitmap()
		if bm == nil {
			return func(uint64) (bool, error) { return false, nil }
		}
		return func(local uint64) (bool, error) { return local <= math.MaxUint32 && bm.Contains(uint32(local)), nil }
	}
	var last uint64 // the iterator's last posting
	have, done := false, false
	return func(local uint64) (bool, error) {
		if done || (have && last > local) {
			return false, nil
		}
		if !have || last < local {
			p, err := it.Advance(local)
			if err != nil {
				return false, err
			}
			if p == nil {
				done = true
				return false, nil
			}
			last, have = p.Number(), true
		}
		return last == local, nil
	}
}
