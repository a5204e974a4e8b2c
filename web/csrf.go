package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
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

// csrfValid reports whether the POSTed form, already read by readForm,
// carries the visitor's token.
func csrfValid(r *http.Request, visitorSecret, session string) bool {
	if visitorSecret == "" {
		return false
	}
	got := r.PostFormValue(csrfField)
	want := csrfToken(visitorSecret, session)
	return got != "" && hmac.Equal([]byte(got), []byte(want))
}

// readForm reads a POSTed body into r.Form, within maxFormBytes (a
// multipart upload: maxUploadBytes), so that ParseForm never reads 10 MB.
// It reports errBodyTooLarge for a larger body; other parse errors are
// left to the token check, which then finds no token.
func readForm(r *http.Request) error {
	body := r.Body
	limit := int64(maxFormBytes)
	multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	if multipart {
		limit = maxUploadBytes
	}
	r.Body = http.MaxBytesReader(nil, r.Body, limit)
	var err error
	if multipart {
		err = r.ParseMultipartForm(maxUploadMemory)
	} else {
		err = r.ParseForm()
	}
	var tooLarge *http.MaxBytesError
	if !errors.As(err, &tooLarge) {
		return nil
	}
	// Read (and drop) the rest, up to a bound, so the browser finishes
	// sending and shows the page instead of a reset connection.
	io.Copy(io.Discard, io.LimitReader(body, maxDrainBytes))
	return errBodyTooLarge
}

// errBodyTooLarge is a POST body over the form limits.
var errBodyTooLarge = errors.New("web: form body too large")

// maxFormBytes bounds a form body: a listing's 20,000-character Chinese
// description alone is about 180 KB once URL-encoded, so the limit leaves
// room for every long text field of a form at its maximum. maxUploadBytes
// bounds a multipart upload (the bulk import), maxUploadMemory how much of
// it is kept in memory rather than a temporary file, and maxDrainBytes how
// much of a too-large body is read before answering.
const (
	maxFormBytes    = 1 << 20
	maxUploadBytes  = 8 << 20
	maxUploadMemory = 8 << 20
	maxDrainBytes   = 16 << 20
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
