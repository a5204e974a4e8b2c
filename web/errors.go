package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"techbridge/market/msgs"

	"techbridge/market"
)

// errorPage is the data of the error template.
type errorPage struct {
	TitleKey, BodyKey string
	RequestID         string // shown for internal errors, to quote to support
}

// fail answers a handler's error with a readable page: a status from its
// market code, a text from the catalogue, never the error's own text for
// internal failures. Handlers deal with EINVALID themselves (they
// re-render their form), so it is here only as a fallback.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, v *visit, err error) {
	if errors.Is(r.Context().Err(), context.Canceled) {
		s.log.Info("page request cancelled by the client", "request_id", v.RequestID, "path", r.URL.Path)
		return
	}
	code := market.ErrorCode(err)
	if code == market.EINTERNAL && errors.Is(err, context.DeadlineExceeded) {
		code = market.EUNAVAILABLE
	}
	switch code {
	case market.EUNAVAILABLE:
		// A dependency failed or timed out: a passing condition, not a bug.
		s.log.Warn("web page: dependency unavailable", "err", err, "request_id", v.RequestID)
		w.Header().Set("Retry-After", "5")
		s.renderError(w, v, http.StatusServiceUnavailable, "error.unavailable.title", "error.unavailable.body")
	case market.EUNAUTHORIZED:
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
	case market.EFORBIDDEN:
		// A refusal for want of verification says what is missing and
		// where to fix it; other refusals stay generic.
		switch missingVerification(err) {
		case "email_verified":
			s.renderError(w, v, http.StatusForbidden, "error.unverified_email.title", "error.unverified_email.body")
		case "organization_verified":
			s.renderError(w, v, http.StatusForbidden, "error.unverified_org.title", "error.unverified_org.body")
		default:
			s.renderError(w, v, http.StatusForbidden, "error.forbidden.title", "error.forbidden.body")
		}
	case market.ENOTFOUND:
		s.renderError(w, v, http.StatusNotFound, "error.notfound.title", "error.notfound.body")
	case market.EINVALID, market.ECONFLICT:
		s.renderError(w, v, http.StatusBadRequest, "error.invalid.title", "error.invalid.body")
	case market.ETOOMANY:
		if secs := retryAfter(err); secs > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		s.renderError(w, v, http.StatusTooManyRequests, "error.toomany.title", "error.toomany.body")
	default:
		s.internalError(w, v, err)
	}
}

// renderError writes the error page with a status.
func (s *Server) renderError(w http.ResponseWriter, v *visit, status int, titleKey, bodyKey string) {
	s.render(w, v, status, "error", errorPage{TitleKey: titleKey, BodyKey: bodyKey})
}

// internalError logs err with the request id and shows only the id. It
// writes plain HTML itself when even the error template fails.
func (s *Server) internalError(w http.ResponseWriter, v *visit, err error) {
	s.log.Error("web page failed", "err", err, "request_id", v.RequestID)
	t, ok := s.pages["error"]
	vw := view{visit: v, Nav: nav, Data: errorPage{TitleKey: "error.internal.title", BodyKey: "error.internal.body", RequestID: v.RequestID}}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusInternalServerError)
	if !ok || t.ExecuteTemplate(w, "layout", vw) != nil {
		w.Write([]byte("<!doctype html><title>Error</title><p>Internal error. Request id: " + v.RequestID))
	}
}

// notFound is the page for any path no route claims.
func (s *Server) notFound(w http.ResponseWriter, _ *http.Request, v *visit) error {
	s.renderError(w, v, http.StatusNotFound, "error.notfound.title", "error.notfound.body")
	return nil
}

// crossOriginDenied answers a POST that CrossOriginProtection refused with
// the same readable page as a bad form token.
func (s *Server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	v := &visit{Lang: pickLanguage(r), RequestID: market.NewID(), Path: r.URL.Path, Here: r.URL.Path}
	s.renderError(w, v, http.StatusForbidden, "error.csrf.title", "error.csrf.body")
}

// recoverPanics turns a panic in a page into the internal-error page and a
// log line with the stack's cause, never a stack trace in the browser.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				v := &visit{Lang: pickLanguage(r), RequestID: market.NewID(), Path: r.URL.Path, Here: r.URL.Path}
				s.log.Error("web page panicked", "panic", p, "path", r.URL.Path, "request_id", v.RequestID)
				s.internalError(w, v, errPanic)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

var errPanic = market.Errorf(market.EINTERNAL, msgs.Panic)

// securityHeaders forbids framing, inline scripts and content sniffing; the
// pages need no script at all.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'none'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// missingVerification names the verification a refusal lacks, "" for none.
func missingVerification(err error) string {
	var e *market.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			if f.Field == "email_verified" || f.Field == "organization_verified" {
				return f.Field
			}
		}
	}
	return ""
}
