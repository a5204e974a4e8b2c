// Package cedict translates single terms between Chinese and English with
// an extract of CC-CEDICT (CC BY-SA 4.0, see LICENSE beside this file),
// embedded compressed: no network service and no model at run time. It is
// a word list, not a translator: it finds the dictionary words of a Chinese
// run (longest match first) and their short English senses, and the
// Chinese words whose sense an English word or phrase is.
package cedict

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"sort"
	"strings"
	"sync"
)

//go:embed cedict.tsv.gz
var data []byte

type sense struct {
	word string
	rank int // the sense's place among the word's senses, 0 first
}

type dict struct {
	zh     map[string][]string // simplified word → its senses, commonest first
	en     map[string][]sense  // sense → the words that have it
	maxLen int                 // longest word, in runes
}

// load reads the embedded extract once, on first use (about 80k words).
var load = sync.OnceValue(func() *dict {
	d := &dict{zh: map[string][]string{}, en: map[string][]sense{}}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		panic("cedict: embedded data: " + err.Error()) // built into the binary; tested
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		word, senses, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		list := strings.Split(senses, "|")
		d.zh[word] = list
		d.maxLen = max(d.maxLen, len([]rune(word)))
		for i, s := range list {
			d.en[s] = append(d.en[s], sense{word, i})
		}
	}
	if err := sc.Err(); err != nil {
		panic("cedict: embedded data: " + err.Error())
	}
	for s, words := range d.en {
		sort.SliceStable(words, func(a, b int) bool {
			if words[a].rank != words[b].rank {
				return words[a].rank < words[b].rank
			}
			return len(words[a].word) < len(words[b].word)
		})
		d.en[s] = words
	}
	return d
})

// English returns the English senses of a simplified Chinese word of two
// or more characters, commonest first; nil when the word is not listed.
func English(word string) []string {
	return load().zh[word]
}

// Chinese returns the Chinese words whose best-ranked sense is the English
// word or phrase (lower case), shortest first: "battery" gives 电池, not
// 炮台 (a battery of guns, its second sense). A plural is tried singular.
func Chinese(phrase string) []string {
	d := load()
	phrase = strings.ToLower(strings.TrimSpace(phrase))
	words := d.en[phrase]
	if len(words) == 0 {
		for _, s := range singulars(phrase) {
			if words = d.en[s]; len(words) > 0 {
				break
			}
		}
	}
	var out []string
	for _, w := range words {
		if w.rank != words[0].rank {
			break
		}
		out = append(out, w.word)
	}
	return out
}

// singulars are the singular forms an English plural may have.
func singulars(w string) []string {
	var out []string
	switch {
	case strings.HasSuffix(w, "ies"):
		out = append(out, strings.TrimSuffix(w, "ies")+"y")
	case strings.HasSuffix(w, "es"):
		out = append(out, strings.TrimSuffix(w, "es"))
	}
	if strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		out = append(out, strings.TrimSuffix(w, "s"))
	}
	return out
}

// Segment cuts a run of Han characters into dictionary words, longest
// match first from the left; a character that starts no word stands alone.
func Segment(run string) []string {
	d := load()
	rs := []rune(run)
	var out []string
	for i := 0; i < len(rs); {
		n := 1
		for l := min(d.maxLen, len(rs)-i); l >= 2; l-- {
			if _, ok := d.zh[string(rs[i:i+l])]; ok {
				n = l
				break
			}
		}
		out = append(out, string(rs[i:i+n]))
		i += n
	}
	return out
}
