package search

import (
	"cmp"
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"unicode"
)

// Feedback terms are cut the way the reference engines cut text: CJK runs
// into overlapping character bigrams, Latin into lower-cased words. The
// engine analyses each term again, so it finds them whatever its analyzer.

// fieldWeights weigh where a feedback term occurs, as the engine weighs fields.
var feedbackFields = []struct {
	weight float64
	text   func(Document) string
}{
	{3, func(d Document) string { return d.Title }},
	{2, func(d Document) string { return strings.Join(d.Keywords, " ") }},
	{1, func(d Document) string { return d.Summary }},
	{0.5, func(d Document) string { return d.Description }},
}

// expansionTerms picks terms that are frequent in the feedback hits and rare
// among all candidates (an RM3-style model with the candidate pool as the
// background), leaving out the query's own terms.
func expansionTerms(text string, fb feedback, pool []Hit, r Ranking) []WeightedTerm {
	if r.ExpandTerms <= 0 || len(fb.docs) == 0 {
		return nil
	}
	vecOf := fb.vec
	if vecOf == nil {
		vecOf = func(d *Document) termVec { return newTermVec(docTerms(*d)) }
	}
	vecs := make([]termVec, len(fb.docs))
	n := 0
	for i := range fb.docs {
		vecs[i] = vecOf(&fb.docs[i])
		n += len(vecs[i].terms)
	}
	// The query's terms are numbered first in seen, and never chosen. A
	// term's weight in the feedback hits and how many of them hold it are
	// kept by its number: a search visits every term of its ten best hits
	// here.
	qterms := termsOf(text)
	seen := newTermTable(n + len(qterms))
	for _, t := range qterms {
		seen.add(hashTerm(t), t)
	}
	nq := len(seen.terms)
	type stat struct {
		score float64
		docs  int
	}
	stats := make([]stat, 0, n)
	for i, v := range vecs {
		if v.total == 0 {
			continue
		}
		for j, t := range v.terms {
			k := seen.add(v.hashes[j], t)
			if k < nq {
				continue
			}
			if k-nq == len(stats) {
				stats = append(stats, stat{})
			}
			x := &stats[k-nq]
			x.score += fb.weights[i] * v.weights[j] / v.total
			x.docs++
		}
	}
	// Only a term of at least MinDocs feedback hits can be chosen, so the
	// pool's document frequencies are counted for those alone.
	cand := newTermTable(len(stats))
	var candStat []int // per candidate, its index in stats
	for k, x := range stats {
		if x.docs >= r.MinDocs {
			cand.add(seen.hashes[nq+k], seen.terms[nq+k])
			candStat = append(candStat, k)
		}
	}
	if len(candStat) == 0 {
		return nil
	}
	df := make([]int, len(candStat))
	for i := range pool {
		v := vecOf(&pool[i].Document)
		for j, hash := range v.hashes {
			if c, ok := cand.find(hash, v.terms[j]); ok {
				df[c]++
			}
		}
	}
	cands := make([]WeightedTerm, 0, len(candStat))
	for c, k := range candStat {
		idf := math.Log(1 + float64(len(pool))/float64(df[c]+1))
		cands = append(cands, WeightedTerm{Term: cand.terms[c], Weight: stats[k].score * idf})
	}
	// Terms are distinct, so the order is total and any sort gives it.
	slices.SortFunc(cands, func(a, b WeightedTerm) int {
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		return strings.Compare(a.Term, b.Term)
	})
	if len(cands) > r.ExpandTerms {
		cands = cands[:r.ExpandTerms]
	}
	top := cands[0].Weight
	for i := range cands {
		cands[i].Weight = r.ExpandWeight * cands[i].Weight / top
	}
	return cands
}

// termVec is a listing's feedback terms as expansionTerms reads them: each
// term with its weight and hash, in term order, and their total weight. A
// search looks up the terms of its hundred candidates (fifteen thousand on
// patent abstracts) among the possible feedback terms by hash in a
// termTable, where walking maps and looking each term up by string was a
// tenth of the API's search on uspto.
type termVec struct {
	terms   []string
	hashes  []uint64
	weights []float64
	total   float64
}

// newTermVec lists the terms of tf.
func newTermVec(tf map[string]float64) termVec {
	v := termVec{terms: make([]string, 0, len(tf))}
	for t := range tf {
		v.terms = append(v.terms, t)
	}
	slices.Sort(v.terms)
	v.hashes = make([]uint64, len(v.terms))
	v.weights = make([]float64, len(v.terms))
	for i, t := range v.terms {
		v.hashes[i] = hashTerm(t)
		v.weights[i] = tf[t]
		v.total += tf[t]
	}
	return v
}

var termSeed = maphash.MakeSeed()

func hashTerm(t string) uint64 { return maphash.String(termSeed, t) }

// termTable numbers distinct terms in the order added, found by hash and
// then compared, so two terms of one hash stay apart.
type termTable struct {
	slots  []int32 // a term's number + 1; 0 is empty
	hashes []uint64
	terms  []string
}

// newTermTable makes a table for about n terms.
func newTermTable(n int) *termTable {
	size := 16
	for size < 2*n {
		size *= 2
	}
	return &termTable{slots: make([]int32, size), hashes: make([]uint64, 0, n), terms: make([]string, 0, n)}
}

// find returns the number of term, whose hash is h.
func (t *termTable) find(h uint64, term string) (int, bool) {
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		k := t.slots[i] - 1
		if k < 0 {
			return 0, false
		}
		if t.hashes[k] == h && t.terms[k] == term {
			return int(k), true
		}
	}
}

// add returns the number of term, whose hash is h, numbering it when new.
func (t *termTable) add(h uint64, term string) int {
	if 2*(len(t.terms)+1) > len(t.slots) {
		t.rehash()
	}
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		k := t.slots[i] - 1
		if k < 0 {
			t.slots[i] = int32(len(t.terms)) + 1
			t.hashes = append(t.hashes, h)
			t.terms = append(t.terms, term)
			return len(t.terms) - 1
		}
		if t.hashes[k] == h && t.terms[k] == term {
			return int(k)
		}
	}
}

func (t *termTable) rehash() {
	t.slots = make([]int32, 2*len(t.slots))
	mask := uint64(len(t.slots) - 1)
	for k, h := range t.hashes {
		i := h & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = int32(k) + 1
	}
}

// docTerms counts a document's terms, weighted by the field they occur in.
func docTerms(d Document) map[string]float64 {
	return termCache.terms(d, cutDocTerms)
}

// cutDocTerms is docTerms without the cache.
func cutDocTerms(d Document) map[string]float64 {
	tf := map[string]float64{}
	for _, f := range feedbackFields {
		for _, t := range termsOf(f.text(d)) {
			tf[t] += f.weight
		}
	}
	return tf
}

// termsOf cuts text into CJK bigrams and lower-cased Latin words, without
// function words in either language and bare numbers, which say nothing
// about a topic: they are never key terms, feedback terms or reasons.
func termsOf(text string) []string {
	var out []string
	eachRunAndWord(text, func(run []rune) {
		for i := 0; i+1 < len(run); i++ {
			if b := string(run[i : i+2]); !cjkStop[b] && !cjkParticle[run[i]] && !cjkParticle[run[i+1]] {
				out = append(out, b)
			}
		}
	}, func(w string) { out = append(out, w) })
	return out
}

// eachRunAndWord splits text into runs of Han characters and lower-cased
// Latin words (letters and digits), passing each run and each word that is
// neither a function word, a bare number nor a single letter.
func eachRunAndWord(text string, onRun func([]rune), onWord func(string)) {
	var run []rune
	flush := func() {
		if len(run) > 0 {
			onRun(run)
		}
		run = run[:0]
	}
	var word strings.Builder
	flushWord := func() {
		w := strings.ToLower(word.String())
		word.Reset()
		if len(w) > 1 && !stopWords[w] && !isNumber(w) {
			onWord(w)
		}
	}
	for _, c := range text {
		switch {
		case unicode.Is(unicode.Han, c):
			flushWord()
			run = append(run, c)
		case unicode.IsLetter(c) || unicode.IsDigit(c):
			flush()
			word.WriteRune(c)
		default:
			flush()
			flushWord()
		}
	}
	flush()
	flushWord()
}

func isNumber(w string) bool {
	for _, c := range w {
		if !unicode.IsDigit(c) {
			return false
		}
	}
	return true
}

var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be been by can for from has have in into is it its
		of on or such that the their then there these this to was were which with wherein whereby said one
		more each other least first second may also`) {
		m[w] = true
	}
	return m
}()

// IsKeyTerm reports whether a matched term says something about a topic:
// not a function word, particle or bare number (see termsOf).
func IsKeyTerm(term string) bool {
	ts := termsOf(term)
	return len(ts) > 0
}

// cjkParticle are characters that are grammar, not topic: a bigram across
// one (池的, 的电) is no word.
var cjkParticle = func() map[rune]bool {
	m := map[rune]bool{}
	for _, c := range "的了和与及或之而其并把被" {
		m[c] = true
	}
	return m
}()

// cjkStop are bigrams that are function words or the boilerplate of
// titles and needs: comparisons (低于, 高于), connectives, "a kind of" (一种)
// and "we need" phrasing.
var cjkStop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`一种 一个 一些 低于 高于 大于 小于 等于 不低 不高 不小 不大 以上 以下 以内
		用于 通过 进行 具有 可以 能够 包括 所述 其中 以及 或者 并且 而且 如果 由于 因此 为了 对于 关于
		基于 根据 采用 利用 使用 实现 提供 需要 希望 寻找 我们 我司 本发 发明 本实 实用 新型 这种 该种 上述
		方面 相关 主要 及其 之间 之一 其他 其它 目前 现有`) {
		m[w] = true
	}
	return m
}()
