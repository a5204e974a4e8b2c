package market

import (
	"context"
	"techbridge/market/msgs"
)

// EventProposalSubmitted is appended when an organisation answers a scenario.
const EventProposalSubmitted = "proposal.submitted"

// SubmitProposal answers a published scenario before its deadline on behalf
// of orgID, which the actor must belong to and which must not own the
// scenario. With in.OutcomeID the proposal offers one of orgID's own
// published outcomes, whose title and summary fill what in leaves empty.
func (s *Service) SubmitProposal(ctx context.Context, actor Actor, scenarioID, orgID string, in ProposalInput) (*Proposal, error) {
	now := s.now()
	in.Normalize()
	var p *Proposal
	err := s.Store.Update(ctx, func(tx Tx) error {
		if _, err := orgForListing(tx, actor, orgID); err != nil {
			return err
		}
		sc, err := s.scenarioFor(tx, actor, scenarioID)
		if err != nil {
			return err
		}
		if sc.OrgID == orgID {
			return Errorf(EFORBIDDEN, msgs.OrganisationCannotAnswerOwnScenario)
		}
		if !sc.Open(now) {
			return Errorf(ECONFLICT, msgs.ScenarioTakesNoProposalsItX, msgs.Term{Kind: "listing.status", Value: sc.Status})
		}
		if in.OutcomeID != "" {
			o, err := tx.OutcomeByID(in.OutcomeID)
			if isNotFound(err) || (err == nil && o.OrgID != orgID) {
				return Invalid("outcome_id", msgs.OutcomeProposingOrganisation)
			} else if err != nil {
				return err
			}
			if o.Status != ListingPublished {
				return Invalid("outcome_id", msgs.OutcomePublished)
			}
			if in.Title == "" {
				in.Title = o.Title
			}
			if in.Summary == "" {
				in.Summary = o.Summary
			}
		}
		var f Fields
		in.Validate(&f)
		if err := f.Err(); err != nil {
			return err
		}
		p = &Proposal{ID: NewID(), ScenarioID: sc.ID, OrgID: orgID, OutcomeID: in.OutcomeID, Title: in.Title,
			Summary: in.Summary, Price: in.Price, Status: ProposalSubmitted, CreatedBy: actor.AccountID,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		if err := tx.CreateProposal(p); err != nil {
			if ErrorCode(err) == ECONFLICT {
				return Refusal(ECONFLICT, msgs.OutcomeAlreadyProposed, "outcome_id", msgs.AlreadyProposed)
			}
			return err
		}
		e := NewEvent(EventProposalSubmitted, actor.AccountID, ProposalObjectType, p.ID, map[string]any{
			"scenario_id": sc.ID, "scenario_org_id": sc.OrgID, "org_id": orgID, "outcome_id": p.OutcomeID,
			"status": p.Status, "version": p.Version}, now)
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// proposalFor loads a proposal with its scenario, visible to the proposer,
// the scenario's owner and reviewers only.
func proposalFor(tx Tx, actor Actor, id string) (*Proposal, *Scenario, error) {
	p, err := tx.ProposalByID(id)
	if err != nil {
		return nil, nil, err
	}
	sc, err := tx.ScenarioByID(p.ScenarioID)
	if err != nil {
		return nil, nil, err
	}
	if !actor.MemberOf(p.OrgID) && !actor.MemberOf(sc.OrgID) && !actor.IsReviewer() {
		return nil, nil, Errorf(ENOTFOUND, msgs.ProposalNotFound)
	}
	return p, sc, nil
}

// Proposal returns a proposal to its proposer, the scenario's owner or a
// reviewer.
func (s *Service) Proposal(ctx context.Context, actor Actor, id string) (*Proposal, error) {
	var p *Proposal
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		p, _, err = proposalFor(tx, actor, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Proposals lists proposals: a scenario's (f.ScenarioID) for its owner and
// reviewers, or an organisation's own (f.OrgID) for its members. A proposer
// listing a scenario sees only its own proposals there.
func (s *Service) Proposals(ctx context.Context, actor Actor, f ProposalFilter) (Page[Proposal], error) {
	var page Page[Proposal]
	if actor.Anonymous() {
		return page, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	if f.Status != "" && !oneOf(f.Status, ProposalStatuses) {
		return page, Invalid("status", msgs.UnknownStatusX, f.Status)
	}
	f.Limit = ClampLimit(f.Limit)
	err := s.Store.View(ctx, func(tx Tx) error {
		switch {
		case actor.IsReviewer():
		case f.ScenarioID != "":
			sc, err := s.scenarioFor(tx, actor, f.ScenarioID)
			if err != nil {
				return err
			}
			if !actor.MemberOf(sc.OrgID) && (f.OrgID == "" || !actor.MemberOf(f.OrgID)) {
				return Errorf(EFORBIDDEN, msgs.OnlyScenarioSOwnerSeesAll)
			}
		case f.OrgID != "" && actor.MemberOf(f.OrgID):
		default:
			return Errorf(EFORBIDDEN, msgs.GiveScenarioIdAsOwnerOr)
		}
		var err error
		page, err = tx.ListProposals(f)
		return err
	})
	return page, err
}

// TransitionProposal shortlists, rejects or awards a proposal (the
// scenario's owner) or withdraws it (the proposer). The first award moves
// the scenario to awarded; a challenge call may award more after that.
func (s *Service) TransitionProposal(ctx context.Context, actor Actor, id string, version int64, action ProposalAction, reason string) (*Proposal, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	now := s.now()
	var out Proposal
	err := s.Store.Update(ctx, func(tx Tx) error {
		p, sc, err := proposalFor(tx, actor, id)
		if err != nil {
			return err
		}
		by := ProposalRoles{ScenarioOwner: actor.MemberOf(sc.OrgID), Proposer: actor.MemberOf(p.OrgID)}
		next, awarded, events, err := ApplyProposal(*p, *sc, by, actor.AccountID, action, reason, now)
		if err != nil {
			return err
		}
		// Versions are compared after the rules, so a stranger learns nothing from a 409.
		if err := checkVersion("the proposal", p.Version, version); err != nil {
			return err
		}
		if err := tx.UpdateProposal(&next); err != nil {
			return err
		}
		if awarded != nil {
			if err := tx.UpdateScenario(awarded); err != nil {
				return err
			}
		}
		for i := range events {
			if err := tx.AppendEvent(&events[i]); err != nil {
				return err
			}
		}
		out = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
