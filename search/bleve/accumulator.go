package bleve

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"sync"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// accumulator sums term scores per document for topSumSearcher, by slot: a
// disk index's document number itself (its ids are 8-byte numbers, dense
// from 0), so the sums are a slice and finding one costs an index, or in a
// memory index a number given to each id as it is first seen.
type accumulator struct {
	dense bool
	score []float64
	in    []uint64 // by slot: found by a word and not dropped
	ok    []uint64 // by slot: passed the filter; nil when every document may
	slots []uint32 // slots found, in the order found (memory index)
	ids   map[string]uint32
	names []string
	order []uint32 // ordered's, reused
	held  []uint32 // bm25List.probe's and hold's, reused
	buf   [8]byte
}

// denseAccumulators keeps disk indexes' accumulators between queries: their
// slices are as long as the index has documents.
var denseAccumulators = sync.Pool{New: func() any { return &accumulator{dense: true} }}

func newAccumulator(dense bool) *accumulator {
	if dense {
		return denseAccumulators.Get().(*accumulator)
	}
	return &accumulator{ids: map[string]uint32{}}
}

// release returns a dense accumulator, cleared, to the pool.
func (a *accumulator) release() {
	if a.dense {
		clear(a.score)
		clear(a.in)
		a.ok = nil
		denseAccumulators.Put(a)
	}
}

// slot returns id's slot; add gives an unseen id one.
func (a *accumulator) slot(id index.IndexInternalID, add bool) (uint32, bool, error) {
	if a.dense {
		if len(id) != 8 {
			return 0, false, fmt.Errorf("bleve: document id of %d bytes in a disk index", len(id))
		}
		return a.numSlot(binary.BigEndian.Uint64(id), add)
	}
	if s, ok := a.ids[string(id)]; ok {
		return s, true, nil
	}
	if !add {
		return 0, false, nil
	}
	s := uint32(len(a.names))
	a.ids[string(id)] = s
	a.names = append(a.names, string(id))
	a.grow(len(a.names))
	return s, true, nil
}

// numSlot is slot for a disk index's document number.
func (a *accumulator) numSlot(n uint64, add bool) (uint32, bool, error) {
	if n >= 1<<32-1 {
		return 0, false, fmt.Errorf("bleve: document number %d", n)
	}
	if n >= uint64(len(a.score)) {
		if !add {
			return 0, false, nil
		}
		a.grow(int(n) + 1)
	}
	return uint32(n), true, nil
}

func (a *accumulator) grow(n int) {
	if n <= len(a.score) {
		return
	}
	size := max(n, 2*len(a.score), 1024)
	a.score = append(a.score, make([]float64, size-len(a.score))...)
	if words := (size + 63) / 64; words > len(a.in) {
		a.in = append(a.in, make([]uint64, words-len(a.in))...)
	}
}

func (a *accumulator) has(s uint32) bool { return a.in[s/64]&(1<<(s%64)) != 0 }
func (a *accumulator) drop(s uint32)     { a.in[s/64] &^= 1 << (s % 64) }

// allow lists the documents filter passes, in id order: only they can
// be found from now on.
func (a *accumulator) allow(ctx *bsearch.SearchContext, filter bsearch.Searcher) ([]uint32, error) {
	var docs []uint32
	for {
		fm, err := filter.Next(ctx)
		if err != nil || fm == nil {
			if a.ok == nil {
				a.ok = make([]uint64, len(a.in))
			}
			return docs, err
		}
		s, _, err := a.slot(fm.IndexInternalID, true)
		if err != nil {
			return nil, err
		}
		docs = append(docs, s)
		ctx.DocumentMatchPool.Put(fm)
		if need := len(a.in); len(a.ok) < need {
			a.ok = append(a.ok, make([]uint64, need-len(a.ok))...)
		}
		a.ok[s/64] |= 1 << (s % 64)
	}
}

// add adds a match's score: a word's finds the document (when the filter
// passes it), a character's adds only to documents found.
func (a *accumulator) add(s uint32, score float64, word bool) {
	switch {
	case a.has(s):
		a.score[s] += score
	case word && (a.ok == nil || (int(s/64) < len(a.ok) && a.ok[s/64]&(1<<(s%64)) != 0)):
		a.in[s/64] |= 1 << (s % 64)
		if !a.dense {
			a.slots = append(a.slots, s)
		}
		a.score[s] += score
	}
}

// hold keeps of docs (in order) those every list holds, dropping the
// others; the result shares docs' array.
func (a *accumulator) hold(docs []uint32, lists []*bm25List) ([]uint32, error) {
	kept := append(a.held[:0], docs...)
	var err error
	for _, l := range lists {
		if kept, err = l.holding(kept, kept[:0]); err != nil {
			return nil, err
		}
	}
	a.held = kept
	out := docs[:0]
	k := 0
	for _, d := range docs {
		if k < len(kept) && kept[k] == d {
			out = append(out, d)
			k++
		} else {
			a.drop(d)
		}
	}
	return out, nil
}

// ordered returns the documents in, in id order.
func (a *accumulator) ordered() []uint32 {
	out := a.order[:0]
	defer func() { a.order = out[:0] }()
	if a.dense {
		for w, word := range a.in {
			for word != 0 {
				b := bits.TrailingZeros64(word)
				out = append(out, uint32(w*64+b))
				word &^= 1 << b
			}
		}
		return out
	}
	for _, s := range a.slots {
		if a.has(s) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(x, y uint32) int { return bytes.Compare([]byte(a.names[x]), []byte(a.names[y])) })
	return out
}

// id returns a slot's document id, valid until the next call.
func (a *accumulator) id(s uint32) index.IndexInternalID {
	if a.dense {
		binary.BigEndian.PutUint64(a.buf[:], uint64(s))
		return a.buf[:]
	}
	return index.IndexInternalID(a.names[s])
}

func (a *accumulator) doc(s uint32) scoredDoc {
	if a.dense {
		return scoredDoc{num: uint64(s), score: a.score[s]}
	}
	return scoredDoc{id: a.names[s], score: a.score[s]}
}

// prune drops the documents of docs that cannot reach the k best when at
// most rest is still added to each: floor is the k-th best sum at some
// earlier point, so at most the k-th best total (scores only add up), and a
// document whose sum and rest stay below it ranks below k others whatever
// it gets. The margin covers rounding; docs keeps its order.
func (a *accumulator) prune(docs []uint32, floor, rest float64) []uint32 {
	kept := docs[:0]
	for _, d := range docs {
		if (a.score[d]+rest)*(1+1e-9) >= floor {
			kept = append(kept, d)
		} else {
			a.drop(d)
		}
	}
	return kept
}

// kthLargest returns the k-th largest of score over docs (k ≤ len(docs)),
// keeping the k largest in a min-heap.
func kthLargest(score []float64, docs []uint32, k int) float64 {
	h := make([]float64, 0, k)
	for _, d := range docs {
		v := score[d]
		switch {
		case len(h) < k:
			h = append(h, v)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if h[p] <= h[i] {
					break
				}
				h[p], h[i] = h[i], h[p]
				i = p
			}
		case v > h[0]:
			h[0] = v
			for i := 0; ; {
				l, m := 2*i+1, i
				if l < len(h) && h[l] < h[m] {
					m = l
				}
				if l+1 < len(h) && h[l+1] < h[m] {
					m = l + 1
				}
				if m == i {
					break
				}
				h[m], h[i] = h[i], h[m]
				i = m
			}
		}
	}
	return h[0]
}
