package bleve

import (
	"html"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"techbridge/search"
)

// Highlights are cut from the stored document, not from term vectors: CJK
// query terms (bigrams) are found as substrings, and every other word of the
// text is passed through the index analyzer once per query (cached), which
// is far cheaper than analysing whole fields for every hit. Overlapping
// bigrams merge into one mark (锂电池, not 锂电 + 电池).

const (
	fragmentBefore = 40  // runes of context before the first mark of a fragment
	fragmentLen    = 160 // runes in a fragment of a long field
	maxFragments   = 2
)

type span struct{ start, end int }

// marker finds the words of one query in documents. It is used by one
// search call at a time.
type marker struct {
	analyzer analysis.Analyzer
	cjk      []string        // query terms made of Han characters
	words    map[string]bool // the other query terms, as analysed
	cache    map[string]bool // word of a document → whether it is a query term
}

func (e *Engine) newMarker(text string) *marker {
	a := e.mapping.AnalyzerNamed(textAnalyzer)
	m := &marker{analyzer: a, words: map[string]bool{}, cache: map[string]bool{}}
	for _, t := range a.Analyze([]byte(text)) {
		term := string(t.Term)
		if hasHan(term) {
			if !slices.Contains(m.cjk, term) {
				m.cjk = append(m.cjk, term)
			}
		} else {
			m.words[term] = true
		}
	}
	return m
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// isQueryWord tells whether a word of a document analyses to a query term.
func (m *marker) isQueryWord(w string) bool {
	if hit, ok := m.cache[w]; ok {
		return hit
	}
	hit := false
	for _, t := range m.analyzer.Analyze([]byte(w)) {
		if m.words[string(t.Term)] {
			hit = true
			break
		}
	}
	m.cache[w] = hit
	return hit
}

// spans returns the merged byte ranges of text that match the query.
func (m *marker) spans(text string) []span {
	if text == "" {
		return nil
	}
	var out []span
	for _, t := range m.cjk {
		for at := 0; ; {
			i := strings.Index(text[at:], t)
			if i < 0 {
				break
			}
			out = append(out, span{at + i, at + i + len(t)})
			at += i + len(t)
		}
	}
	if len(m.words) > 0 {
		start := -1
		for i, r := range text + " " {
			inWord := (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
			switch {
			case inWord && start < 0:
				start = i
			case !inWord && start >= 0:
				if m.isQueryWord(text[start:i]) {
					out = append(out, span{start, i})
				}
				start = -1
			}
		}
	}
	if len(out) < 2 {
		return out
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	merged := out[:1]
	for _, s := range out[1:] {
		if last := &merged[len(merged)-1]; s.start <= last.end {
			last.end = max(last.end, s.end)
		} else {
			merged = append(merged, s)
		}
	}
	return merged
}

// mark returns the matched words of d (lower-cased, in order of appearance)
// and, when asked, its highlighted fragments per field.
func (m *marker) mark(d search.Document, highlight bool) ([]string, map[string][]string) {
	var terms []string
	seen := map[string]bool{}
	var hl map[string][]string
	add := func(field, text string, whole bool) {
		sp := m.spans(text)
		if len(sp) == 0 {
			return
		}
		for _, s := range sp {
			w := strings.ToLower(text[s.start:s.end])
			if !seen[w] {
				seen[w] = true
				terms = append(terms, w)
			}
		}
		if !highlight {
			return
		}
		if hl == nil {
			hl = map[string][]string{}
		}
		hl[field] = append(hl[field], fragments(text, sp, whole)...)
	}
	add("title", d.Title, true)
	for _, k := range d.Keywords {
		add("keywords", k, true)
	}
	add("summary", d.Summary, false)
	add("description", d.Description, false)
	return terms, hl
}

// fragments renders text with <mark> around spans, HTML-escaped; a long text
// is cut into at most maxFragments windows around the marks.
func fragments(text string, sp []span, whole bool) []string {
	if whole || utf8.RuneCountInString(text) <= fragmentLen {
		return []string{render(text, 0, len(text), sp)}
	}
	var out []string
	for i := 0; i < len(sp) && len(out) < maxFragments; {
		from := backRunes(text, sp[i].start, fragmentBefore)
		to := forwardRunes(text, from, fragmentLen)
		to = max(to, sp[i].end)
		var in []span
		for ; i < len(sp) && sp[i].start < to; i++ {
			in = append(in, span{sp[i].start, min(sp[i].end, to)})
		}
		f := render(text, from, to, in)
		if from > 0 {
			f = "…" + f
		}
		if to < len(text) {
			f += "…"
		}
		out = append(out, f)
	}
	return out
}

func render(text string, from, to int, sp []span) string {
	var b strings.Builder
	at := from
	for _, s := range sp {
		if s.end <= from || s.start >= to {
			continue
		}
		b.WriteString(html.EscapeString(text[at:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(html.EscapeString(text[at:to]))
	return b.String()
}

// backRunes moves n runes back from byte offset i.
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// forwardRunes moves n runes forward from byte offset i.
func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
