package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pageTemplates maps a page name ("home") to its template: the layout and
// the shared pieces plus the page's own file, which defines "title" and
// "content".
type pageTemplates map[string]*template.Template

// parseTemplates parses every page once at start-up, so a broken template
// stops the server instead of one page.
func parseTemplates() (pageTemplates, error) {
	base, err := template.New("").Funcs(template.FuncMap{"input": input, "fingerprint": fingerprint}).Funcs(registrationFuncs).
		ParseFS(templateFiles, "templates/layout.html", "templates/forms.html", "templates/registration_parts.html", "templates/*_part.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := pageTemplates{}
	for _, file := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "templates/"), ".html")
		if name == "layout" || name == "forms" || name == "registration_parts" || strings.HasSuffix(name, "_part") { // *_part.html: pieces every page may use
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, file)
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

// view is the data every template gets: the page's own Data plus what the
// layout needs.
type view struct {
	*visit
	Notice string // a confirmation shown above the content
	Nav    []navItem
	Data   any
}

// OrgName is an organisation's name in the page language.
func (v view) OrgName(id string) string {
	if v.orgName == nil {
		return id
	}
	return v.orgName(id)
}

// T returns the catalogue text for key in the page's language.
func (v view) T(key string) string { return translate(v.Lang, key) }

// ListSep separates the items of a list in the page language: "、" in
// Chinese, ", " in English.
func (v view) ListSep() string { return listSep(v.Lang) }

func listSep(lang string) string {
	if lang == langEN {
		return ", "
	}
	return "、"
}

// N is the text for key with the count n filled in (Sprintf), in its
// singular form key+".one" when n is 1 and the catalogue has one.
func (v view) N(key string, n int) string { return countText(v.Lang, key, n) }

// CSRF is the token for the hidden field of every form.
func (v view) CSRF() string { return v.csrf }

// Current reports whether path is the page being shown, for aria-current.
func (v view) Current(path string) bool { return v.Path == path }

// AccountLinks are the account menu's entries the visitor may use.
func (v view) AccountLinks() []accountLink {
	var out []accountLink
	for _, l := range accountLinks {
		if l.Admin && !v.Actor.IsAdmin() || l.Reviewer && !v.Actor.IsReviewer() || l.Registrar && !v.Actor.IsRegistrar() ||
			l.Finance && !v.Actor.IsFinance() {
			continue
		}
		out = append(out, l)
	}
	return out
}

// Unread is the visitor's count of unread notifications as the header
// shows it ("9+" beyond unreadShown), "" for none.
func (v view) Unread() string {
	if v.unread == nil {
		return ""
	}
	switch n := v.unread(); {
	case n == 0:
		return ""
	case n > unreadShown:
		return strconv.Itoa(unreadShown) + "+"
	default:
		return strconv.Itoa(n)
	}
}

// Asset returns the URL of an embedded static file, versioned by content so
// browsers may cache it for long.
func (v view) Asset(name string) string { return "/static/" + name + "?v=" + assetVersion }

// render writes page name with data. It executes into a buffer first, so
// a template error becomes a clean error page, never half a page.
func (s *Server) render(w http.ResponseWriter, v *visit, status int, name string, data any) {
	t, ok := s.pages[name]
	if !ok {
		s.internalError(w, v, fmt.Errorf("web: no template %q", name))
		return
	}
	vw := view{visit: v, Nav: nav, Data: data}
	if key := noticeKey(v); key != "" {
		vw.Notice = translate(v.Lang, key)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", vw); err != nil {
		s.internalError(w, v, fmt.Errorf("web: render %s: %w", name, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store") // pages carry the visitor's name and tokens
	h.Set("Content-Language", v.Lang)
	h.Add("Vary", "Cookie, Accept-Language")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// noticeKey turns ?done=registered into the catalogue key of its
// confirmation; only known keys are shown, so the query cannot inject text.
func noticeKey(v *visit) string {
	if v.done == "" {
		return ""
	}
	key := "notice." + v.done
	if _, ok := catalogue[key]; !ok {
		return ""
	}
	return key
}

// form is a form's submitted values and what was wrong with them, to
// render the form again with nothing lost.
type form struct {
	Values map[string]string
	Errors map[string]string // field name → message in the page language
	Error  string            // a problem with the form as a whole
	// Prefix starts its inputs' element ids ("f-" when empty), so two
	// forms on one page keep theirs apart.
	Prefix string
	// IDs names the element ids that do not follow Prefix (forms repeated
	// per row: "fund-ref-2"), for the summary's links.
	IDs map[string]string
	// Labels are the fields' labels where the page builds its controls
	// before rendering (listing forms), so the summary says which field.
	Labels map[string]string
	lang   string   // of the messages, set by take
	order  []string // fields in the order their errors came, for Summary
}

// label records a field's label for the summary.
func (f *form) label(name, text string) {
	if f == nil {
		return
	}
	if f.Labels == nil {
		f.Labels = map[string]string{}
	}
	f.Labels[name] = text
}

// summaryText is a field's summary entry: its label, where known, and the
// message.
func (f *form) summaryText(name string) string {
	label, ok := f.Labels[name]
	if !ok {
		return f.Errors[name]
	}
	if f.lang == langZH {
		return label + "：" + f.Errors[name]
	}
	return label + ": " + f.Errors[name]
}

// FieldID is the element id of the input for a field.
func (f *form) FieldID(name string) string {
	switch id, ok := f.idOf(name); {
	case ok:
		return id
	case f == nil || f.Prefix == "":
		return "f-" + name
	}
	return f.Prefix + name
}

func (f *form) idOf(name string) (string, bool) {
	if f == nil {
		return "", false
	}
	id, ok := f.IDs[name]
	return id, ok
}

// setErr records a field's error once, keeping the order for Summary.
func (f *form) setErr(name, text string) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	if _, seen := f.Errors[name]; !seen {
		f.Errors[name] = text
		f.order = append(f.order, name)
	}
}

// summaryLink is one entry of the error summary: the message, linking to
// the input it is about.
type summaryLink struct{ ID, Text string }

// Summary lists the form's field errors for the summary at its top (GOV.UK
// error summary): in the order they were found, then any set directly.
func (f *form) Summary() []summaryLink {
	if f == nil || len(f.Errors) == 0 {
		return nil
	}
	var out []summaryLink
	done := map[string]bool{}
	for _, n := range f.order {
		if _, ok := f.Errors[n]; ok && !done[n] {
			out = append(out, summaryLink{f.FieldID(n), f.summaryText(n)})
			done[n] = true
		}
	}
	rest := make([]string, 0, len(f.Errors))
	for n := range f.Errors {
		if !done[n] {
			rest = append(rest, n)
		}
	}
	sort.Strings(rest)
	for _, n := range rest {
		out = append(out, summaryLink{f.FieldID(n), f.summaryText(n)})
	}
	return out
}

// newForm keeps the named values of the request's form, trimmed of nothing:
// what the visitor typed comes back as typed.
func newForm(r *http.Request, names ...string) *form {
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	for _, n := range names {
		f.Values[n] = r.PostFormValue(n)
	}
	return f
}

// Value returns the submitted value of a field.
func (f *form) Value(name string) string {
	if f == nil {
		return ""
	}
	return f.Values[name]
}

// Err returns the error message of a field, "" when it is fine.
func (f *form) Err(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// fieldView is what the "field" template draws.
type fieldView struct {
	ID, Name, Type, Label, Value, Error, Hint, Autocomplete string
	Required                                                bool
}

// input builds a fieldView in templates. opts are "required",
// "ac:<autocomplete>", "hint:<catalogue key>" and "id:<element id>".
func input(v view, f *form, name, typ, labelKey string, opts ...string) fieldView {
	fv := fieldView{ID: f.FieldID(name), Name: name, Type: typ, Label: v.T(labelKey), Value: f.Value(name), Error: f.Err(name)}
	for _, o := range opts {
		switch {
		case o == "required":
			fv.Required = true
		case strings.HasPrefix(o, "ac:"):
			fv.Autocomplete = o[3:]
		case strings.HasPrefix(o, "hint:"):
			fv.Hint = v.T(o[5:])
		case strings.HasPrefix(o, "id:"):
			fv.ID = o[3:]
		}
	}
	return fv
}
