package search

import (
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
	terms := termsOf(text)
	if len(terms) <= max {
		return text
	}
	freq := map[string]int{}
	first := map[string]int{}
	var distinct []string
	for i, t := range terms {
		if _, seen := freq[t]; !seen {
			first[t] = i
			distinct = append(distinct, t)
		}
		freq[t]++
	}
	if len(distinct) <= max {
		return text
	}
	sort.SliceStable(distinct, func(i, j int) bool {
		a, b := distinct[i], distinct[j]
		if freq[a] != freq[b] {
			return freq[a] > freq[b]
		}
		return first[a] < first[b]
	})
	return strings.Join(distinct[:max], " ")
}
