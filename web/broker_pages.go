package web

import (
	"net/http"
	"techbridge/market/msgs"

	"techbridge/market"
)

// profileListings is how many published listings a profile shows of each kind.
const profileListings = 20

// brokersPage is the broker directory: verified intermediaries with their
// public track records.
type brokersPage struct {
	Brokers []market.Broker
	Lang    string
}

// brokers shows the broker directory.
func (s *Server) brokers(w http.ResponseWriter, r *http.Request, v *visit) error {
	bs, err := s.svc.Brokers(r.Context(), v.Actor, "", market.MaxPageSize)
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "brokers", &brokersPage{Brokers: bs, Lang: v.Lang})
	return nil
}

// orgProfilePage is an organisation's public profile: who it is, its
// published listings and its track record (counts only).
type orgProfilePage struct {
	Org          *market.Organization
	Track        *market.TrackRecord
	Outcomes     []market.Outcome
	Scenarios    []market.Scenario
	MoreOutcomes bool
	MoreScenario bool
	HasNDA       bool
	Lang         string
}

// Name is the organisation's name in the page language; Other its name in
// the other language, when it has one.
func (p *orgProfilePage) Name() string { return p.Org.Name(p.Lang) }

// Other is the organisation's name in the other language, "" when none or
// the same.
func (p *orgProfilePage) Other() string {
	other := map[string]string{langEN: "zh", langZH: "en"}[p.Lang]
	if n := p.Org.Name(other); n != p.Name() {
		return n
	}
	return ""
}

// orgProfile shows a public organisation profile; a broker's says what it
// brokered. Unverified organisations have none (404), like in the API list.
func (s *Server) orgProfile(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	org, err := s.svc.Organization(ctx, v.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	if org.Verification != market.VerificationVerified && !v.Actor.MemberOf(org.ID) && !v.Actor.IsAdmin() {
		return market.Errorf(market.ENOTFOUND, msgs.OrganisationNotFound)
	}
	p := &orgProfilePage{Org: org, Lang: v.Lang}
	if p.Track, err = s.svc.TrackRecord(ctx, org.ID); err != nil {
		return err
	}
	outs, err := s.svc.Outcomes(ctx, market.Actor{}, market.OutcomeFilter{OrgID: org.ID, Status: market.ListingPublished, Limit: profileListings})
	if err != nil {
		return err
	}
	p.Outcomes, p.MoreOutcomes = outs.Items, outs.HasMore
	scs, err := s.svc.Scenarios(ctx, market.Actor{}, market.ScenarioFilter{OrgID: org.ID, Status: market.ListingPublished, Limit: profileListings})
	if err != nil {
		return err
	}
	p.Scenarios, p.MoreScenario = scs.Items, scs.HasMore
	if _, err := s.svc.CurrentNDA(ctx, org.ID); err == nil {
		p.HasNDA = true
	} else if market.ErrorCode(err) != market.ENOTFOUND {
		return err
	}
	s.render(w, v, http.StatusOK, "org_profile", p)
	return nil
}

// joinPage is a broker's request to join a deal it was sent the link of.
// It shows nothing about the deal: the broker learns of it only when both
// parties take it on.
type joinPage struct {
	DealID string
	Orgs   []*market.Organization // the visitor's intermediary organisations
	Form   *form
	Sent   bool
}

// FeeForm is the request form, for the shared fee fields.
func (p *joinPage) FeeForm() *form { return p.Form }

// joinForm asks a broker for the fee it proposes.
func (s *Server) joinForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.joinPage(r, v, &form{Values: map[string]string{"fee_payer": market.FeePayerSplit}, Errors: map[string]string{}})
	if err != nil {
		return err
	}
	p.Sent = r.URL.Query().Get("done") == "deal_join"
	s.render(w, v, http.StatusOK, "deal_join", p)
	return nil
}

func (s *Server) joinPage(r *http.Request, v *visit, f *form) (*joinPage, error) {
	orgs, err := s.myOrgs(r.Context(), v, func(o *market.Organization) bool { return o.Kind == market.OrgIntermediary })
	if err != nil {
		return nil, err
	}
	if len(orgs) == 1 {
		f.Values["org_id"] = orgs[0].ID
	}
	return &joinPage{DealID: r.PathValue("id"), Orgs: orgs, Form: f}, nil
}

// join sends the broker's request; refused input comes back in place.
func (s *Server) join(w http.ResponseWriter, r *http.Request, v *visit) error {
	id := r.PathValue("id")
	f := newForm(r, feeFields...)
	fee, err := feeTerms(f)
	if err == nil {
		err = s.svc.AskToBroker(r.Context(), v.Actor, id, market.JoinRequest{OrgID: f.Value("org_id"), Fee: fee})
	}
	if err == nil {
		http.Redirect(w, r, "/deals/"+id+"/join?done=deal_join", http.StatusSeeOther)
		return nil
	}
	if err := takeRefusal(v.Lang, f, err); err != nil {
		return err
	}
	p, perr := s.joinPage(r, v, f)
	if perr != nil {
		return perr
	}
	s.render(w, v, http.StatusUnprocessableEntity, "deal_join", p)
	return nil
}
