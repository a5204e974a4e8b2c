package market

import "unicode"

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
