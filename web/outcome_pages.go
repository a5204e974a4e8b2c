package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
)

// browsePageSize is how many listings a browse page shows.
const browsePageSize = 20

// outcomeRow is an outcome as a list shows it.
type outcomeRow struct {
	ID, Title, Summary, Org, Field, Price, Status, Updated string
	TRL                                                    int
	Confidential, Stale                                    bool
}

func newOutcomeRow(lang string, names *orgNames, o market.Outcome, now time.Time) outcomeRow {
	return outcomeRow{ID: o.ID, Title: o.Title, Summary: firstRunes(o.Summary, 180), Org: names.name(o.OrgID),
		Field: fieldName(lang, o.Field), Price: priceText(lang, o.Price), Status: o.Status,
		Updated: o.UpdatedAt.UTC().Format(time.DateOnly), TRL: o.TRL, Confidential: o.Confidential(), Stale: o.Stale(now)}
}

// browseFilters are the filters of a browse page as typed, for the form.
type browseFilters struct {
	Kind, Field, TRLMin, TRLMax, MoneyMin, MoneyMax, Region string
}

// browsePage is the data of the outcome and scenario browse pages.
type browsePage struct {
	Filters   browseFilters
	Fields    []option
	TRLs      []string
	Kinds     []option // scenarios only
	Outcomes  []outcomeRow
	Scenarios []scenarioRow
	Total     int
	Counted   bool   // Total is exact; otherwise the page says only that more follow
	NextHref  string // the next page, by the service's cursor
	FirstHref string // back to the first page, when not on it
	Error     string // the filters could not be applied
	CanCreate bool   // the visitor has an organisation that may add one
}

// readBrowseFilters reads the filters from the query; amounts are in major
// units. Unreadable numbers are reported in Error and left out.
func readBrowseFilters(lang string, q url.Values) (browseFilters, int, int, int64, int64, string) {
	bf := browseFilters{Kind: q.Get("kind"), Field: q.Get("field"), TRLMin: q.Get("trl_min"), TRLMax: q.Get("trl_max"),
		MoneyMin: strings.TrimSpace(q.Get("min")), MoneyMax: strings.TrimSpace(q.Get("max")), Region: strings.TrimSpace(q.Get("region"))}
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

// pageLinks sets the next and first page links from the service's cursor.
func (p *browsePage) pageLinks(path string, q url.Values, next string) {
	if next != "" {
		u := cloneValues(q)
		u.Set("after", next)
		p.NextHref = path + "?" + u.Encode()
	}
	if q.Get("after") != "" {
		u := cloneValues(q)
		u.Del("after")
		p.FirstHref = path
		if len(u) > 0 {
			p.FirstHref += "?" + u.Encode()
		}
	}
}

// browseOutcomes lists published outcomes with filters, a page at a time;
// confidential ones appear as their teasers.
func (s *Server) browseOutcomes(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	q := r.URL.Query()
	bf, lo, hi, mlo, mhi, msg := readBrowseFilters(v.Lang, q)
	p := &browsePage{Filters: bf, Fields: fieldOptions(v.Lang), TRLs: strings.Fields("1 2 3 4 5 6 7 8 9"), Error: msg}
	if orgs, err := s.myOrgs(ctx, v, listsOutcomes); err == nil {
		p.CanCreate = len(orgs) > 0
	}
	if msg != "" {
		s.render(w, v, http.StatusBadRequest, "outcomes", p)
		return nil
	}
	page, err := s.svc.Outcomes(ctx, v.Actor, market.OutcomeFilter{Status: market.ListingPublished,
		Field: bf.Field, TRLMin: lo, TRLMax: hi, PriceMin: mlo, PriceMax: mhi, Region: bf.Region,
		After: q.Get("after"), Limit: browsePageSize})
	if market.ErrorCode(err) == market.EINVALID {
		p.Error = translate(v.Lang, "listing.browse.bad_filter")
		s.render(w, v, http.StatusBadRequest, "outcomes", p)
		return nil
	} else if err != nil {
		return err
	}
	names, now := s.orgNames(ctx, v), s.svc.Now()
	for _, o := range page.Items {
		p.Outcomes = append(p.Outcomes, newOutcomeRow(v.Lang, names, o, now))
	}
	p.Total, p.Counted = page.Total, page.Counted
	p.pageLinks("/outcomes", q, page.NextCursor)
	s.render(w, v, http.StatusOK, "outcomes", p)
	return nil
}

// outcomePage is an outcome's detail page.
type outcomePage struct {
	O                     *market.Outcome
	Org                   *market.Organization
	OrgName, Field, Price string
	FreshUntil, Published string
	Stale, Teaser         bool // the details are withheld until an NDA
	Owner                 bool
	Act                   *actPanel
	CanInquire            bool   // published and not the visitor's own
	CanBuy                bool   // the visitor has an organisation that may inquire
	DealHref              string // the visitor's open deal on it, if any
}

// outcomeDetail shows one outcome as the visitor may see it.
func (s *Server) outcomeDetail(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.outcomePage(r, v)
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "outcome", p)
	return nil
}

func (s *Server) outcomePage(r *http.Request, v *visit) (*outcomePage, error) {
	ctx := r.Context()
	o, err := s.svc.Outcome(ctx, v.Actor, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	roles := market.ListingRolesOf(v.Actor, o.OrgID)
	p := &outcomePage{O: o, Field: fieldName(v.Lang, o.Field), Price: priceText(v.Lang, o.Price),
		FreshUntil: dateText(&o.FreshUntil), Published: dateText(o.PublishedAt), Stale: o.Stale(s.svc.Now()),
		Owner: roles.Owner}
	p.Teaser = o.Confidential() && !roles.Owner && !roles.Reviewer && o.Description == "" && len(o.PatentNumbers) == 0
	if org, err := s.svc.Organization(ctx, v.Actor, o.OrgID); err == nil {
		p.Org, p.OrgName = org, org.Name(v.Lang)
	}
	p.Act = newActPanel(v.Lang, market.OutcomeObjectType, "/outcomes/"+o.ID, o.Status, o.RejectReason, o.Version, roles)
	p.CanInquire = !roles.Owner && o.Status == market.ListingPublished
	if p.CanInquire && v.Account != nil {
		buyers, err := s.myOrgs(ctx, v, func(org *market.Organization) bool { return buysOutcomes(org) && org.ID != o.OrgID })
		if err != nil {
			return nil, err
		}
		p.CanBuy = len(buyers) > 0
		deals, err := s.openDeals(ctx, v, market.DealFromOutcome)
		if err != nil {
			return nil, err
		}
		if id, ok := deals[o.ID]; ok {
			p.DealHref = "/deals/" + id
		}
	}
	return p, nil
}

// outcomeAct takes a life-cycle action: the owner's submit, pause, resume,
// close, confirm…, a reviewer's publish or reject.
func (s *Server) outcomeAct(w http.ResponseWriter, r *http.Request, v *visit) error {
	id := r.PathValue("id")
	req := readAct(r, "/outcomes/"+id)
	_, err := s.svc.TransitionOutcome(r.Context(), v.Actor, id, req.Version, req.Action, req.Form.Value("reason"))
	if err != nil {
		p, perr := s.outcomePage(r, v)
		if perr != nil {
			return perr
		}
		if !actRefusal(v.Lang, req, err, p.Act) {
			return err
		}
		s.render(w, v, refusalStatus(err), "outcome", p)
		return nil
	}
	http.Redirect(w, r, req.Next+"?done=listing_"+string(req.Action), http.StatusSeeOther)
	return nil
}

// refusalStatus is the status of a page that shows a refused step.
func refusalStatus(err error) int {
	if market.ErrorCode(err) == market.ECONFLICT {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// outcomeFields are the inputs of the outcome form.
var outcomeFields = []string{"org_id", "version", "external_id", "title", "summary", "description", "keywords", "field",
	"ipc", "trl", "ip_type", "patent_numbers", "legal_status", "transfer_modes", "price_min", "price_max", "currency",
	"confidentiality", "fresh_until"}

// outcomeForm reads the posted outcome form.
func outcomeForm(r *http.Request) *form {
	f := newForm(r, outcomeFields...)
	f.Values["transfer_modes"] = strings.Join(r.PostForm["transfer_modes"], ",")
	return f
}

// outcomeInput turns the form into an OutcomeInput; fields that cannot be
// read come back as an EINVALID error together with the input's other
// problems, and the service is not called.
func outcomeInput(f *form, now time.Time) (market.OutcomeInput, error) {
	p := &formParser{f: f}
	in := market.OutcomeInput{ExternalID: f.Value("external_id"), Title: f.Value("title"), Summary: f.Value("summary"),
		Description: f.Value("description"), Keywords: splitList(f.Value("keywords")), Field: f.Value("field"),
		IPC: splitList(f.Value("ipc")), IPType: f.Value("ip_type"), PatentNumbers: splitList(f.Value("patent_numbers")),
		LegalStatus: f.Value("legal_status"), TransferModes: splitList(f.Value("transfer_modes")),
		Confidentiality: f.Value("confidentiality"), FreshUntil: p.date("fresh_until"),
		Price: market.Money{Min: p.amount("price_min"), Max: p.amount("price_max"), Currency: f.Value("currency")}}
	if n := p.level("trl"); n > 0 {
		in.TRL = &n
	}
	err := p.merge(func(fs *market.Fields) {
		c := in
		c.Normalize(fs)
		c.Validate(fs, now)
	})
	return in, err
}

// outcomeValues fills the form from a stored outcome, for editing.
func outcomeValues(o *market.Outcome) *form {
	f := &form{Values: map[string]string{"org_id": o.OrgID, "version": strconv.FormatInt(o.Version, 10),
		"external_id": o.ExternalID, "title": o.Title, "summary": o.Summary, "description": o.Description,
		"keywords": joinList(o.Keywords), "field": o.Field, "ipc": joinList(o.IPC), "ip_type": o.IPType,
		"patent_numbers": joinList(o.PatentNumbers), "legal_status": o.LegalStatus,
		"transfer_modes": strings.Join(o.TransferModes, ","), "currency": o.Price.Currency,
		"confidentiality": o.Confidentiality, "fresh_until": dateText(&o.FreshUntil)}, Errors: map[string]string{}}
	if o.TRL > 0 {
		f.Values["trl"] = strconv.Itoa(o.TRL)
	}
	if !o.Price.Negotiable {
		if o.Price.Min > 0 {
			f.Values["price_min"] = majorAmount(o.Price.Min, o.Price.Currency)
		}
		if o.Price.Max > 0 {
			f.Values["price_max"] = majorAmount(o.Price.Max, o.Price.Currency)
		}
	}
	return f
}

// outcomeFormPage lays out the outcome form; orgs is nil when editing.
func outcomeFormPage(lang string, f *form, orgs []*market.Organization, editID string) *listingFormPage {
	c := controls{lang: lang, f: f}
	p := &listingFormPage{TitleKey: "outcome.new.title", LeadKey: "outcome.new.lead", SubmitKey: "outcome.new.submit",
		Action: "/outcomes", Cancel: "/my/listings", Form: f}
	var who []control
	if editID != "" {
		p.TitleKey, p.LeadKey, p.SubmitKey = "outcome.edit.title", "outcome.edit.lead", "outcome.edit.submit"
		p.Action, p.Cancel = "/outcomes/"+editID+"/edit", "/outcomes/"+editID
		p.Hidden = []option{{Value: f.Value("version"), Label: "version"}}
	} else {
		who = append(who, c.pick("org_id", "listing.field.org", "", orgOptions(lang, orgs), true))
	}
	p.Sections = []formSection{
		{Legend: translate(lang, "outcome.section.about"), Controls: append(who,
			c.input("text", "title", "listing.field.title", "", true),
			c.area("summary", "outcome.field.summary", "outcome.field.summary_hint", 3, false),
			c.area("description", "listing.field.description", "outcome.field.description_hint", 7, false),
			c.input("text", "keywords", "listing.field.keywords", "listing.field.list_hint", false),
		)},
		{Legend: translate(lang, "outcome.section.technology"), Controls: []control{
			c.pick("field", "listing.field.field", "outcome.field.field_from_ipc", fieldOptions(lang), false),
			c.input("text", "ipc", "listing.field.ipc", "listing.field.ipc_hint", false),
			c.pick("trl", "outcome.field.trl", "outcome.field.trl_unstated", trlOptions(lang), false),
		}},
		{Legend: translate(lang, "outcome.section.ip"), Controls: []control{
			c.pick("ip_type", "outcome.field.ip_type", "", keyedOptions(lang, "outcome.ip_type.", market.IPTypes), false),
			c.pick("legal_status", "outcome.field.legal_status", "outcome.field.legal_unstated", keyedOptions(lang, "outcome.legal.", market.LegalStatuses), false),
			c.input("text", "patent_numbers", "outcome.field.patent_numbers", "listing.field.list_hint", false),
			c.input("text", "external_id", "outcome.field.external_id", "outcome.field.external_id_hint", false),
		}},
		{Legend: translate(lang, "outcome.section.terms"), Controls: []control{
			c.checks("transfer_modes", "outcome.field.transfer_modes", keyedOptions(lang, "outcome.mode.", market.TransferModes)),
			c.input("text", "price_min", "outcome.field.price_min", "listing.field.money_hint", false),
			c.input("text", "price_max", "outcome.field.price_max", "", false),
			c.input("text", "currency", "listing.field.currency", "", false),
			c.pick("confidentiality", "outcome.field.confidentiality", "", keyedOptions(lang, "outcome.confidentiality.", market.Confidentialities), false),
			c.input("date", "fresh_until", "outcome.field.fresh_until", "outcome.field.fresh_until_hint", false),
		}},
	}
	return p
}

// newOutcomeDefaults are the form's starting values.
func newOutcomeDefaults(orgs []*market.Organization) *form {
	f := &form{Values: map[string]string{"currency": market.DefaultCurrency, "ip_type": market.IPInventionPatent,
		"confidentiality": market.ConfidentialityPublic}, Errors: map[string]string{}}
	if len(orgs) > 0 {
		f.Values["org_id"] = orgs[0].ID
	}
	return f
}

// newOutcomeForm shows the empty outcome form.
func (s *Server) newOutcomeForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	orgs, err := s.myOrgs(r.Context(), v, listsOutcomes)
	if err != nil {
		return err
	}
	p := outcomeFormPage(v.Lang, newOutcomeDefaults(orgs), orgs, "")
	if len(orgs) == 0 {
		p.Empty = "outcome.new.no_org"
	}
	s.render(w, v, http.StatusOK, "listing_form", p)
	return nil
}

// createOutcome creates a draft outcome; refused input comes back in place.
func (s *Server) createOutcome(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := outcomeForm(r)
	in, err := outcomeInput(f, s.svc.Now())
	var o *market.Outcome
	if err == nil {
		o, err = s.svc.CreateOutcome(r.Context(), v.Actor, f.Value("org_id"), in)
	}
	if takeListing(f, v.Lang, err) {
		orgs, oerr := s.myOrgs(r.Context(), v, listsOutcomes)
		if oerr != nil {
			return oerr
		}
		s.render(w, v, http.StatusUnprocessableEntity, "listing_form", outcomeFormPage(v.Lang, f, orgs, ""))
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/outcomes/"+o.ID+"?done=outcome_created", http.StatusSeeOther)
	return nil
}

// editableOutcome loads an outcome for its owner's edit form.
func (s *Server) editableOutcome(r *http.Request, v *visit) (*market.Outcome, error) {
	o, err := s.svc.Outcome(r.Context(), v.Actor, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !v.Actor.MemberOf(o.OrgID) && !v.Actor.IsAdmin() {
		return nil, market.Errorf(market.EFORBIDDEN, msgs.OnlyOwningOrganisationEditsOutcomes)
	}
	return o, nil
}

// editOutcomeForm shows a draft's form; other states explain why it is locked.
func (s *Server) editOutcomeForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.editableOutcome(r, v)
	if err != nil {
		return err
	}
	p := outcomeFormPage(v.Lang, outcomeValues(o), nil, o.ID)
	if o.Status != market.ListingDraft {
		p.Locked = "listing.edit.locked"
	}
	s.render(w, v, http.StatusOK, "listing_form", p)
	return nil
}

// updateOutcome saves a draft; a stale version is shown as a conflict with
// the typed values kept.
func (s *Server) updateOutcome(w http.ResponseWriter, r *http.Request, v *visit) error {
	o, err := s.editableOutcome(r, v)
	if err != nil {
		return err
	}
	f := outcomeForm(r)
	in, err := outcomeInput(f, s.svc.Now())
	if err == nil {
		_, err = s.svc.UpdateOutcome(r.Context(), v.Actor, o.ID, (&formParser{f: f}).version(), in)
	}
	if takeListing(f, v.Lang, err) || market.ErrorCode(err) == market.ECONFLICT {
		if f.Error == "" {
			f.Error = translate(v.Lang, "listing.edit.conflict")
		}
		p := outcomeFormPage(v.Lang, f, nil, o.ID)
		if o.Status != market.ListingDraft {
			p.Locked = "listing.edit.locked"
		}
		s.render(w, v, refusalStatus(err), "listing_form", p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/outcomes/"+o.ID+"?done=listing_saved", http.StatusSeeOther)
	return nil
}
