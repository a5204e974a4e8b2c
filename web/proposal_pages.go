package web

import (
	"net/http"
	"strconv"
	"techbridge/market/msgs"

	"techbridge/market"
)

// proposalRow is a proposal as a list shows it, with the actions the
// visitor may take on it.
type proposalRow struct {
	ID, ScenarioID, OutcomeID, Org, Title, Summary, Price, Status, Reason, Created string
	ScenarioTitle                                                                  string // on the proposer's list
	Version                                                                        int64
	Actions                                                                        []actionButton
	CanOpenDeal                                                                    bool   // awarded, and the visitor owns the scenario
	DealHref                                                                       string // the open deal on it, if any
	DealForm                                                                       *form  // the deal's first message as typed, with its error
}

func newProposalRow(lang string, names *orgNames, p market.Proposal) proposalRow {
	return proposalRow{ID: p.ID, ScenarioID: p.ScenarioID, OutcomeID: p.OutcomeID, Org: names.name(p.OrgID),
		Title: p.Title, Summary: p.Summary, Price: priceText(lang, p.Price), Status: p.Status, Reason: p.Reason,
		Created: dateText(&p.CreatedAt), Version: p.Version}
}

// proposalButtons are the decisions the roles allow on p, by the pure
// state machine.
func proposalButtons(lang string, p market.Proposal, sc market.Scenario, roles market.ProposalRoles) []actionButton {
	var out []actionButton
	for _, a := range []market.ProposalAction{market.ShortlistProposal, market.AwardProposal, market.RejectProposal, market.WithdrawProposal} {
		if _, err := market.NextProposalStatus(p, sc, a, roles); err != nil {
			continue
		}
		out = append(out, actionButton{Action: string(a), Label: translate(lang, "proposal.action."+string(a)),
			Reason: a != market.WithdrawProposal, Danger: a == market.RejectProposal || a == market.WithdrawProposal})
	}
	return out
}

// answerFields are the inputs of the proposal form.
var answerFields = []string{"org_id", "outcome_id", "title", "summary", "price_min", "price_max", "currency"}

// answerOrgs are the visitor's organisations that may answer sc: any but its owner.
func (s *Server) answerOrgs(r *http.Request, v *visit, sc *market.Scenario) ([]*market.Organization, error) {
	return s.myOrgs(r.Context(), v, func(o *market.Organization) bool { return o.ID != sc.OrgID })
}

// answerFormPage lays out the proposal form: one of the visitor's
// published outcomes, or a free proposal.
func (s *Server) answerFormPage(r *http.Request, v *visit, sc *market.Scenario, f *form) (*listingFormPage, error) {
	orgs, err := s.answerOrgs(r, v, sc)
	if err != nil {
		return nil, err
	}
	var outcomes []option
	for _, o := range orgs {
		page, err := s.svc.Outcomes(r.Context(), v.Actor, market.OutcomeFilter{OrgID: o.ID, Status: market.ListingPublished, Limit: market.MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, x := range page.Items {
			outcomes = append(outcomes, option{Value: x.ID, Label: x.Title + " · " + o.Name(v.Lang)})
		}
	}
	if f.Value("org_id") == "" && len(orgs) > 0 {
		f.Values["org_id"] = orgs[0].ID
	}
	c := controls{lang: v.Lang, f: f}
	p := &listingFormPage{TitleKey: "proposal.new.title", LeadKey: "proposal.new.lead", SubmitKey: "proposal.new.submit",
		Action: "/scenarios/" + sc.ID + "/propose", Cancel: "/scenarios/" + sc.ID, Form: f,
		Context: &formContext{Heading: translate(v.Lang, "scenario.kind."+sc.Kind), Title: sc.Title,
			Href: "/scenarios/" + sc.ID, Text: firstRunes(sc.Description, 240)}}
	p.Sections = []formSection{
		{Legend: translate(v.Lang, "proposal.section.who"), Controls: []control{
			c.pick("org_id", "proposal.field.org", "", orgOptions(v.Lang, orgs), true),
			c.pick("outcome_id", "proposal.field.outcome", "proposal.field.free", outcomes, false),
		}},
		{Legend: translate(v.Lang, "proposal.section.what"), Controls: []control{
			c.input("text", "title", "listing.field.title", "proposal.field.title_hint", false),
			c.area("summary", "proposal.field.summary", "proposal.field.summary_hint", 5, false),
			c.input("text", "price_min", "proposal.field.price_min", "listing.field.money_hint", false),
			c.input("text", "price_max", "proposal.field.price_max", "", false),
			c.input("text", "currency", "listing.field.currency", "", false),
		}},
	}
	switch {
	case len(orgs) == 0:
		p.Empty = "proposal.new.no_org"
	case !sc.Open(s.svc.Now()):
		p.Locked = "proposal.new.closed"
	}
	return p, nil
}

// answerForm shows the form to answer a scenario.
func (s *Server) answerForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	sc, err := s.svc.Scenario(r.Context(), v.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	f := &form{Values: map[string]string{"currency": sc.Budget.Currency}, Errors: map[string]string{}}
	p, err := s.answerFormPage(r, v, sc, f)
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "listing_form", p)
	return nil
}

// submitAnswer submits a proposal; refused input comes back in place.
func (s *Server) submitAnswer(w http.ResponseWriter, r *http.Request, v *visit) error {
	sc, err := s.svc.Scenario(r.Context(), v.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	f := newForm(r, answerFields...)
	pp := &formParser{f: f}
	in := market.ProposalInput{OutcomeID: f.Value("outcome_id"), Title: f.Value("title"), Summary: f.Value("summary"),
		Price: market.Money{Min: pp.amount("price_min"), Max: pp.amount("price_max"), Currency: f.Value("currency")}}
	err = pp.merge(func(fs *market.Fields) {
		c := in
		c.Normalize()
		c.Validate(fs)
	})
	if err == nil {
		_, err = s.svc.SubmitProposal(r.Context(), v.Actor, sc.ID, f.Value("org_id"), in)
	}
	refused := takeListing(f, v.Lang, err)
	if !refused && (market.ErrorCode(err) == market.ECONFLICT || market.ErrorCode(err) == market.EFORBIDDEN) {
		f.Error, refused = translate(v.Lang, "proposal.new.refused"), true
	}
	if refused {
		p, perr := s.answerFormPage(r, v, sc, f)
		if perr != nil {
			return perr
		}
		s.render(w, v, refusalStatus(err), "listing_form", p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/scenarios/"+sc.ID+"?done=proposal_submitted", http.StatusSeeOther)
	return nil
}

// proposalsPage is a scenario's proposals for its owner (and reviewers).
type proposalsPage struct {
	S         *market.Scenario
	Proposals []proposalRow
	Total     int
	NextHref  string
	Error     string
}

// scenarioProposals lists a scenario's proposals with the owner's decisions.
func (s *Server) scenarioProposals(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.proposalsPage(r, v)
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "proposals", p)
	return nil
}

func (s *Server) proposalsPage(r *http.Request, v *visit) (*proposalsPage, error) {
	ctx := r.Context()
	sc, err := s.svc.Scenario(ctx, v.Actor, r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !v.Actor.MemberOf(sc.OrgID) && !v.Actor.IsReviewer() {
		return nil, market.Errorf(market.EFORBIDDEN, msgs.OnlyScenarioSOwnerSeesProposals)
	}
	after := r.URL.Query().Get("after")
	page, err := s.svc.Proposals(ctx, v.Actor, market.ProposalFilter{ScenarioID: sc.ID, After: after, Limit: browsePageSize})
	if err != nil {
		return nil, err
	}
	names := s.orgNames(ctx, v)
	roles := market.ProposalRoles{ScenarioOwner: v.Actor.MemberOf(sc.OrgID)}
	deals, err := s.openDeals(ctx, v, market.DealFromProposal)
	if err != nil {
		return nil, err
	}
	p := &proposalsPage{S: sc, Total: page.Total}
	for _, x := range page.Items {
		row := newProposalRow(v.Lang, names, x)
		row.Actions = proposalButtons(v.Lang, x, *sc, market.ProposalRoles{ScenarioOwner: roles.ScenarioOwner, Proposer: v.Actor.MemberOf(x.OrgID)})
		if roles.ScenarioOwner && x.Status == market.ProposalAwarded {
			if id, ok := deals[x.ID]; ok {
				row.DealHref = "/deals/" + id
			} else {
				row.CanOpenDeal, row.DealForm = true, &form{}
			}
		}
		p.Proposals = append(p.Proposals, row)
	}
	if page.NextCursor != "" {
		p.NextHref = "/scenarios/" + sc.ID + "/proposals?after=" + page.NextCursor
	}
	return p, nil
}

// proposalAct shortlists, rejects or awards a proposal (the scenario's
// owner) or withdraws it (the proposer), then returns to where it was asked.
func (s *Server) proposalAct(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	f := newForm(r, "action", "version", "reason", "next")
	prop, err := s.svc.Proposal(ctx, v.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	version, _ := strconv.ParseInt(f.Value("version"), 10, 64)
	next := "/scenarios/" + prop.ScenarioID + "/proposals"
	if f.Value("next") == "/my/listings" {
		next = "/my/listings"
	}
	_, err = s.svc.TransitionProposal(ctx, v.Actor, prop.ID, version, market.ProposalAction(f.Value("action")), f.Value("reason"))
	switch market.ErrorCode(err) {
	case "":
		http.Redirect(w, r, next+"?done=proposal_"+f.Value("action"), http.StatusSeeOther)
		return nil
	case market.EINVALID, market.ECONFLICT:
		if next == "/my/listings" {
			p, perr := s.myListingsPage(ctx, v)
			if perr != nil {
				return perr
			}
			p.Error = translate(v.Lang, "listing.act.conflict")
			s.render(w, v, refusalStatus(err), "listings", p)
			return nil
		}
		r.SetPathValue("id", prop.ScenarioID)
		p, perr := s.proposalsPage(r, v)
		if perr != nil {
			return perr
		}
		p.Error = translate(v.Lang, "listing.act.conflict")
		if market.ErrorCode(err) == market.EINVALID {
			takeListing(f, v.Lang, err)
			p.Error = f.Error
			if m := f.Err("reason"); m != "" {
				p.Error = translate(v.Lang, "listing.field.reason") + ": " + m
			}
		}
		s.render(w, v, refusalStatus(err), "proposals", p)
		return nil
	}
	return err
}

// openProposalDeal opens a deal by the scenario's owner on an awarded
// proposal, with a first message to the proposer, and goes to its room;
// a refusal comes back on the proposals page with the message kept.
func (s *Server) openProposalDeal(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	prop, err := s.svc.Proposal(ctx, v.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	f := newForm(r, "message")
	d, err := s.svc.OpenDealOnProposal(ctx, v.Actor, prop.ID, f.Value("message"))
	if err == nil {
		http.Redirect(w, r, "/deals/"+d.Deal.ID+"?done=deal_opened", http.StatusSeeOther)
		return nil
	}
	code := market.ErrorCode(err)
	if !f.take(v.Lang, err) && code != market.ECONFLICT && code != market.EFORBIDDEN {
		return err
	}
	r.SetPathValue("id", prop.ScenarioID)
	p, perr := s.proposalsPage(r, v)
	if perr != nil {
		return perr
	}
	p.Error = f.Error
	if p.Error == "" || code != market.EINVALID {
		p.Error = translate(v.Lang, "deal.refused") + " " + refusal(v.Lang, err)
	}
	for i := range p.Proposals {
		if p.Proposals[i].ID == prop.ID && p.Proposals[i].DealForm != nil {
			p.Proposals[i].DealForm = f
		}
	}
	status := http.StatusUnprocessableEntity
	if code == market.EFORBIDDEN {
		status = http.StatusForbidden
	} else if code == market.ECONFLICT {
		status = http.StatusConflict
	}
	s.render(w, v, status, "proposals", p)
	return nil
}
