package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// csrfField is the hidden form field that carries the token.
const csrfField = "csrf_token"

// Why this token scheme: every form carries HMAC-SHA256(visitor secret,
// session secret) — a double-submit token signed with a random per-browser
// cookie and bound to the login session. It needs no server-side state or
// server key, so any number of instances accept each other's forms; a
// cross-site page cannot read either HttpOnly cookie, so it cannot compute
// the token; and because the session secret is in the MAC, a visitor cookie
// planted by a sibling subdomain ("cookie tossing") does not yield a token
// valid for the victim's logged-in session. http.CrossOriginProtection in
// front already refuses cross-site POSTs from modern browsers; the token is
// the second lock for old browsers and for proxies that strip Sec-Fetch-Site
// and Origin.
func csrfToken(visitorSecret, session string) string {
	mac := hmac.New(sha256.New, []byte(visitorSecret))
	mac.Write([]byte("techbridge csrf v1\x00"))
	mac.Write([]byte(session))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// csrfValid reports whether the POSTed form carries the visitor's token.
func csrfValid(r *http.Request, visitorSecret, session string) bool {
	if visitorSecret == "" {
		return false
	}
	// A form larger than this is not one of ours; ParseForm would read 10 MB.
	// File uploads (the outcome import) get more room.
	limit := int64(maxFormBytes)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		limit = maxUploadBytes
	}
	r.Body = http.MaxBytesReader(nil, r.Body, limit)
	got := r.PostFormValue(csrfField)
	want := csrfToken(visitorSecret, session)
	return got != "" && hmac.Equal([]byte(got), []byte(want))
}

// maxFormBytes bounds a form body; maxUploadBytes a multipart one.
const (
	maxFormBytes   = 64 << 10
	maxUploadBytes = 8 << 20
)

// visitorSecret returns the browser's random CSRF secret, setting the
// cookie on this response when the browser has none yet; on a POST
// without the cookie it returns "" (the form cannot be checked), but sets
// a fresh cookie so that reloading the form works.
func (s *Server) visitorSecret(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(visitorCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	b := make([]byte, 32)
	rand.Read(b)
	secret := base64.RawURLEncoding.EncodeToString(b)
	s.setCookie(w, visitorCookie, secret, visitorCookieAge)
	if r.Method == http.MethodPost {
		return ""
	}
	return secret
}
