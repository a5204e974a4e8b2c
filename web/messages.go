package web

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	"techbridge/market"
	"techbridge/market/msgs"
)

// msg is one catalogue entry in both page languages.
type msg struct{ zh, en string }

// in returns the text in lang.
func (m msg) in(lang string) string {
	if lang == langEN {
		return m.en
	}
	return m.zh
}

// messageSets are the catalogue's parts, one per area (messages_*.go); a new
// area adds its set here.
var messageSets = []map[string]msg{layoutMessages, homeMessages, accountMessages, orgMessages, searchMessages, dealMessages, paymentMessages, listingsMessages, trustMessages, pageMessages, registrationMessages, termMessages, statsMessages, financeMessages, contractMessages}

// catalogue maps a key such as "login.title" to its text.
var catalogue = mergeMessages(messageSets)

func mergeMessages(sets []map[string]msg) map[string]msg {
	out := map[string]msg{}
	for _, set := range sets {
		for k, m := range set {
			if _, dup := out[k]; dup {
				panic("web: catalogue key defined twice: " + k)
			}
			out[k] = m
		}
	}
	return out
}

// translate returns the text for key in lang; a missing key shows itself,
// so the gap is visible (and TestCatalogue fails).
func translate(lang, key string) string {
	m, ok := catalogue[key]
	if !ok {
		return key
	}
	return m.in(lang)
}

// errorText shows a domain message (a field error, an import line, a
// refusal) in lang, rendered from its code (market/msgs); English starts
// with a capital on pages.
func errorText(lang string, m interface{ Localize(string) string }) string {
	s := m.Localize(lang)
	if lang == langEN && s != "" {
		r, n := utf8.DecodeRuneInString(s)
		s = string(unicode.ToUpper(r)) + s[n:]
	}
	return s
}

// refusal is errorText for any error: the domain's message in lang, a
// generic text for internal errors.
func refusal(lang string, err error) string {
	var e *market.Error
	if errors.As(err, &e) || errors.As(market.MoneyError(err), &e) {
		if e.Code != market.EINTERNAL {
			return errorText(lang, e)
		}
	}
	return market.LocalMessage(lang, err)
}

// The domain's messages name states and roles by their words
// (msgs.Term); the pages' catalogue already has them in both languages.
func init() {
	msgs.TermText = func(lang, key string) (string, bool) {
		m, ok := catalogue[key]
		if !ok {
			return "", false
		}
		return m.in(lang), true
	}
}

// countText is translate(lang, key) with n filled in, using key+".one"
// for n == 1 when the catalogue has it ("1 result", not "1 results").
func countText(lang, key string, n int) string {
	if _, ok := catalogue[key+".one"]; ok && n == 1 {
		key += ".one"
	}
	return fmt.Sprintf(translate(lang, key), n)
}
