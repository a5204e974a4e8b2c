// Package msgs is the catalogue of the messages the domain gives its
// callers: field errors and domain errors carry a Code and arguments, and
// each reader sees them in their language (after miniflux's
// internal/locale). The API answers the English text with the code; pages
// render the code in the visitor's language.
//
// The catalogue is a Go map rather than data files: a code is a Go
// constant, so a typo in a key fails the build, and zh sits beside en where
// a reviewer sees a missing or stale translation in the same diff.
//
// Converting an old-style call: replace its English format string with the
// constant whose English it is (TestCallSitesUseDeclaredCodes names it), or
// declare a new constant in codes.go and its two texts in catalogue.go.
package msgs

import (
	"fmt"
	"regexp"
)

// Code names one message. Codes are stable: API clients may key their own
// translations on them.
type Code string

// Languages of the catalogue.
const (
	ZH = "zh"
	EN = "en"
)

// Localizer is an argument shown differently per language, such as an
// amount in the reader's format (ledger.Money).
type Localizer interface {
	Localize(lang string) string
}

// text is one code's message in both languages: fmt formats whose verbs
// take the call's arguments.
type text struct{ en, zh string }

// Known reports whether c is a declared code with a catalogue entry.
func Known(c Code) bool {
	_, ok := catalogue[c]
	return ok
}

// Render writes c with args in lang (zh, or en for anything else). A code
// the catalogue lacks is an old-style English format passed where a code
// belongs: it is rendered as such in every language, so nothing is lost
// before the call site is converted (the call-site test fails meanwhile).
func Render(lang string, c Code, args ...any) string {
	format := string(c)
	if t, ok := catalogue[c]; ok {
		format = t.en
		if lang == ZH {
			format = t.zh
		}
	}
	if len(args) == 0 {
		return format
	}
	shown := make([]any, len(args))
	for i, a := range args {
		if l, ok := a.(Localizer); ok {
			shown[i] = l.Localize(lang)
		} else {
			shown[i] = a
		}
	}
	return fmt.Sprintf(format, shown...)
}

// English renders c in English: the text of logs and API details.
func English(c Code, args ...any) string { return Render(EN, c, args...) }

var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0-9.]*[a-zA-Z%]`)

// verbs lists a format's verbs without their argument indexes, for the
// test that zh and en take the same arguments.
func verbs(format string) []string {
	var out []string
	for _, m := range verbRE.FindAllString(format, -1) {
		out = append(out, regexp.MustCompile(`\[\d+\]`).ReplaceAllString(m, ""))
	}
	return out
}

// Term is an enumerated word passed as an argument: a state, a role, an
// action. Kind names its vocabulary ("deal.state"), Value the word
// ("negotiation"). English shows the word as the API always has; other
// languages look Kind.Value up through TermText.
type Term struct {
	Kind, Value string
	English     string // the English where it is not Value itself ("pending review")
}

// TermText finds a term's text in lang; the pages set it to their own
// catalogue, where the states and roles they show are translated already.
var TermText func(lang, key string) (string, bool)

// Localize shows the term in lang, the word itself where no text is known.
func (t Term) Localize(lang string) string {
	if lang != EN && TermText != nil {
		if s, ok := TermText(lang, t.Kind+"."+t.Value); ok {
			return s
		}
	}
	return t.String()
}

// String is the term's English, for %v and logs.
func (t Term) String() string {
	if t.English != "" {
		return t.English
	}
	return t.Value
}
