package market

import (
	"slices"
	"strings"
	"techbridge/market/msgs"
	"unicode"
)

// Listing languages. A listing is written in Chinese, English or both; the
// search filters on them and bridges between them.
const (
	LangZH = "zh"
	LangEN = "en"
)

// DetectLanguage names the language text is mostly written in: Chinese when
// it has at least as many Han characters as Latin words (a Han character
// carries about as much as a word, and Chinese titles often hold a Latin
// acronym such as LED), English when it has Latin words only or mostly, ""
// when it has neither.
func DetectLanguage(text string) string {
	han, words := 0, 0
	inWord := false
	for _, c := range text {
		isLatin := c < unicode.MaxLatin1+0x180 && unicode.IsLetter(c) // Latin-1 and Latin Extended-A/B
		switch {
		case unicode.Is(unicode.Han, c):
			han++
		case isLatin && !inWord:
			words++
		}
		inWord = isLatin
	}
	switch {
	case han > 0 && han >= words:
		return LangZH
	case words > 0:
		return LangEN
	}
	return ""
}

// ValidLanguage reports whether lang is a listing language.
func ValidLanguage(lang string) bool { return lang == LangZH || lang == LangEN }

// OtherLanguage returns the listing language that is not lang.
func OtherLanguage(lang string) string {
	if lang == LangZH {
		return LangEN
	}
	return LangZH
}

// Bilingual is what a listing says about its languages: the languages it
// is written in and, for a listing in both, its title and summary in the
// other language than the main text.
type Bilingual struct {
	Languages  []string // LangZH, LangEN; detected from the text when the owner states none
	TitleAlt   string   // the title in the other language; "" when none
	SummaryAlt string   // the summary in the other language; "" when none
}

// normalize trims the texts and fills Languages: the stated ones, in a
// fixed order and without repeats, or else the language of text (the
// listing's main text) plus the other one when an other-language title or
// summary is given.
func (b *Bilingual) normalize(text string) {
	b.TitleAlt, b.SummaryAlt = strings.TrimSpace(b.TitleAlt), strings.TrimSpace(b.SummaryAlt)
	var stated []string
	for _, l := range []string{LangZH, LangEN} {
		for _, s := range b.Languages {
			if strings.EqualFold(strings.TrimSpace(s), l) {
				stated = append(stated, l)
				break
			}
		}
	}
	if len(stated) == len(b.Languages) && len(stated) > 0 {
		b.Languages = stated
		return
	}
	if len(b.Languages) > 0 {
		return // an unknown language: validate names it
	}
	main := DetectLanguage(text)
	if main == "" {
		b.Languages = nil
		return
	}
	b.Languages = []string{main}
	if alt := DetectLanguage(b.TitleAlt + " " + b.SummaryAlt); alt != "" && alt != main {
		b.Languages = []string{LangZH, LangEN}
	}
}

// validate names what is wrong with normalised languages and texts.
func (b Bilingual) validate(f *Fields) {
	for _, l := range b.Languages {
		if !ValidLanguage(l) {
			f.Add("languages", msgs.ZhEnOrBoth)
			break
		}
	}
	checkLen(f, "title_alt", b.TitleAlt, MaxTitle)
	checkLen(f, "summary_alt", b.SummaryAlt, MaxSummary)
}

func (b Bilingual) clone() Bilingual {
	b.Languages = slices.Clone(b.Languages)
	return b
}
