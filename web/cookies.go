package web

import (
	"net/http"
	"time"

	"techbridge/market"
)

// Cookie names.
const (
	sessionCookie = "tb_session" // the secret from Service.StartWebSession
	orgCookie     = "tb_org"     // the organisation the visitor acts for (the switcher)
	visitorCookie = "tb_visitor" // random per browser; keys the CSRF token
	langCookie    = "lang"       // "zh" or "en", chosen in the header
)

// Cookie lifetimes.
const (
	sessionCookieAge = market.WebSessionTTL
	visitorCookieAge = 365 * 24 * time.Hour
	langCookieAge    = 365 * 24 * time.Hour
)

// setCookie sets a site-wide cookie that scripts cannot read and that
// cross-site sub-requests and POSTs do not carry (SameSite=Lax).
func (s *Server) setCookie(w http.ResponseWriter, name, value string, age time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: int(age / time.Second),
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// clearCookie removes a cookie set by setCookie.
func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}
