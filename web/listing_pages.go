package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"techbridge/market"
)

// orgNames looks up organisation names for a page, each once.
type orgNames struct {
	s     *Server
	ctx   context.Context
	actor market.Actor
	lang  string
	seen  map[string]*market.Organization
}

func (s *Server) orgNames(ctx context.Context, v *visit) *orgNames {
	return &orgNames{s: s, ctx: ctx, actor: v.Actor, lang: v.Lang, seen: map[string]*market.Organization{}}
}

// org returns the organisation, nil when it cannot be loaded.
func (n *orgNames) org(id string) *market.Organization {
	if o, ok := n.seen[id]; ok {
		return o
	}
	o, err := n.s.svc.Organization(n.ctx, n.actor, id)
	if err != nil {
		o = nil
	}
	n.seen[id] = o
	return o
}

// name is the organisation's name in the page language; "" when unknown.
func (n *orgNames) name(id string) string {
	if o := n.org(id); o != nil {
		return o.Name(n.lang)
	}
	return ""
}

// myOrgs loads the visitor's organisations that keep(org) accepts.
func (s *Server) myOrgs(ctx context.Context, v *visit, keep func(*market.Organization) bool) ([]*market.Organization, error) {
	var out []*market.Organization
	for _, m := range v.Actor.Memberships {
		o, err := s.svc.Organization(ctx, v.Actor, m.OrgID)
		if err != nil {
			return nil, err
		}
		if keep == nil || keep(o) {
			out = append(out, o)
		}
	}
	return out, nil
}

// listsOutcomes is who may list outcomes (as CreateOutcome decides):
// universities and institutes, and any verified organisation.
func listsOutcomes(o *market.Organization) bool {
	return o.Supplies() || o.Verification == market.VerificationVerified
}

// postsScenarios is who may post scenarios: enterprises and public bodies.
func postsScenarios(o *market.Organization) bool {
	return o.Kind == market.OrgEnterprise || o.Kind == market.OrgPublicBody
}

// buysOutcomes is who may inquire on an outcome (as OpenDealOnOutcome
// decides): enterprises and public bodies.
func buysOutcomes(o *market.Organization) bool {
	return o.Kind == market.OrgEnterprise || o.Kind == market.OrgPublicBody
}

// openDeals maps the listing ids of the visitor's open deals from source
// (market.DealFromOutcome or DealFromProposal) to the deal's id, so a page
// links to the deal room instead of offering a second deal the service
// would refuse.
func (s *Server) openDeals(ctx context.Context, v *visit, source string) (map[string]string, error) {
	out := map[string]string{}
	if v.Account == nil || len(v.Actor.Memberships) == 0 {
		return out, nil
	}
	deals, err := s.svc.Deals(ctx, v.Actor, market.DealFilter{Role: market.DealRoleBuyer, Limit: market.MaxPageSize})
	if err != nil {
		return nil, err
	}
	for _, d := range deals {
		if d.Deal.Source == source && d.Deal.IsOpen() {
			out[d.Deal.ListingID] = d.Deal.ID
		}
	}
	return out, nil
}

// priceText shows a price or budget range, or "negotiable".
func priceText(lang string, m market.Money) string {
	if m.Negotiable || m.Min == 0 && m.Max == 0 {
		return translate(lang, "listing.negotiable")
	}
	return moneyRange(m.Min, m.Max, m.Currency, lang)
}

// dateText shows a date, "" for none.
func dateText(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// actionButton is one life-cycle action the visitor may take on a listing.
type actionButton struct {
	Action   string
	Label    string
	Reason   bool // asks for a reason (rejections)
	Danger   bool // closes or rejects: drawn apart from the rest
	Reviewer bool // a reviewer's decision
}

// listingButtons are the actions the roles allow on a listing of objectType
// in status, in the order the page shows them; the pure state machine
// decides, so the page offers exactly what the service would accept.
func listingButtons(lang, objectType, status string, roles market.ListingRoles) []actionButton {
	var out []actionButton
	for _, a := range market.ListingActions {
		if _, err := market.NextListingStatus(objectType, status, a, roles, "x"); err != nil {
			continue
		}
		b := actionButton{Action: string(a), Label: translate(lang, "listing.action."+string(a)),
			Reason: a == market.RejectListing, Danger: a == market.RejectListing || a == market.CloseListing,
			Reviewer: a == market.PublishListing || a == market.RejectListing}
		if b.Reviewer && !roles.Reviewer || !b.Reviewer && !roles.Owner {
			continue
		}
		out = append(out, b)
	}
	return out
}

// actPanel is the state and the buttons of a listing's detail page.
type actPanel struct {
	Path     string // where the actions post
	Version  int64
	Status   string
	Reason   string // the last rejection's reason
	Owner    []actionButton
	Review   []actionButton
	Form     *form  // the reason as typed, with its error
	Error    string // a refusal of the whole step
	EditHref string // for drafts
}

// newActPanel builds the panel for one listing.
func newActPanel(lang, objectType, path, status, reason string, version int64, roles market.ListingRoles) *actPanel {
	p := &actPanel{Path: path, Version: version, Status: status, Reason: reason, Form: &form{}}
	for _, b := range listingButtons(lang, objectType, status, roles) {
		if b.Reviewer {
			p.Review = append(p.Review, b)
		} else {
			p.Owner = append(p.Owner, b)
		}
	}
	if roles.Owner && status == market.ListingDraft {
		p.EditHref = path + "/edit"
	}
	return p
}

// actRequest is a posted life-cycle action.
type actRequest struct {
	Form    *form
	Action  market.ListingAction
	Version int64
	Next    string // where to go afterwards
}

// readAct decodes an action form; next is limited to the pages that post
// actions (the detail page itself, the review queue, my listings).
func readAct(r *http.Request, detail string) actRequest {
	f := newForm(r, "action", "version", "reason", "next")
	n, _ := strconv.ParseInt(f.Value("version"), 10, 64)
	next := detail
	if x := f.Value("next"); x == "/review" || x == "/my/listings" {
		next = x
	}
	return actRequest{Form: f, Action: market.ListingAction(f.Value("action")), Version: n, Next: next}
}

// actRefusal explains a refused action on the detail page it came from:
// true when err was such a refusal (bad reason, stale version, a state that
// moved on); other errors go to s.fail.
func actRefusal(lang string, req actRequest, err error, p *actPanel) bool {
	switch market.ErrorCode(err) {
	case market.EINVALID:
		takeListing(req.Form, lang, err)
		p.Form = req.Form
		p.Error = req.Form.Error
		return true
	case market.ECONFLICT:
		p.Error = translate(lang, "listing.act.conflict")
		return true
	}
	return false
}

// myListingsPage is every listing and proposal of the visitor's
// organisations, in every state.
type myListingsPage struct {
	Orgs     []myOrgListings
	Reviewer bool
	Lang     string
	Error    string // a refused step on one of the proposals
}

// myOrgListings is one organisation's part of the page.
type myOrgListings struct {
	Org                 *market.Organization
	Name                string
	ListsOutcomes       bool
	PostsScenarios      bool
	Outcomes            []outcomeRow
	Scenarios           []scenarioRow
	Proposals           []proposalRow
	MoreOutcomes        int // listed beyond this page
	MoreScenarios       int
	OutcomeTotal, Total int
}

// myListingsLimit bounds each list of the page; the browse pages page on.
const myListingsLimit = 100

// myListings shows the visitor's listings by organisation.
func (s *Server) myListings(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.myListingsPage(r.Context(), v)
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "listings", p)
	return nil
}

// myListingsPage loads every list of the page, each proposal with the
// proposer's withdraw button while it may still be withdrawn.
func (s *Server) myListingsPage(ctx context.Context, v *visit) (*myListingsPage, error) {
	orgs, err := s.myOrgs(ctx, v, nil)
	if err != nil {
		return nil, err
	}
	names := s.orgNames(ctx, v)
	now := s.svc.Now()
	p := &myListingsPage{Reviewer: v.Actor.IsReviewer(), Lang: v.Lang}
	titles := map[string]string{}
	for _, o := range orgs {
		ol := myOrgListings{Org: o, Name: o.Name(v.Lang), ListsOutcomes: listsOutcomes(o), PostsScenarios: postsScenarios(o)}
		outs, err := s.svc.Outcomes(ctx, v.Actor, market.OutcomeFilter{OrgID: o.ID, Limit: myListingsLimit})
		if err != nil {
			return nil, err
		}
		for _, x := range outs.Items {
			ol.Outcomes = append(ol.Outcomes, newOutcomeRow(v.Lang, names, x, now))
		}
		ol.MoreOutcomes = moreThanShown(outs)
		scs, err := s.svc.Scenarios(ctx, v.Actor, market.ScenarioFilter{OrgID: o.ID, Limit: myListingsLimit})
		if err != nil {
			return nil, err
		}
		for _, x := range scs.Items {
			ol.Scenarios = append(ol.Scenarios, newScenarioRow(v.Lang, names, x))
		}
		ol.MoreScenarios = moreThanShown(scs)
		props, err := s.svc.Proposals(ctx, v.Actor, market.ProposalFilter{OrgID: o.ID, Limit: myListingsLimit})
		if err != nil {
			return nil, err
		}
		for _, x := range props.Items {
			row := newProposalRow(v.Lang, names, x)
			row.ScenarioTitle = s.scenarioTitle(ctx, v, titles, x.ScenarioID)
			// Only the proposer's own step here; the scenario's owner decides on its proposals page.
			row.Actions = proposalButtons(v.Lang, x, market.Scenario{}, market.ProposalRoles{Proposer: true})
			ol.Proposals = append(ol.Proposals, row)
		}
		p.Orgs = append(p.Orgs, ol)
	}
	return p, nil
}

// scenarioTitle names the scenario a proposal answers; "" when the visitor
// can no longer see it (closed by its owner).
func (s *Server) scenarioTitle(ctx context.Context, v *visit, seen map[string]string, id string) string {
	if t, ok := seen[id]; ok {
		return t
	}
	sc, err := s.svc.Scenario(ctx, v.Actor, id)
	if err == nil {
		seen[id] = sc.Title
	} else {
		seen[id] = ""
	}
	return seen[id]
}

// moreThanShown is how many of a page's matches it does not show: exact when
// the list is counted, at least one when only has_more is known.
func moreThanShown[T any](p market.Page[T]) int {
	if p.Counted {
		return p.Total - len(p.Items)
	}
	if p.HasMore {
		return 1
	}
	return 0
}
