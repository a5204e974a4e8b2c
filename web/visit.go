package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"techbridge/market"
)

// visit is what a handler knows about the request beside the request
// itself: who is there, in which language, and the form token to embed.
type visit struct {
	Lang      string
	Account   *market.Account // nil when anonymous
	Actor     market.Actor
	RequestID string
	Path      string // the request path, to mark the current page
	Here      string // path and query, where the language switch returns to

	done    string                 // ?done=…: which confirmation to show (see noticeKey)
	unread  func() int             // unread notifications, loaded once if the header asks
	session string                 // session cookie secret, "" when anonymous
	csrf    string                 // the token forms carry in their hidden field
	orgName func(id string) string // an organisation's name in the page language, for the switcher
}

// handler is a page handler: it writes a response, or returns an error
// that s.fail turns into an error page.
type handler func(w http.ResponseWriter, r *http.Request, v *visit) error

// public wraps a handler any visitor may use.
func (s *Server) public(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, ok := s.begin(w, r)
		if !ok {
			return
		}
		if err := h(w, r, v); err != nil {
			s.fail(w, r, v, err)
		}
	})
}

// loggedIn wraps a handler that needs an account; anonymous visitors are
// sent to the login page, which returns them here afterwards.
func (s *Server) loggedIn(h handler) http.Handler {
	return s.public(func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if v.Account == nil {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return nil
		}
		return h(w, r, v)
	})
}

// begin builds the visit: language, session, CSRF token; on a POST it
// checks the token and answers 403 itself when it is wrong.
func (s *Server) begin(w http.ResponseWriter, r *http.Request) (*visit, bool) {
	v := &visit{Lang: pickLanguage(r), RequestID: market.NewID(), Path: r.URL.Path, Here: r.URL.Path}
	if r.Method == http.MethodGet {
		v.Here, v.done = r.URL.RequestURI(), r.URL.Query().Get("done")
	}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if s.loadSession(r, v, c.Value) {
			v.session = c.Value
		} else {
			s.clearCookie(w, sessionCookie) // expired or ended elsewhere
		}
	}
	if v.Account != nil {
		ctx := r.Context()
		v.unread = sync.OnceValue(func() int { return s.unreadCount(ctx, v) })
	}
	visitorSecret := s.visitorSecret(w, r)
	v.csrf = csrfToken(visitorSecret, v.session)
	if r.Method == http.MethodPost {
		if readForm(r) == errBodyTooLarge {
			s.renderError(w, v, http.StatusRequestEntityTooLarge, "error.toolarge.title", "error.toolarge.body")
			return nil, false
		}
		if !csrfValid(r, visitorSecret, v.session) {
			s.renderError(w, v, http.StatusForbidden, "error.csrf.title", "error.csrf.body")
			return nil, false
		}
	}
	return v, true
}

// loadSession fills the visit's account and actor from a session secret;
// false when the session is gone.
func (s *Server) loadSession(r *http.Request, v *visit, secret string) bool {
	ctx := r.Context()
	id, err := s.svc.WebSessionAccount(ctx, secret)
	if err != nil {
		if market.ErrorCode(err) != market.EUNAUTHORIZED {
			s.log.Error("web session lookup", "err", err, "request_id", v.RequestID)
		}
		return false
	}
	acc, members, err := s.svc.Me(ctx, market.Actor{AccountID: id})
	if err != nil {
		s.log.Error("web session account", "err", err, "request_id", v.RequestID)
		return false
	}
	v.Account = acc
	v.Actor = market.Actor{AccountID: acc.ID, PlatformRole: acc.PlatformRole, EmailVerified: acc.EmailVerified()}
	for _, m := range members {
		v.Actor.Memberships = append(v.Actor.Memberships, m.Membership)
	}
	v.orgName = func(id string) string {
		o, err := s.svc.Organization(ctx, v.Actor, id)
		if err != nil {
			return id
		}
		return o.Name(v.Lang)
	}
	// The switcher's choice, when it is still one of the account's
	// organisations; a stale one is ignored rather than refused.
	if c, err := r.Cookie(orgCookie); err == nil {
		if a, err := v.Actor.ActFor(c.Value); err == nil {
			v.Actor = a
		}
	}
	return true
}

// unreadShown is the largest unread count the header spells out; it asks
// for one more, so counting stays a single short query.
const unreadShown = 9

// unreadCount counts the visitor's unread notifications up to
// unreadShown+1; a failure only hides the count.
func (s *Server) unreadCount(ctx context.Context, v *visit) int {
	items, err := s.svc.Notifications(ctx, v.Actor, true, "", unreadShown+1)
	if err != nil {
		s.log.Warn("unread notifications", "err", err, "request_id", v.RequestID)
		return 0
	}
	return len(items)
}

// localPath returns next when it is a path on this site, else "/"; it keeps
// ?next= from sending people elsewhere (an open redirect).
func localPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}
