package search

import (
	"strings"
	"unicode"

	"techbridge/market"
	"techbridge/search/cedict"
)

// Translation is one term of a text and its rendering in another language,
// from the bundled dictionary (search/cedict).
type Translation struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Term translation: at most this many renderings per term, so that a word
// of many senses does not swamp the query.
const maxSenses = 3

// Translate renders the terms of text into lang (market.LangZH or LangEN)
// with the dictionary: a Chinese text is cut into dictionary words, each
// given its first English senses; an English text's phrases of up to three
// words, then single words, are looked up among the Chinese words' senses.
// Function words and boilerplate (see termsOf) are not translated.
func Translate(text, lang string) []Translation {
	var out []Translation
	seen := map[string]bool{}
	add := func(from, to string) {
		if k := from + "\x00" + to; !seen[k] {
			seen[k] = true
			out = append(out, Translation{From: from, To: to})
		}
	}
	switch lang {
	case market.LangEN:
		for _, run := range hanRuns(text) {
			for _, w := range cedict.Segment(run) {
				if len([]rune(w)) < 2 || !IsKeyTerm(w) {
					continue
				}
				senses := cedict.English(w)
				for _, s := range senses[:min(maxSenses, len(senses))] {
					add(w, s)
				}
			}
		}
	case market.LangZH:
		words := latinWords(text)
		for i := 0; i < len(words); {
			n := 1
			for l := min(3, len(words)-i); l >= 1; l-- {
				// A phrase starts and ends with a key term ("for example"
				// and "the battery" are not looked up).
				if !IsKeyTerm(words[i]) || !IsKeyTerm(words[i+l-1]) {
					if l == 1 {
						break
					}
					continue
				}
				phrase := strings.Join(words[i:i+l], " ")
				if zh := cedict.Chinese(phrase); len(zh) > 0 {
					for _, w := range zh[:min(maxSenses, len(zh))] {
						add(phrase, w)
					}
					n = l
					break
				}
			}
			i += n
		}
	}
	return out
}

// hanRuns returns the runs of Han characters of text.
func hanRuns(text string) []string {
	return strings.FieldsFunc(text, func(c rune) bool { return !unicode.Is(unicode.Han, c) })
}

// latinWords returns the lower-cased Latin words of text, in order.
func latinWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(c rune) bool {
		return !(c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c) || c == '-'))
	})
}

// translatedText joins the renderings, as a query in the other language.
func translatedText(ts []Translation) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.To
	}
	return strings.Join(parts, " ")
}

// translationsIn returns the translations whose rendering d contains (every
// word of it, in any field), in order.
func translationsIn(ts []Translation, d Document) []Translation {
	if len(ts) == 0 {
		return nil
	}
	have := allTerms(d)
	var out []Translation
	for _, t := range ts {
		words := termsOf(t.To)
		found := len(words) > 0
		for _, w := range words {
			if !have[w] && !have[strings.TrimSuffix(w, "s")] && !have[w+"s"] {
				found = false
				break
			}
		}
		if found {
			out = append(out, t)
		}
	}
	return out
}
