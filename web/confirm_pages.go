package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Destructive one-click actions confirm on a second page (the GOV.UK
// pattern, no scripts): the first POST of such an action renders a page
// that says what will happen, with the same form values plus confirmed=yes
// and a way back; only that second POST acts. Keeping the first POST (not a
// GET link) carries the form's CSRF token and any reason typed with it.

// confirmedField marks the second, confirming POST.
const confirmedField = "confirmed"

// destructive names the action a form asks for ("" when it asks for none
// that needs a confirmation), per page kind.
type destructive func(form url.Values) string

var (
	// dealDestructive: leaving or ending something in a deal.
	dealDestructive destructive = func(f url.Values) string {
		switch a := f.Get("action"); {
		case slices.Contains([]string{"cancel", "decline", "reject_offer", "withdraw_offer"}, a):
			return "deal." + a
		case a == "respond_intermediary" && f.Get("accept") == "no":
			return "deal.decline_intermediary"
		case a == "agree_fee" && f.Get("agree") == "no":
			return "deal.refuse_fee"
		}
		return ""
	}
	// listingDestructive: closing, rejecting, marking transferred.
	listingDestructive destructive = func(f url.Values) string {
		if a := f.Get("action"); slices.Contains([]string{"close", "reject", "transfer"}, a) {
			return "listing." + a
		}
		return ""
	}
	// proposalDestructive: awarding (it closes the others' chances),
	// rejecting, withdrawing.
	proposalDestructive destructive = func(f url.Values) string {
		if a := f.Get("action"); slices.Contains([]string{"award", "reject", "withdraw"}, a) {
			return "proposal." + a
		}
		return ""
	}
)

// always is the destructive of a route that does one destructive thing.
func always(key string) destructive { return func(url.Values) string { return key } }

// confirmPage is the second page of a destructive action.
type confirmPage struct {
	Key    string // the action, e.g. "deal.cancel": confirm.<Key>.title and .body
	Action string // the URL the confirmed form posts to
	Fields []confirmField
	Reason string // the reason typed with the action, shown back
	Back   string // where "No, go back" leads
}

type confirmField struct{ Name, Value string }

// confirmFirst wraps a POST handler so that a destructive action first
// shows its confirmation page; back is where a visitor who changes their
// mind returns to (the object's page).
func (s *Server) confirmFirst(isDestructive destructive, back func(r *http.Request) string, h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error {
		if err := r.ParseForm(); err != nil {
			return err
		}
		key := isDestructive(r.PostForm)
		if key == "" || r.PostForm.Get(confirmedField) == "yes" {
			return h(w, r, v)
		}
		p := &confirmPage{Key: key, Action: r.URL.Path, Back: back(r), Reason: strings.TrimSpace(r.PostForm.Get("reason"))}
		names := make([]string, 0, len(r.PostForm))
		for name := range r.PostForm {
			if name != csrfField && name != confirmedField {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		for _, name := range names {
			for _, val := range r.PostForm[name] {
				p.Fields = append(p.Fields, confirmField{name, val})
			}
		}
		s.render(w, v, http.StatusOK, "confirm", p)
		return nil
	}
}

// backTo returns the page at prefix+{id}, for confirmFirst.
func backTo(prefix string) func(*http.Request) string {
	return func(r *http.Request) string { return prefix + url.PathEscape(r.PathValue("id")) }
}

// backToPage returns a fixed page, for confirmFirst.
func backToPage(path string) func(*http.Request) string {
	return func(*http.Request) string { return path }
}

// backToReferrer returns the page the form was on when it is one of ours,
// else fallback, for confirmFirst.
func backToReferrer(fallback string) func(*http.Request) string {
	return func(r *http.Request) string {
		if u, err := url.Parse(r.Referer()); err == nil && u.Host == r.Host && strings.HasPrefix(u.Path, "/") {
			return u.RequestURI()
		}
		return fallback
	}
}
