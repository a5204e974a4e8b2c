package web

import (
	"net/http"

	"golang.org/x/text/language"
)

// Page languages; zh is the default and comes first for the matcher.
const (
	langZH = "zh"
	langEN = "en"
)

// langMatcher picks zh or en from an Accept-Language header; zh-TW, zh-HK
// and the like match zh, en-GB en, anything else falls back to zh.
var langMatcher = language.NewMatcher([]language.Tag{language.Chinese, language.English})

// pickLanguage returns the lang cookie if it names a page language, else
// the best match for Accept-Language, else zh.
func pickLanguage(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == langZH || c.Value == langEN) {
		return c.Value
	}
	_, i := language.MatchStrings(langMatcher, r.Header.Get("Accept-Language"))
	if i == 1 {
		return langEN
	}
	return langZH
}

// switchLanguage sets the lang cookie and returns to the page the link was
// on. It is a GET link so it works from any page without a form; it only
// changes a display preference.
func (s *Server) switchLanguage(w http.ResponseWriter, r *http.Request, v *visit) error {
	lang := r.PathValue("lang")
	if lang != langZH && lang != langEN {
		return s.notFound(w, r, v)
	}
	s.setCookie(w, langCookie, lang, langCookieAge)
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
	return nil
}
