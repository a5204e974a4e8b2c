package search

import (
	"math"
	"sort"
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
	inQuery := map[string]bool{}
	for _, t := range termsOf(text) {
		inQuery[t] = true
	}
	termsOfDoc := fb.terms
	if termsOfDoc == nil {
		termsOfDoc = docTerms
	}
	// A term's weight in the feedback hits and how many of them hold it,
	// in one map: a search visits every term of its ten best hits here.
	type seen struct {
		score float64
		docs  int
	}
	at := make(map[string]int32, 64*len(fb.docs))
	var fbTerms []seen
	for i, d := range fb.docs {
		tf := termsOfDoc(d)
		var total float64
		for _, w := range tf {
			total += w
		}
		for t, w := range tf {
			if inQuery[t] || total == 0 {
				continue
			}
			j, ok := at[t]
			if !ok {
				j = int32(len(fbTerms))
				at[t] = j
				fbTerms = append(fbTerms, seen{})
			}
			x := &fbTerms[j]
			x.score += fb.weights[i] * w / total
			x.docs++
		}
	}
	// Only a term of at least MinDocs feedback hits can be chosen, so the
	// pool's document frequencies are counted for those alone.
	df := map[string]int{}
	for t, j := range at {
		if fbTerms[j].docs >= r.MinDocs {
			df[t] = 0
		}
	}
	if len(df) == 0 {
		return nil
	}
	for _, h := range pool {
		tf := termsOfDoc(h.Document)
		if len(tf) < len(df) {
			for t := range tf {
				if _, ok := df[t]; ok {
					df[t]++
				}
			}
			continue
		}
		for t := range df {
			if _, ok := tf[t]; ok {
				df[t]++
			}
		}
	}
	var cands []WeightedTerm
	for t, n := range df {
		s := fbTerms[at[t]].score
		idf := math.Log(1 + float64(len(pool))/float64(n+1))
		cands = append(cands, WeightedTerm{Term: t, Weight: s * idf})
	}
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].Weight != cands[j].Weight {
			return cands[i].Weight > cands[j].Weight
		}
		return cands[i].Term < cands[j].Term
	})
	if len(cands) > r.ExpandTerms {
		cands = cands[:r.ExpandTerms]
	}
	if len(cands) == 0 {
		return nil
	}
	top := cands[0].Weight
	for i := range cands {
		cands[i].Weight = r.ExpandWeight * cands[i].Weight / top
	}
	return cands
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
