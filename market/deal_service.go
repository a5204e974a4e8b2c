package market

import (
	"context"
	"strings"
	"techbridge/market/msgs"
)

// MaxDealMessages caps the thread a deal view carries.
const MaxDealMessages = 500

// DealView is a deal as one actor sees it, with what a page needs to show
// it: the viewer's role, the subject, the organisations and the thread.
type DealView struct {
	Deal         Deal
	As           DealActor // the viewer: role, acting organisation, signatory right
	Subject      string    // the outcome's or proposal's title
	Buyer        *Organization
	Seller       *Organization
	Intermediary *Organization // nil without an intermediary
	Messages     []DealMessage // nil in lists
	// ConfidentialVisible reports whether the viewer may read the listing's
	// confidential details (see Deal.ConfidentialVisibleTo).
	ConfidentialVisible bool
}

// dealActorOf returns the role account a plays in d: for the organisation
// the request acts for when that is a party, else the first of buyer,
// seller and intermediary whose organisation a belongs to, else admin or
// other (Deal.ActorFor). An account in one party only (the usual case) has
// one answer; one in several parties names its side with X-Organization.
func dealActorOf(d Deal, a Actor) DealActor {
	if a.ActingOrg != "" && d.RoleOf(a.ActingOrg) != DealRoleOther {
		return d.ActorFor(a, a.ActingOrg)
	}
	orgs := []string{d.BuyerOrgID, d.SellerOrgID}
	if d.Intermediary != nil {
		orgs = append(orgs, d.Intermediary.OrgID)
	}
	for _, org := range orgs {
		if a.MemberOf(org) {
			return d.ActorFor(a, org)
		}
	}
	return d.ActorFor(a, "")
}

// visibleDeal loads a deal the actor may see; ENOTFOUND for everyone else,
// so a deal's existence does not leak.
func visibleDeal(tx Tx, actor Actor, id string) (*Deal, DealActor, error) {
	if actor.Anonymous() {
		return nil, DealActor{}, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	d, err := tx.DealByID(id)
	if err != nil {
		return nil, DealActor{}, err
	}
	da := dealActorOf(*d, actor)
	if !d.VisibleTo(da) {
		return nil, DealActor{}, Errorf(ENOTFOUND, msgs.DealXNotFound, id)
	}
	return d, da, nil
}

// dealView fills a view of d for da; withThread loads the messages.
func dealView(tx Tx, d Deal, da DealActor, withThread bool) (*DealView, error) {
	v := &DealView{Deal: d, As: da, ConfidentialVisible: d.ConfidentialVisibleTo(da)}
	var err error
	if v.Subject, err = dealSubject(tx, d); err != nil {
		return nil, err
	}
	if v.Buyer, err = tx.OrganizationByID(d.BuyerOrgID); err != nil {
		return nil, err
	}
	if v.Seller, err = tx.OrganizationByID(d.SellerOrgID); err != nil {
		return nil, err
	}
	if d.Intermediary != nil {
		if v.Intermediary, err = tx.OrganizationByID(d.Intermediary.OrgID); err != nil {
			return nil, err
		}
	}
	for _, o := range []*Organization{v.Buyer, v.Seller, v.Intermediary} {
		if o != nil {
			o.PayoutRef = "" // a deal page is no place for payout details
		}
	}
	if withThread {
		if v.Messages, err = tx.DealMessages(d.ID, MaxDealMessages); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// dealSubject is the title of what the deal is about.
func dealSubject(tx Tx, d Deal) (string, error) {
	if d.Source == DealFromProposal {
		p, err := tx.ProposalByID(d.ListingID)
		if err != nil {
			return "", err
		}
		return p.Title, nil
	}
	o, err := tx.OutcomeByID(d.ListingID)
	if err != nil {
		return "", err
	}
	return o.Title, nil
}

// buyerOrgFor picks the organisation the actor buys for: orgID when given
// (the actor must belong to it), else the organisation the request acts
// for, else the actor's only organisation; never a guess among several.
func buyerOrgFor(tx Tx, actor Actor, orgID string) (*Organization, error) {
	orgID = actor.ChosenOrg(strings.TrimSpace(orgID))
	if orgID == "" {
		return nil, Invalid("org_id", msgs.RequiredNameOrganisationYouActFor)
	}
	if !actor.MemberOf(orgID) {
		return nil, Errorf(EFORBIDDEN, msgs.YouActOnlyForYourOwn)
	}
	return tx.OrganizationByID(orgID)
}

// OpenDealOnOutcome opens an inquiry by the buyer organisation orgID ("" =
// the actor's only one) on a published outcome, with a first message. A
// confidential outcome carries its owner's current NDA into the deal.
func (s *Service) OpenDealOnOutcome(ctx context.Context, actor Actor, orgID, outcomeID, message string) (*DealView, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	now := s.now()
	var v *DealView
	err := s.Store.Update(ctx, func(tx Tx) error {
		buyer, err := buyerOrgFor(tx, actor, orgID)
		if err != nil {
			return err
		}
		if err := requireVerified(tx, actor, buyer.ID); err != nil {
			return err
		}
		o, err := tx.OutcomeByID(outcomeID)
		if err != nil {
			return err
		}
		in := OutcomeInquiry{OutcomeID: o.ID, SellerOrgID: o.OrgID, Published: o.Status == ListingPublished,
			Confidential: o.Confidential(), BuyerKind: buyer.Kind, Message: message}
		if in.Confidential {
			nda, err := tx.CurrentNDA(o.OrgID)
			if err != nil && !isNotFound(err) {
				return err
			}
			in.NDA = nda
		}
		d, evs, err := OpenOutcomeDeal(in, DealActor{OrgID: buyer.ID, AccountID: actor.AccountID}, now)
		if err != nil {
			return err
		}
		v, err = s.createDeal(tx, actor, d, evs, message)
		return err
	})
	return v, err
}

// OpenDealOnProposal opens a deal by the scenario's owner on an awarded
// proposal; the proposer answers it like an inquiry.
func (s *Service) OpenDealOnProposal(ctx context.Context, actor Actor, proposalID, message string) (*DealView, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	now := s.now()
	var v *DealView
	err := s.Store.Update(ctx, func(tx Tx) error {
		p, sc, err := proposalFor(tx, actor, proposalID)
		if err != nil {
			return err
		}
		owner := DealActor{AccountID: actor.AccountID}
		if actor.MemberOf(sc.OrgID) {
			owner.OrgID = sc.OrgID
		}
		d, evs, err := OpenProposalDeal(ProposalAward{ScenarioID: sc.ID, ScenarioOwnerOrgID: sc.OrgID, ProposalID: p.ID,
			ProposerOrgID: p.OrgID, Awarded: p.Status == ProposalAwarded, Message: message}, owner, now)
		if err != nil {
			return err
		}
		if err := requireVerified(tx, actor, sc.OrgID); err != nil {
			return err
		}
		v, err = s.createDeal(tx, actor, d, evs, message)
		return err
	})
	return v, err
}

// createDeal stores a just-opened deal with its first message, events and
// the notice to the answering side.
func (s *Service) createDeal(tx Tx, actor Actor, d Deal, evs []Event, message string) (*DealView, error) {
	if err := tx.CreateDeal(&d); err != nil {
		return nil, err
	}
	da := d.ActorFor(actor, d.BuyerOrgID)
	if err := tx.AddDealMessage(&DealMessage{ID: NewID(), DealID: d.ID, AuthorOrgID: d.BuyerOrgID, AuthorRole: DealRoleBuyer,
		AuthorAccountID: actor.AccountID, Body: strings.TrimSpace(message), CreatedAt: d.CreatedAt}); err != nil {
		return nil, err
	}
	for i := range evs {
		if err := tx.AppendEvent(&evs[i]); err != nil {
			return nil, err
		}
	}
	v, err := dealView(tx, d, da, true)
	if err != nil {
		return nil, err
	}
	return v, s.notifyDeal(tx, d, d, da, evs, v.Subject)
}

// Deal returns a deal with its thread to a party, its intermediary or an
// admin; ENOTFOUND for everyone else.
func (s *Service) Deal(ctx context.Context, actor Actor, id string) (*DealView, error) {
	var v *DealView
	err := s.Store.View(ctx, func(tx Tx) error {
		d, da, err := visibleDeal(tx, actor, id)
		if err != nil {
			return err
		}
		v, err = dealView(tx, *d, da, true)
		return err
	})
	return v, err
}

// Deals lists the deals of the actor's organisations, newest first; f.Role
// and f.State narrow it. Admins with f.OrgIDs nil list every deal; anyone
// else gets only deals of organisations they belong to.
func (s *Service) Deals(ctx context.Context, actor Actor, f DealFilter) ([]DealView, error) {
	if actor.Anonymous() && !actor.IsAdmin() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	var fe Fields
	if f.Role != "" && f.Role != DealRoleBuyer && f.Role != DealRoleSeller && f.Role != DealRoleIntermediary {
		fe.Add("role", msgs.BuyerSellerOrIntermediary)
	}
	if f.State != "" && !oneOf(f.State, dealStates) {
		fe.Add("state", msgs.UnknownDealStateX, f.State)
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	switch {
	case f.OrgIDs == nil && actor.IsAdmin():
	case f.OrgIDs == nil:
		f.OrgIDs = actor.OrgIDs()
	default:
		for _, id := range f.OrgIDs {
			if !actor.MemberOf(id) && !actor.IsAdmin() {
				return nil, Errorf(EFORBIDDEN, msgs.YouSeeOnlyYourOwnOrganisations)
			}
		}
	}
	if f.OrgIDs != nil && len(f.OrgIDs) == 0 {
		return []DealView{}, nil
	}
	f.Limit = ClampLimit(f.Limit)
	var out []DealView
	err := s.Store.View(ctx, func(tx Tx) error {
		ds, err := tx.ListDeals(f)
		if err != nil {
			return err
		}
		out = make([]DealView, 0, len(ds))
		for _, d := range ds {
			v, err := dealView(tx, d, dealActorOf(d, actor), false)
			if err != nil {
				return err
			}
			out = append(out, *v)
		}
		return nil
	})
	return out, err
}

// dealStates lists every deal state, for filters.
var dealStates = []string{DealInquiry, DealNDA, DealNegotiation, DealContractDrafted, DealSigned, DealDeclined,
	DealCancelled, DealExpired, DealInProgress, DealCompleted, DealDisputed}
