package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
)

// listingPages serves one listing kind's pages: browse, detail, life-cycle
// actions, and the create and edit forms are written once here; each kind
// (outcomePages, scenarioPages) names its service calls, its form and its
// own part of the detail page. The templates are one detail page
// (listing.html) and one browse page (browse.html), with kind blocks.
type listingPages[T any, P interface {
	*T
	Meta() *market.ListingMeta
}, In any, PI listingInput[In], F any] struct {
	kind    string // "outcome", "scenario": paths, message keys, the act panel
	mayList func(*market.Organization) bool
	sorts   []string // the browse page's orders (market.OutcomeSorts, …), the default first

	market.ListingCalls[T, In, F]

	// detail fills the kind's part of the detail page.
	detail func(s *Server, ctx context.Context, v *visit, x *T, p *listingPage) error
	// browse turns the browse filters into the kind's filter of published
	// listings, offset rows in; rows adds a page of results to the browse page.
	browse func(bf browseFilters, lo, hi int, mlo, mhi int64, offset int) F
	rows   func(lang string, names *orgNames, items []T, now time.Time, p *browsePage)
	// browseKeys are the message keys of the browse page's TRL and money filters.
	browseKeys browseKeys

	// readForm reads the posted form; build turns it into the kind's input
	// (see readInput); values fills it from a stored listing; defaults are a new
	// form's starting values; sections lay it out below the organisation.
	readForm func(r *http.Request) *form
	build    func(p *formParser) In
	values   func(x *T) *form
	defaults map[string]string
	sections func(c controls, lang string, who []control) []formSection
}

// listingInput is a pointer to a kind's input (*market.OutcomeInput, …):
// the web checks it as the service will.
type listingInput[In any] interface {
	*In
	Normalize(*market.Fields)
	Validate(*market.Fields, time.Time)
}

// readInput builds a kind's input from the form; fields that cannot be read
// come back as an EINVALID error together with the input's other problems
// (checked on a copy, as the service will), and the service is not called.
func readInput[In any, PI listingInput[In]](f *form, now time.Time, build func(*formParser) In) (In, error) {
	p := &formParser{f: f}
	in := build(p)
	err := p.merge(func(fs *market.Fields) {
		c := in
		PI(&c).Normalize(fs)
		PI(&c).Validate(fs, now)
	})
	return in, err
}

// listingValues fills a form from a stored listing's shared state and the
// kind's values, for editing.
func listingValues(m *market.ListingMeta, values map[string]string) *form {
	values["org_id"], values["version"] = m.OrgID, strconv.FormatInt(m.Version, 10)
	return &form{Values: values, Errors: map[string]string{}}
}

// browseKeys are the labels of one kind's browse filters.
type browseKeys struct{ TRLMin, TRLMax, MoneyMin, MoneyMax string }

// bind makes a handler written once for every listing kind one of s's.
func (s *Server) bind(h func(*Server, http.ResponseWriter, *http.Request, *visit) error) handler {
	return func(w http.ResponseWriter, r *http.Request, v *visit) error { return h(s, w, r, v) }
}

// path is the kind's detail path ("/outcomes/<id>"), or its list with id "".
func (k *listingPages[T, P, In, PI, F]) path(id string) string {
	if id == "" {
		return "/" + k.kind + "s"
	}
	return "/" + k.kind + "s/" + id
}

// listingPage is a listing's detail page: the shared part, and the kind's
// part (O for outcomes, S for scenarios) which the template's kind blocks draw.
type listingPage struct {
	Kind                      string
	Title, Kicker             string
	Keywords                  []string
	Org                       *market.Organization
	OrgName, Field, Published string
	Owner, Reviewer           bool
	Act                       *actPanel

	O                        *market.Outcome
	Price, FreshUntil        string
	Stale, Teaser            bool   // the details are withheld until an NDA
	CanInquire               bool   // published and not the visitor's own
	CanBuy                   bool   // the visitor has an organisation that may inquire
	DealHref                 string // the visitor's open deal on it, if any
	S                        *market.Scenario
	Budget, Bounty, Deadline string
	Open                     bool // takes proposals now
	CanAnswer, LoggedOut     bool
}

// detailPage builds the detail page of the listing in the request's path.
func (k *listingPages[T, P, In, PI, F]) detailPage(s *Server, r *http.Request, v *visit) (*listingPage, error) {
	ctx := r.Context()
	x, err := k.Get(s.svc, ctx, v.Actor, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	m := P(x).Meta()
	roles := market.ListingRolesOf(v.Actor, m.OrgID)
	p := &listingPage{Kind: k.kind, Published: dateText(m.PublishedAt), Owner: roles.Owner, Reviewer: roles.Reviewer,
		LoggedOut: v.Account == nil}
	if org, err := s.svc.Organization(ctx, v.Actor, m.OrgID); err == nil {
		p.Org, p.OrgName = org, org.Name(v.Lang)
	}
	p.Act = newActPanel(v.Lang, k.kind, k.path(m.ID), m.Status, m.RejectReason, m.Version, roles)
	return p, k.detail(s, ctx, v, x, p)
}

// detailHandler shows one listing as the visitor may see it.
func (k *listingPages[T, P, In, PI, F]) detailHandler(s *Server, w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := k.detailPage(s, r, v)
	if err != nil {
		return err
	}
	s.svc.CountView(r.PathValue("id"), s.clientIP(r), r.UserAgent()) // the funnel's views (buffered, no write here)
	s.render(w, v, http.StatusOK, "listing", p)
	return nil
}

// act takes a life-cycle action: the owner's submit, pause, resume, close,
// confirm…, a reviewer's publish or reject.
func (k *listingPages[T, P, In, PI, F]) act(s *Server, w http.ResponseWriter, r *http.Request, v *visit) error {
	id := r.PathValue("id")
	req := readAct(r, k.path(id))
	_, err := k.Transition(s.svc, r.Context(), v.Actor, id, req.Version, req.Action, req.Form.Value("reason"))
	if err != nil {
		p, perr := k.detailPage(s, r, v)
		if perr != nil {
			return perr
		}
		if !actRefusal(v.Lang, req, err, p.Act) {
			return err
		}
		s.render(w, v, refusalStatus(err), "listing", p)
		return nil
	}
	http.Redirect(w, r, req.Next+"?done=listing_"+string(req.Action), http.StatusSeeOther)
	return nil
}

// browsePage is the data of the browse pages, one kind at a time.
type browsePage struct {
	Kind      string
	Keys      browseKeys
	Filters   browseFilters
	Fields    []option
	TRLs      []string
	Kinds     []option // scenarios only
	Outcomes  []outcomeRow
	Scenarios []scenarioRow
	Total     int
	Exact     bool   // Total is every match; otherwise more than Total match
	Capped    bool   // more pages match than are numbered (browseMaxPages)
	MaxPages  int    // browseMaxPages, for the note
	CapHref   string // the last numbered page, when a later one was asked for
	Error     string // the filters could not be applied
	CanCreate bool   // the visitor has an organisation that may add one
	Sorts     []option
	Keep      []option // the filters as hidden inputs of the sort form (Value the name, Label the value)
	Pager
}

// browseMaxPages caps the numbered pages: an OFFSET read walks every
// skipped row, so the pages stop where the store's offset does.
const browseMaxPages = market.MaxListOffset / browsePageSize

// browseHandler lists published listings with filters, a page at a time.
func (k *listingPages[T, P, In, PI, F]) browseHandler(s *Server, w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	q := r.URL.Query()
	q.Del("after") // the cursor of the pages before numbered ones
	bf, lo, hi, mlo, mhi, msg := readBrowseFilters(v.Lang, q)
	p := &browsePage{Kind: k.kind, Keys: k.browseKeys, Filters: bf, Fields: fieldOptions(v.Lang),
		TRLs: strings.Fields("1 2 3 4 5 6 7 8 9"), Error: msg, MaxPages: browseMaxPages, Keep: keptFilters(q)}
	for _, o := range k.sorts {
		p.Sorts = append(p.Sorts, option{Value: o, Label: translate(v.Lang, "listing.sort."+o)})
	}
	if bf.Sort == k.sorts[0] {
		bf.Sort, p.Filters.Sort = "", "" // the default order keeps its links plain
		q.Del("sort")
	} else if bf.Sort != "" && !slices.Contains(k.sorts, bf.Sort) && msg == "" {
		msg = translate(v.Lang, "listing.sort.bad")
		p.Error, p.Filters.Sort = msg, ""
	}
	if k.kind == market.ScenarioObjectType {
		p.Kinds = keyedOptions(v.Lang, "scenario.kind.", market.ScenarioKinds)
	}
	if orgs, err := s.myOrgs(ctx, v, k.mayList); err == nil {
		p.CanCreate = len(orgs) > 0
	}
	n := 1
	if i, err := strconv.Atoi(q.Get("page")); err == nil && i > 1 {
		n = i
	}
	if n > browseMaxPages && msg == "" {
		msg = fmt.Sprintf(translate(v.Lang, "listing.browse.page_cap"), browseMaxPages)
		p.Error, p.CapHref = msg, pageHref(k.path(""), q, browseMaxPages)
	}
	if msg != "" {
		s.render(w, v, http.StatusBadRequest, "browse", p)
		return nil
	}
	page, err := k.List(s.svc, ctx, v.Actor, k.browse(bf, lo, hi, mlo, mhi, (n-1)*browsePageSize))
	if market.ErrorCode(err) == market.EINVALID {
		p.Error = translate(v.Lang, "listing.browse.bad_filter")
		s.render(w, v, http.StatusBadRequest, "browse", p)
		return nil
	} else if err != nil {
		return err
	}
	k.rows(v.Lang, s.orgNames(ctx, v), page.Items, s.svc.Now(), p)
	p.browsePages(k.path(""), q, n, page.Total, page.Counted, len(page.Items), page.HasMore)
	s.render(w, v, http.StatusOK, "browse", p)
	return nil
}

// browsePages numbers the pages of page n that read items rows: all pages
// of a counted total, else those known to exist (up to n, and the next when
// more follow); at most browseMaxPages either way.
func (p *browsePage) browsePages(path string, q url.Values, n, total int, counted bool, items int, more bool) {
	seen := (n-1)*browsePageSize + items // rows known to exist up to this page
	pages := n
	switch {
	case counted:
		p.Total, p.Exact = total, true
		pages = (total + browsePageSize - 1) / browsePageSize
	case more:
		p.Total = seen
		pages = n + 1
	case items > 0 || n == 1:
		p.Total, p.Exact = seen, true // the last page: every match has been counted
	}
	p.Capped = pages > browseMaxPages
	p.Pager = numberedPager(path, q, n, max(1, min(pages, browseMaxPages)))
}

// browseFilters are the filters of a browse page as typed, for the form,
// and its order.
type browseFilters struct {
	Kind, Field, TRLMin, TRLMax, MoneyMin, MoneyMax, Region string
	Sort                                                    string // "" = the kind's default
}

// browseFilterNames are the query parameters of the browse filters.
var browseFilterNames = []string{"kind", "field", "trl_min", "trl_max", "min", "max", "region"}

// keptFilters are the filters set in q, which the sort form sends again
// (without page: a new order starts at page 1).
func keptFilters(q url.Values) []option {
	var out []option
	for _, name := range browseFilterNames {
		if v := q.Get(name); v != "" {
			out = append(out, option{Value: name, Label: v})
		}
	}
	return out
}

// readBrowseFilters reads the filters from the query; amounts are in major
// units. Unreadable numbers are reported in Error and left out.
func readBrowseFilters(lang string, q url.Values) (browseFilters, int, int, int64, int64, string) {
	bf := browseFilters{Kind: q.Get("kind"), Field: q.Get("field"), TRLMin: q.Get("trl_min"), TRLMax: q.Get("trl_max"),
		MoneyMin: strings.TrimSpace(q.Get("min")), MoneyMax: strings.TrimSpace(q.Get("max")), Region: strings.TrimSpace(q.Get("region")),
		Sort: q.Get("sort")}
	bad := false
	level := func(s string) int {
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			bad = true
		}
		return n
	}
	amount := func(s string) int64 {
		if s == "" {
			return 0
		}
		n, ok := parseAmount(s, market.DefaultCurrency)
		if !ok {
			bad = true
		}
		return n
	}
	lo, hi := level(bf.TRLMin), level(bf.TRLMax)
	mlo, mhi := amount(bf.MoneyMin), amount(bf.MoneyMax)
	msg := ""
	if bad {
		msg = translate(lang, "listing.browse.bad_filter")
	}
	return bf, lo, hi, mlo, mhi, msg
}

// formPage lays out the kind's form; orgs is nil when editing.
func (k *listingPages[T, P, In, PI, F]) formPage(lang string, f *form, orgs []*market.Organization, editID string) *listingFormPage {
	c := controls{lang: lang, f: f}
	p := &listingFormPage{TitleKey: k.kind + ".new.title", LeadKey: k.kind + ".new.lead", SubmitKey: k.kind + ".new.submit",
		Action: k.path(""), Cancel: "/my/listings", Form: f}
	var who []control
	if editID != "" {
		p.TitleKey, p.LeadKey, p.SubmitKey = k.kind+".edit.title", k.kind+".edit.lead", k.kind+".edit.submit"
		p.Action, p.Cancel = k.path(editID)+"/edit", k.path(editID)
		p.Hidden = []option{{Value: f.Value("version"), Label: "version"}}
	} else {
		who = append(who, c.pick("org_id", "listing.field.org", "", orgOptions(lang, orgs), true))
	}
	p.Sections = k.sections(c, lang, who)
	return p
}

// technologySection is the form section of both kinds: field, IPC and a
// TRL control (the outcome's level, the scenario's minimum).
func technologySection(c controls, lang, kind, fieldHint string, fieldRequired bool, trl control) formSection {
	return formSection{Legend: translate(lang, kind+".section.technology"), Controls: []control{
		c.pick("field", "listing.field.field", fieldHint, fieldOptions(lang), fieldRequired),
		c.input("text", "ipc", "listing.field.ipc", "listing.field.ipc_hint", false),
		trl,
	}}
}

// newForm shows the empty form.
func (k *listingPages[T, P, In, PI, F]) newForm(s *Server, w http.ResponseWriter, r *http.Request, v *visit) error {
	orgs, err := s.myOrgs(r.Context(), v, k.mayList)
	if err != nil {
		return err
	}
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	for name, val := range k.defaults {
		f.Values[name] = val
	}
	if len(orgs) > 0 {
		f.Values["org_id"] = orgs[0].ID
	}
	p := k.formPage(v.Lang, f, orgs, "")
	if len(orgs) == 0 {
		p.Empty = k.kind + ".new.no_org"
	}
	s.render(w, v, http.StatusOK, "listing_form", p)
	return nil
}

// createHandler creates a draft; refused input comes back in place.
func (k *listingPages[T, P, In, PI, F]) createHandler(s *Server, w http.ResponseWriter, r *http.Request, v *visit) error {
	f := k.readForm(r)
	in, err := readInput[In, PI](f, s.svc.Now(), k.build)
	var x *T
	if err == nil {
		x, err = k.Create(s.svc, r.Context(), v.Actor, f.Value("org_id"), in)
	}
	if takeListing(f, v.Lang, err) {
		orgs, oerr := s.myOrgs(r.Context(), v, k.mayList)
		if oerr != nil {
			return oerr
		}
		s.render(w, v, http.StatusUnprocessableEntity, "listing_form", k.formPage(v.Lang, f, orgs, ""))
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, k.path(P(x).Meta().ID)+"?done="+k.kind+"_created", http.StatusSeeOther)
	return nil
}

// editable loads a listing for its owner's edit form.
func (k *listingPages[T, P, In, PI, F]) editable(s *Server, r *http.Request, v *visit) (*market.ListingMeta, *T, error) {
	x, err := k.Get(s.svc, r.Context(), v.Actor, r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	m := P(x).Meta()
	if !v.Actor.MemberOf(m.OrgID) && !v.Actor.IsAdmin() {
		return nil, nil, market.Errorf(market.EFORBIDDEN, msgs.OnlyOwnerEditsListings, msgs.Term{Kind: "search.kind", Value: k.kind})
	}
	return m, x, nil
}

// editForm shows a draft's form; other states explain why it is locked.
func (k *listingPages[T, P, In, PI, F]) editForm(s *Server, w http.ResponseWriter, r *http.Request, v *visit) error {
	m, x, err := k.editable(s, r, v)
	if err != nil {
		return err
	}
	p := k.formPage(v.Lang, k.values(x), nil, m.ID)
	if m.Status != market.ListingDraft {
		p.Locked = "listing.edit.locked"
	}
	s.render(w, v, http.StatusOK, "listing_form", p)
	return nil
}

// updateHandler saves a draft; a stale version is shown as a conflict with
// the typed values kept.
func (k *listingPages[T, P, In, PI, F]) updateHandler(s *Server, w http.ResponseWriter, r *http.Request, v *visit) error {
	m, _, err := k.editable(s, r, v)
	if err != nil {
		return err
	}
	f := k.readForm(r)
	in, err := readInput[In, PI](f, s.svc.Now(), k.build)
	if err == nil {
		_, err = k.Update(s.svc, r.Context(), v.Actor, m.ID, (&formParser{f: f}).version(), in)
	}
	if takeListing(f, v.Lang, err) || market.ErrorCode(err) == market.ECONFLICT {
		if f.Error == "" {
			f.Error = translate(v.Lang, "listing.edit.conflict")
		}
		p := k.formPage(v.Lang, f, nil, m.ID)
		if m.Status != market.ListingDraft {
			p.Locked = "listing.edit.locked"
		}
		s.render(w, v, refusalStatus(err), "listing_form", p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, k.path(m.ID)+"?done=listing_saved", http.StatusSeeOther)
	return nil
}

// refusalStatus is the status of a page that shows a refused step.
func refusalStatus(err error) int {
	if market.ErrorCode(err) == market.ECONFLICT {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}
