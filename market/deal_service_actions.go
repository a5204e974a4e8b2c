package market

import (
	"context"
	"encoding/json"
	"techbridge/market/msgs"
)

// ActOnDeal takes one action on a deal for the actor, in the role the actor
// plays in it, and stores the outcome with optimistic concurrency: of two
// concurrent actions on one deal exactly one wins, the other gets ECONFLICT.
// The step's events are appended and the other participants notified in the
// same transaction; the signature that completes a contract also creates
// its milestones there.
func (s *Service) ActOnDeal(ctx context.Context, actor Actor, id string, act DealAction) (*DealView, error) {
	return s.ActOnDealAt(ctx, actor, id, 0, act)
}

// ActOnDealAt is ActOnDeal on the deal as the caller read it: a version
// other than the stored one is a StaleVersion conflict (0 = any version).
func (s *Service) ActOnDealAt(ctx context.Context, actor Actor, id string, version int64, act DealAction) (*DealView, error) {
	now := s.now()
	var v *DealView
	err := s.Store.Update(ctx, func(tx Tx) error {
		d, da, err := visibleDeal(tx, actor, id)
		if err != nil {
			return err
		}
		if version != 0 && version != d.Version {
			return StaleVersion(msgs.DealAtVersionNNotN, d.Version, version)
		}
		if commits(act) && da.Role != DealRoleAdmin && da.Role != DealRoleOther {
			if err := requireVerified(tx, actor, da.OrgID); err != nil {
				return err
			}
		}
		if err := s.checkIdle(*d, now); err != nil {
			return err
		}
		switch a := act.(type) {
		case AcceptOffer:
			if a.Contract, err = contractInput(tx, *d); err != nil {
				return err
			}
			a.PlatformBPS = s.Payments.PlatformBPS
			act = a
		case ProposeOffer:
			a.PlatformBPS = s.Payments.PlatformBPS
			if err := registrationDefaults(tx, *d, &a.Terms); err != nil {
				return err
			}
			act = a
		case SignContract:
			a.PlatformBPS = s.Payments.PlatformBPS
			act = a
		}
		n, evs, err := ApplyDeal(*d, da, act, now)
		if err != nil {
			return err
		}
		if err := checkActionInput(tx, n, act); err != nil {
			return err
		}
		if err := checkRegistrable(tx, n, da, act); err != nil {
			return err
		}
		if err := tx.UpdateDeal(&n); err != nil {
			return err
		}
		if _, ok := act.(PostMessage); ok {
			if err := tx.AddDealMessage(&DealMessage{ID: NewID(), DealID: n.ID, AuthorOrgID: da.OrgID, AuthorRole: da.Role,
				AuthorAccountID: da.AccountID, Body: messageBody(evs), CreatedAt: now}); err != nil {
				return err
			}
		}
		if n.State == DealSigned && d.State != DealSigned {
			if err := createMilestones(tx, n); err != nil {
				return err
			}
		}
		for i := range evs {
			if err := tx.AppendEvent(&evs[i]); err != nil {
				return err
			}
		}
		if v, err = dealView(tx, n, dealActorOf(n, actor), true); err != nil {
			return err
		}
		return s.notifyDeal(tx, *d, n, da, evs, v.Subject)
	})
	return v, err
}

// commits reports whether a deal action binds the acting organisation
// (an NDA, a signature), which only verified accounts and organisations may.
func commits(act DealAction) bool {
	switch act.(type) {
	case AcceptNDA, SignContract:
		return true
	}
	return false
}

// messageBody is the trimmed body the domain recorded on the message event.
func messageBody(evs []Event) string {
	for _, e := range evs {
		if e.Type == EventDealMessagePosted {
			var p struct {
				Body string `json:"body"`
			}
			if json.Unmarshal(e.Payload, &p) == nil {
				return p.Body
			}
		}
	}
	return ""
}

// checkActionInput checks what only the store can: an invited intermediary
// must be an intermediary organisation. It runs after ApplyDeal so the
// error order stays stranger, role, state, input.
func checkActionInput(tx Tx, n Deal, act DealAction) error {
	inv, ok := act.(InviteIntermediary)
	if !ok {
		return nil
	}
	o, err := tx.OrganizationByID(n.Intermediary.OrgID)
	if isNotFound(err) {
		return Invalid("org_id", msgs.NoSuchOrganisation)
	} else if err != nil {
		return err
	}
	if o.Kind != OrgIntermediary {
		return Invalid("org_id", msgs.OrganisationXNotIntermediary, inv.OrgID)
	}
	return nil
}

// contractInput loads what drafting needs: the subject and the parties'
// registered details at this moment.
func contractInput(tx Tx, d Deal) (ContractInput, error) {
	var in ContractInput
	var err error
	if in.Subject, err = dealSubject(tx, d); err != nil {
		return in, err
	}
	party := func(orgID string) (ContractParty, error) {
		o, err := tx.OrganizationByID(orgID)
		if err != nil {
			return ContractParty{}, err
		}
		return ContractParty{OrgID: o.ID, NameZH: o.NameZH, NameEN: o.NameEN, CreditCode: o.CreditCode, Region: o.Region}, nil
	}
	if in.Buyer, err = party(d.BuyerOrgID); err != nil {
		return in, err
	}
	if in.Seller, err = party(d.SellerOrgID); err != nil {
		return in, err
	}
	if d.Intermediary != nil && d.Intermediary.Active() {
		p, err := party(d.Intermediary.OrgID)
		if err != nil {
			return in, err
		}
		in.Intermediary = &p
	}
	return in, nil
}

// createMilestones stores the milestones of a deal that just became signed.
func createMilestones(tx Tx, d Deal) error {
	ms, err := MilestonesForContract(*d.Contract, d.SignedAt)
	if err != nil {
		return err
	}
	for i := range ms {
		if err := tx.CreateMilestone(&ms[i]); err != nil {
			return err
		}
	}
	return nil
}

// DealMilestones returns a deal's milestones to whoever may see the deal.
func (s *Service) DealMilestones(ctx context.Context, actor Actor, id string) ([]Milestone, error) {
	var out []Milestone
	err := s.Store.View(ctx, func(tx Tx) error {
		d, _, err := visibleDeal(tx, actor, id)
		if err != nil {
			return err
		}
		out, err = tx.DealMilestones(d.ID)
		return err
	})
	return out, err
}

// DealListing is what a deal is about, as the viewer may read it.
type DealListing struct {
	Outcome  *Outcome  // for outcome deals: in full, or its teaser (Full false)
	Proposal *Proposal // for proposal deals
	Scenario *Scenario // the scenario a proposal answers
	Full     bool      // whether confidential details are included
}

// DealListing returns the deal's outcome with its confidential details when
// the viewer may read them: the seller and admins, and the buyer once it
// accepted the deal's NDA; the intermediary and a buyer before the NDA get
// the public teaser.
func (s *Service) DealListing(ctx context.Context, actor Actor, id string) (*DealListing, error) {
	var out DealListing
	err := s.Store.View(ctx, func(tx Tx) error {
		d, da, err := visibleDeal(tx, actor, id)
		if err != nil {
			return err
		}
		if d.Source == DealFromProposal {
			if out.Proposal, err = tx.ProposalByID(d.ListingID); err != nil {
				return err
			}
			out.Scenario, err = tx.ScenarioByID(d.ScenarioID)
			out.Full = true
			return err
		}
		o, err := tx.OutcomeByID(d.ListingID)
		if err != nil {
			return err
		}
		out.Full = !o.Confidential() || d.ConfidentialVisibleTo(da)
		if !out.Full {
			*o = o.Teaser()
		}
		out.Outcome = o
		return nil
	})
	return &out, err
}

// IntermediaryDeal is a deal an intermediary is named in, with its fee.
type IntermediaryDeal struct {
	DealView
	// FeeEstimate is the fee over the contract value, or over the latest
	// offer's price before a contract; 0 before any price was named.
	FeeEstimate int64
	Currency    string
	FeeFinal    bool // the contract is signed, so the value is fixed
}

// IntermediaryDeals lists the deals the intermediary organisation orgID is
// named in, with the agreed fee, for its members and admins.
func (s *Service) IntermediaryDeals(ctx context.Context, actor Actor, orgID string, limit int) ([]IntermediaryDeal, error) {
	if !actor.MemberOf(orgID) && !actor.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyMembersIntermediarySeeDeals)
	}
	views, err := s.Deals(ctx, actor, DealFilter{OrgIDs: []string{orgID}, Role: DealRoleIntermediary, Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]IntermediaryDeal, 0, len(views))
	for _, v := range views {
		it := IntermediaryDeal{DealView: v}
		d := v.Deal
		var terms *OfferTerms
		if d.Contract != nil {
			terms = &d.Contract.Terms
			it.FeeFinal = oneOf(d.State, dealSignedStates)
		} else if o := d.LatestOffer(); o != nil {
			terms = &o.Terms
		}
		if terms != nil && d.Intermediary != nil {
			it.FeeEstimate, it.Currency = d.Intermediary.Fee.Total(terms.Price), terms.Currency
		}
		out = append(out, it)
	}
	return out, nil
}
