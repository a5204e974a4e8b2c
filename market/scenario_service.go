package market

import (
	"context"
	"techbridge/market/msgs"
)

// Scenario event types beyond the life cycle's.
const (
	EventScenarioCreated = "scenario.created"
	EventScenarioUpdated = "scenario.updated"
)

// scenarioOwnerKinds are the organisation kinds that post scenarios.
var scenarioOwnerKinds = []string{OrgEnterprise, OrgPublicBody}

// CreateScenario creates a draft scenario, demand or challenge call for
// orgID, an enterprise or public body the actor belongs to.
func (s *Service) CreateScenario(ctx context.Context, actor Actor, orgID string, in ScenarioInput) (*Scenario, error) {
	now := s.now()
	var f Fields
	in.Normalize(&f)
	in.Validate(&f, now)
	var sc *Scenario
	err := s.Store.Update(ctx, func(tx Tx) error {
		org, err := orgForListing(tx, actor, orgID)
		if err != nil {
			return err
		}
		if !oneOf(org.Kind, scenarioOwnerKinds) {
			return Errorf(EFORBIDDEN, msgs.OnlyEnterprisesAndPublicBodiesPost)
		}
		if err := f.Err(); err != nil {
			return err
		}
		sc = &Scenario{ID: NewID(), OrgID: org.ID, Status: ListingDraft, CreatedBy: actor.AccountID,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		in.apply(sc)
		if err := tx.CreateScenario(sc); err != nil {
			return err
		}
		e := NewEvent(EventScenarioCreated, actor.AccountID, ScenarioObjectType, sc.ID,
			ListingEvent{OrgID: sc.OrgID, Status: sc.Status, Version: sc.Version}, now)
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// scenarioFor loads a scenario the actor may see: published and awarded
// ones for everyone (winners and the public see the outcome of a call), the
// rest for the owner and reviewers; ENOTFOUND otherwise.
func (s *Service) scenarioFor(tx Tx, actor Actor, id string) (*Scenario, error) {
	sc, err := tx.ScenarioByID(id)
	if err != nil {
		return nil, err
	}
	if sc.Status != ListingPublished && sc.Status != ListingAwarded && !actor.MemberOf(sc.OrgID) && !actor.IsReviewer() {
		return nil, Errorf(ENOTFOUND, msgs.ScenarioNotFound)
	}
	return sc, nil
}

// UpdateScenario replaces the content of a draft scenario; a stale version
// is ECONFLICT.
func (s *Service) UpdateScenario(ctx context.Context, actor Actor, id string, version int64, in ScenarioInput) (*Scenario, error) {
	now := s.now()
	var f Fields
	in.Normalize(&f)
	in.Validate(&f, now)
	var sc *Scenario
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if sc, err = s.scenarioFor(tx, actor, id); err != nil {
			return err
		}
		if !actor.MemberOf(sc.OrgID) && !actor.IsAdmin() {
			return Errorf(EFORBIDDEN, msgs.OnlyOwningOrganisationEditsScenarios)
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := checkVersion("the scenario", sc.Version, version); err != nil {
			return err
		}
		if sc.Status != ListingDraft {
			return Errorf(ECONFLICT, msgs.OnlyDraftsCanEditedThisScenario, msgs.Term{Kind: "listing.status", Value: sc.Status})
		}
		in.apply(sc)
		sc.UpdatedAt = now
		sc.Version++
		if err := tx.UpdateScenario(sc); err != nil {
			return err
		}
		e := NewEvent(EventScenarioUpdated, actor.AccountID, ScenarioObjectType, sc.ID,
			ListingEvent{OrgID: sc.OrgID, Status: sc.Status, Version: sc.Version}, now)
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// Scenario returns a scenario the actor may see.
func (s *Service) Scenario(ctx context.Context, actor Actor, id string) (*Scenario, error) {
	var sc *Scenario
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		sc, err = s.scenarioFor(tx, actor, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// Scenarios lists scenarios newest first, with the same visibility as
// Outcomes.
func (s *Service) Scenarios(ctx context.Context, actor Actor, f ScenarioFilter) (Page[Scenario], error) {
	var page Page[Scenario]
	var err error
	if f.Status, err = visibleStatuses(actor, f.OrgID, f.Status); err != nil {
		return page, err
	}
	if f.Kind != "" && !oneOf(f.Kind, ScenarioKinds) {
		return page, Invalid("kind", msgs.OneDemandScenarioChallenge)
	}
	if err := validateRangeFilter(f.TRLMin, f.TRLMax, f.BudgetMin, f.BudgetMax, "budget", f.Field); err != nil {
		return page, err
	}
	f.Limit = ClampLimit(f.Limit)
	err = s.Store.Read(ctx, func(tx Tx) (err error) {
		page, err = tx.ListScenarios(f)
		return err
	})
	return page, err
}

// TransitionScenario takes a life-cycle action on a scenario; awards come
// from AwardProposal (TransitionProposal), not from here.
func (s *Service) TransitionScenario(ctx context.Context, actor Actor, id string, version int64, action ListingAction, reason string) (*Scenario, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	if action == AwardListing {
		return nil, Invalid("action", msgs.ScenarioAwardedByAwardingProposal)
	}
	if len([]rune(reason)) > MaxReason {
		return nil, Invalid("reason", msgs.AtMostNChars, MaxReason)
	}
	now := s.now()
	var out Scenario
	err := s.Store.Update(ctx, func(tx Tx) error {
		sc, err := s.scenarioFor(tx, actor, id)
		if err != nil {
			return err
		}
		next, e, err := ApplyScenario(*sc, ListingRolesOf(actor, sc.OrgID), actor.AccountID, action, reason, now)
		if err != nil {
			return err
		}
		// Versions are compared after the rules, so a stranger learns nothing from a 409.
		if err := checkVersion("the scenario", sc.Version, version); err != nil {
			return err
		}
		if err := publishableBy(tx, next.Status, sc.OrgID); err != nil {
			return err
		}
		if err := tx.UpdateScenario(&next); err != nil {
			return err
		}
		out = next
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ScenarioHistory returns a scenario's events, for its owner and reviewers.
func (s *Service) ScenarioHistory(ctx context.Context, actor Actor, id string) ([]Event, error) {
	var out []Event
	err := s.Store.View(ctx, func(tx Tx) error {
		sc, err := s.scenarioFor(tx, actor, id)
		if err != nil {
			return err
		}
		out, err = listingHistory(tx, actor, ScenarioObjectType, sc.ID, sc.OrgID)
		return err
	})
	return out, err
}
