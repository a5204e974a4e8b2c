package web

import (
	"net/http"
	"strconv"
	"strings"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
)

// scenarioRow is a scenario as a list shows it.
type scenarioRow struct {
	ID, Kind, Title, Summary, Org, Field, Budget, Bounty, Deadline, Region, Status string
	MinTRL                                                                         int
}

func newScenarioRow(lang string, names *orgNames, sc market.Scenario) scenarioRow {
	r := scenarioRow{ID: sc.ID, Kind: sc.Kind, Title: sc.Title, Summary: firstRunes(sc.Description, 180),
		Org: names.name(sc.OrgID), Field: fieldName(lang, sc.Field), Budget: priceText(lang, sc.Budget),
		Deadline: dateText(sc.Deadline), Region: sc.Region, Status: sc.Status, MinTRL: sc.MinTRL}
	if sc.Bounty > 0 {
		r.Bounty = money(sc.Bounty, sc.Budget.Currency, lang)
	}
	return r
}

// browseScenarios lists published scenarios, demands and challenge calls
// with filters, a page at a time.
func (s *Server) browseScenarios(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	q := r.URL.Query()
	bf, lo, hi, mlo, mhi, msg := readBrowseFilters(v.Lang, q)
	p := &browsePage{Filters: bf, Fields: fieldOptions(v.Lang), TRLs: strings.Fields("1 2 3 4 5 6 7 8 9"), Error: msg,
		Kinds: keyedOptions(v.Lang, "scenario.kind.", market.ScenarioKinds)}
	if orgs, err := s.myOrgs(ctx, v, postsScenarios); err == nil {
		p.CanCreate = len(orgs) > 0
	}
	if msg != "" {
		s.render(w, v, http.StatusBadRequest, "scenarios", p)
		return nil
	}
	page, err := s.svc.Scenarios(ctx, v.Actor, market.ScenarioFilter{Status: market.ListingPublished, Kind: bf.Kind,
		Field: bf.Field, TRLMin: lo, TRLMax: hi, BudgetMin: mlo, BudgetMax: mhi, Region: bf.Region,
		After: q.Get("after"), Limit: browsePageSize})
	if market.ErrorCode(err) == market.EINVALID {
		p.Error = translate(v.Lang, "listing.browse.bad_filter")
		s.render(w, v, http.StatusBadRequest, "scenarios", p)
		return nil
	} else if err != nil {
		return err
	}
	names := s.orgNames(ctx, v)
	for _, sc := range page.Items {
		p.Scenarios = append(p.Scenarios, newScenarioRow(v.Lang, names, sc))
	}
	p.Total, p.Counted = page.Total, page.Counted
	p.pageLinks("/scenarios", q, page.NextCursor)
	s.render(w, v, http.StatusOK, "scenarios", p)
	return nil
}

// scenarioPage is a scenario's detail page.
type scenarioPage struct {
	S                                     *market.Scenario
	Org                                   *market.Organization
	OrgName, Field, Budget, Bounty        string
	Deadline, Published                   string
	Open                                  bool // takes proposals now
	Owner, Reviewer, CanAnswer, LoggedOut bool
	Act                                   *actPanel
}

// scenarioDetail shows one scenario.
func (s *Server) scenarioDetail(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.scenarioPage(r, v)
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "scenario", p)
	return nil
}

func (s *Server) scenarioPage(r *http.Request, v *visit) (*scenarioPage, error) {
	ctx := r.Context()
	sc, err := s.svc.Scenario(ctx, v.Actor, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	roles := market.ListingRolesOf(v.Actor, sc.OrgID)
	p := &scenarioPage{S: sc, Field: fieldName(v.Lang, sc.Field), Budget: priceText(v.Lang, sc.Budget),
		Deadline: dateText(sc.Deadline), Published: dateText(sc.PublishedAt), Open: sc.Open(s.svc.Now()),
		Owner: roles.Owner, Reviewer: roles.Reviewer, LoggedOut: v.Account == nil}
	if sc.Bounty > 0 {
		p.Bounty = money(sc.Bounty, sc.Budget.Currency, v.Lang)
	}
	if org, err := s.svc.Organization(ctx, v.Actor, sc.OrgID); err == nil {
		p.Org, p.OrgName = org, org.Name(v.Lang)
	}
	p.CanAnswer = p.Open && !roles.Owner && v.Account != nil
	p.Act = newActPanel(v.Lang, market.ScenarioObjectType, "/scenarios/"+sc.ID, sc.Status, sc.RejectReason, sc.Version, roles)
	return p, nil
}

// scenarioAct takes a life-cycle action on a scenario.
func (s *Server) scenarioAct(w http.ResponseWriter, r *http.Request, v *visit) error {
	id := r.PathValue("id")
	req := readAct(r, "/scenarios/"+id)
	_, err := s.svc.TransitionScenario(r.Context(), v.Actor, id, req.Version, req.Action, req.Form.Value("reason"))
	if err != nil {
		p, perr := s.scenarioPage(r, v)
		if perr != nil {
			return perr
		}
		if !actRefusal(v.Lang, req, err, p.Act) {
			return err
		}
		s.render(w, v, refusalStatus(err), "scenario", p)
		return nil
	}
	http.Redirect(w, r, req.Next+"?done=listing_"+string(req.Action), http.StatusSeeOther)
	return nil
}

// scenarioFields are the inputs of the scenario form.
var scenarioFields = []string{"org_id", "version", "kind", "title", "description", "field", "keywords", "ipc", "min_trl",
	"budget_min", "budget_max", "currency", "bounty", "criteria", "deadline", "region"}

// scenarioInput turns the form into a ScenarioInput, like outcomeInput.
func scenarioInput(f *form, now time.Time) (market.ScenarioInput, error) {
	p := &formParser{f: f}
	in := market.ScenarioInput{Kind: f.Value("kind"), Title: f.Value("title"), Description: f.Value("description"),
		Field: f.Value("field"), Keywords: splitList(f.Value("keywords")), IPC: splitList(f.Value("ipc")),
		MinTRL: p.level("min_trl"), Bounty: p.amount("bounty"), Criteria: f.Value("criteria"),
		Deadline: p.date("deadline"), Region: f.Value("region"),
		Budget: market.Money{Min: p.amount("budget_min"), Max: p.amount("budget_max"), Currency: f.Value("currency")}}
	err := p.merge(func(fs *market.Fields) {
		c := in
		c.Normalize(fs)
		c.Validate(fs, now)
	})
	return in, err
}

// scenarioValues fills the form from a stored scenario.
func scenarioValues(sc *market.Scenario) *form {
	f := &form{Values: map[string]string{"org_id": sc.OrgID, "version": strconv.FormatInt(sc.Version, 10),
		"kind": sc.Kind, "title": sc.Title, "description": sc.Description, "field": sc.Field,
		"keywords": joinList(sc.Keywords), "ipc": joinList(sc.IPC), "currency": sc.Budget.Currency,
		"criteria": sc.Criteria, "deadline": dateText(sc.Deadline), "region": sc.Region}, Errors: map[string]string{}}
	if sc.MinTRL > 0 {
		f.Values["min_trl"] = strconv.Itoa(sc.MinTRL)
	}
	if sc.Budget.Min > 0 {
		f.Values["budget_min"] = majorAmount(sc.Budget.Min, sc.Budget.Currency)
	}
	if sc.Budget.Max > 0 {
		f.Values["budget_max"] = majorAmount(sc.Budget.Max, sc.Budget.Currency)
	}
	if sc.Bounty > 0 {
		f.Values["bounty"] = majorAmount(sc.Bounty, sc.Budget.Currency)
	}
	return f
}

// scenarioFormPage lays out the scenario form; orgs is nil when editing.
func scenarioFormPage(lang string, f *form, orgs []*market.Organization, editID string) *listingFormPage {
	c := controls{lang: lang, f: f}
	p := &listingFormPage{TitleKey: "scenario.new.title", LeadKey: "scenario.new.lead", SubmitKey: "scenario.new.submit",
		Action: "/scenarios", Cancel: "/my/listings", Form: f}
	var who []control
	if editID != "" {
		p.TitleKey, p.LeadKey, p.SubmitKey = "scenario.edit.title", "scenario.edit.lead", "scenario.edit.submit"
		p.Action, p.Cancel = "/scenarios/"+editID+"/edit", "/scenarios/"+editID
		p.Hidden = []option{{Value: f.Value("version"), Label: "version"}}
	} else {
		who = append(who, c.pick("org_id", "listing.field.org", "", orgOptions(lang, orgs), true))
	}
	p.Sections = []formSection{
		{Legend: translate(lang, "scenario.section.about"), Controls: append(who,
			c.pick("kind", "scenario.field.kind", "", keyedOptions(lang, "scenario.kind.", market.ScenarioKinds), true),
			c.input("text", "title", "listing.field.title", "", true),
			c.area("description", "listing.field.description", "scenario.field.description_hint", 7, false),
			c.input("text", "keywords", "listing.field.keywords", "listing.field.list_hint", false),
			c.input("text", "region", "scenario.field.region", "scenario.field.region_hint", false),
		)},
		{Legend: translate(lang, "scenario.section.technology"), Controls: []control{
			c.pick("field", "listing.field.field", "scenario.field.field_choose", fieldOptions(lang), true),
			c.input("text", "ipc", "listing.field.ipc", "listing.field.ipc_hint", false),
			c.pick("min_trl", "scenario.field.min_trl", "scenario.field.min_trl_any", trlOptions(lang), false),
		}},
		{Legend: translate(lang, "scenario.section.money"), Controls: []control{
			c.input("text", "budget_min", "scenario.field.budget_min", "listing.field.money_hint", false),
			c.input("text", "budget_max", "scenario.field.budget_max", "", false),
			c.input("text", "currency", "listing.field.currency", "", false),
			c.input("date", "deadline", "scenario.field.deadline", "scenario.field.deadline_hint", false),
		}},
		{Legend: translate(lang, "scenario.section.challenge"), Controls: []control{
			c.input("text", "bounty", "scenario.field.bounty", "scenario.field.bounty_hint", false),
			c.area("criteria", "scenario.field.criteria", "", 3, false),
		}},
	}
	return p
}

// newScenarioForm shows the empty scenario form.
func (s *Server) newScenarioForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	orgs, err := s.myOrgs(r.Context(), v, postsScenarios)
	if err != nil {
		return err
	}
	f := &form{Values: map[string]string{"currency": market.DefaultCurrency, "kind": market.ScenarioDemand}, Errors: map[string]string{}}
	if len(orgs) > 0 {
		f.Values["org_id"] = orgs[0].ID
	}
	p := scenarioFormPage(v.Lang, f, orgs, "")
	if len(orgs) == 0 {
		p.Empty = "scenario.new.no_org"
	}
	s.render(w, v, http.StatusOK, "listing_form", p)
	return nil
}

// createScenario creates a draft scenario; refused input comes back in place.
func (s *Server) createScenario(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := newForm(r, scenarioFields...)
	in, err := scenarioInput(f, s.svc.Now())
	var sc *market.Scenario
	if err == nil {
		sc, err = s.svc.CreateScenario(r.Context(), v.Actor, f.Value("org_id"), in)
	}
	if takeListing(f, v.Lang, err) {
		orgs, oerr := s.myOrgs(r.Context(), v, postsScenarios)
		if oerr != nil {
			return oerr
		}
		s.render(w, v, http.StatusUnprocessableEntity, "listing_form", scenarioFormPage(v.Lang, f, orgs, ""))
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/scenarios/"+sc.ID+"?done=scenario_created", http.StatusSeeOther)
	return nil
}

// editableScenario loads a scenario for its owner's edit form.
func (s *Server) editableScenario(r *http.Request, v *visit) (*market.Scenario, error) {
	sc, err := s.svc.Scenario(r.Context(), v.Actor, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !v.Actor.MemberOf(sc.OrgID) && !v.Actor.IsAdmin() {
		return nil, market.Errorf(market.EFORBIDDEN, msgs.OnlyOwningOrganisationEditsScenarios)
	}
	return sc, nil
}

// editScenarioForm shows a draft scenario's form.
func (s *Server) editScenarioForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	sc, err := s.editableScenario(r, v)
	if err != nil {
		return err
	}
	p := scenarioFormPage(v.Lang, scenarioValues(sc), nil, sc.ID)
	if sc.Status != market.ListingDraft {
		p.Locked = "listing.edit.locked"
	}
	s.render(w, v, http.StatusOK, "listing_form", p)
	return nil
}

// updateScenario saves a draft scenario.
func (s *Server) updateScenario(w http.ResponseWriter, r *http.Request, v *visit) error {
	sc, err := s.editableScenario(r, v)
	if err != nil {
		return err
	}
	f := newForm(r, scenarioFields...)
	in, err := scenarioInput(f, s.svc.Now())
	if err == nil {
		_, err = s.svc.UpdateScenario(r.Context(), v.Actor, sc.ID, (&formParser{f: f}).version(), in)
	}
	if takeListing(f, v.Lang, err) || market.ErrorCode(err) == market.ECONFLICT {
		if f.Error == "" {
			f.Error = translate(v.Lang, "listing.edit.conflict")
		}
		p := scenarioFormPage(v.Lang, f, nil, sc.ID)
		if sc.Status != market.ListingDraft {
			p.Locked = "listing.edit.locked"
		}
		s.render(w, v, refusalStatus(err), "listing_form", p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/scenarios/"+sc.ID+"?done=listing_saved", http.StatusSeeOther)
	return nil
}
