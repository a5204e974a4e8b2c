package search

import (
	"context"
	"math"
	"sort"
	"strings"
)

// Query term bounds. Every term is a posting list to read and score (a
// Chinese text is one bigram per character), so a pasted 2,000-character
// paragraph would cost thousands of lists; its strongest few dozen terms
// find the same listings. A text of at most MaxQueryTerms distinct terms
// (any title, a short description) reaches the engine as it is; a longer
// one as its QueryTermsKept strongest terms.
const (
	MaxQueryTerms  = 64
	QueryTermsKept = 32
)

// CapQuery applies the query term bounds to text.
func CapQuery(text string) string {
	if len(text) < MaxQueryTerms { // too short to hold that many terms
		return text
	}
	if n := len(termsOf(text)); n <= MaxQueryTerms {
		return text
	}
	return CapTerms(text, QueryTermsKept)
}

// CapTerms returns text as it is when it has at most max distinct terms,
// and otherwise its max strongest terms joined by spaces. Strongest is the
// most frequent in the text (the words a need is about recur; stop words
// are already dropped), the earlier among equals; the engine analyses the
// joined terms back into the same terms.
func CapTerms(text string, max int) string {
	c := countTerms(text)
	if len(c.distinct) <= max {
		return text
	}
	return strings.Join(c.strongest(max, c.frequency), " ")
}

// TermCounter is an Engine that tells how many documents hold a term; the
// query cap then weighs a term's rarity beside its frequency in the text.
type TermCounter interface {
	// DocFrequencies returns the number of indexed documents holding each
	// term (as the query cap cuts text into terms) and the number of
	// documents.
	DocFrequencies(ctx context.Context, terms []string) (df map[string]int, docs int, err error)
}

// CapRarest is CapTerms with strength a term's frequency in the text times
// its rarity in the index (BM25's idf), as the engine weighs it: a rare
// term is more telling and a short posting list to read, a common one (技术,
// 系统) says little and costs the most. A term no document holds finds
// nothing and is kept last. Without a TermCounter it is CapTerms. (Damping
// the frequency, 1 + ln tf, was tried on the bench's paragraph: it kept
// the rare bigrams that straddle two words, 性疫 of 抗体疫苗, over the
// recurring topic words.)
func CapRarest(ctx context.Context, e Engine, text string, max int) (string, error) {
	tc, ok := e.(TermCounter)
	if !ok {
		return CapTerms(text, max), nil
	}
	c := countTerms(text)
	if len(c.distinct) <= max {
		return text, nil
	}
	// Looking a term up costs about as much as matching a short query, so
	// only the most frequent MaxQueryTerms are weighed (a paragraph's
	// hundreds of terms seen once are mostly bigrams across two words).
	if len(c.distinct) > MaxQueryTerms {
		c.distinct = c.strongest(MaxQueryTerms, c.frequency)
	}
	df, n, err := tc.DocFrequencies(ctx, c.distinct)
	if err != nil {
		return "", err
	}
	return strings.Join(c.strongest(max, func(t string) float64 {
		d := df[t]
		if d == 0 {
			return 0
		}
		idf := math.Log(1 + (float64(n)-float64(d)+0.5)/(float64(d)+0.5))
		return float64(c.freq[t]) * idf
	}), " "), nil
}

// termCounts are a text's distinct terms in order of first occurrence, with
// their frequencies.
type termCounts struct {
	distinct []string
	freq     map[string]int
}

func countTerms(text string) termCounts {
	c := termCounts{freq: map[string]int{}}
	for _, t := range termsOf(text) {
		if _, seen := c.freq[t]; !seen {
			c.distinct = append(c.distinct, t)
		}
		c.freq[t]++
	}
	return c
}

func (c termCounts) frequency(t string) float64 { return float64(c.freq[t]) }

// strongest returns the max terms of the highest strength, the earlier
// among equals.
func (c termCounts) strongest(max int, strength func(string) float64) []string {
	s := make(map[string]float64, len(c.distinct))
	for _, t := range c.distinct {
		s[t] = strength(t)
	}
	terms := append([]string(nil), c.distinct...)
	sort.SliceStable(terms, func(i, j int) bool { return s[terms[i]] > s[terms[j]] })
	return terms[:min(max, len(terms))]
}
