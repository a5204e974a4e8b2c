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

// scenarios is the scenario kind: demand-side listings by enterprises and
// public bodies. Awarded ones stay public (winners and the public see the
// outcome of a call); awards come from proposals.
var scenarios = &listingKind[Scenario, *Scenario, ScenarioFilter, *ScenarioInput]{
	objectType: ScenarioObjectType, plural: "scenarios", public: []string{ListingPublished, ListingAwarded},
	created: EventScenarioCreated, updated: EventScenarioUpdated,
	awardRefusal: msgs.ScenarioAwardedByAwardingProposal,
	mayOwn: func(org *Organization) error {
		if !oneOf(org.Kind, scenarioOwnerKinds) {
			return Errorf(EFORBIDDEN, msgs.OnlyEnterprisesAndPublicBodiesPost)
		}
		return nil
	},
	filter: func(f *ScenarioFilter) (string, *string, *int) { return f.OrgID, &f.Status, &f.Limit },
	check: func(f ScenarioFilter) error {
		if err := checkSort(f.Sort, ScenarioSorts, f.After, f.Offset); err != nil {
			return err
		}
		if f.Kind != "" && !oneOf(f.Kind, ScenarioKinds) {
			return Invalid("kind", msgs.OneDemandScenarioChallenge)
		}
		return validateRangeFilter(f.TRLMin, f.TRLMax, f.BudgetMin, f.BudgetMax, "budget", f.Field)
	},
	apply: ApplyScenario,
	byID:  Tx.ScenarioByID, insert: Tx.CreateScenario, update: Tx.UpdateScenario, list: Tx.ListScenarios,
}

// CreateScenario creates a draft scenario, demand or challenge call for
// orgID, an enterprise or public body the actor belongs to.
func (s *Service) CreateScenario(ctx context.Context, actor Actor, orgID string, in ScenarioInput) (*Scenario, error) {
	return scenarios.create(ctx, s, actor, orgID, &in)
}

// scenarioFor loads a scenario the actor may see (see listingKind.load).
func (s *Service) scenarioFor(tx Tx, actor Actor, id string) (*Scenario, error) {
	return scenarios.load(tx, actor, id)
}

// UpdateScenario replaces the content of a draft scenario; a stale version
// is ECONFLICT.
func (s *Service) UpdateScenario(ctx context.Context, actor Actor, id string, version int64, in ScenarioInput) (*Scenario, error) {
	return scenarios.edit(ctx, s, actor, id, version, &in)
}

// Scenario returns a scenario the actor may see.
func (s *Service) Scenario(ctx context.Context, actor Actor, id string) (*Scenario, error) {
	return scenarios.get(ctx, s, actor, id)
}

// Scenarios lists scenarios newest first, with the same visibility as
// Outcomes.
func (s *Service) Scenarios(ctx context.Context, actor Actor, f ScenarioFilter) (Page[Scenario], error) {
	return scenarios.page(ctx, s, actor, f)
}

// TransitionScenario takes a life-cycle action on a scenario; awards come
// from AwardProposal (TransitionProposal), not from here.
func (s *Service) TransitionScenario(ctx context.Context, actor Actor, id string, version int64, action ListingAction, reason string) (*Scenario, error) {
	return scenarios.transition(ctx, s, actor, id, version, action, reason)
}

// ScenarioHistory returns a scenario's events, for its owner and reviewers.
func (s *Service) ScenarioHistory(ctx context.Context, actor Actor, id string) ([]Event, error) {
	return scenarios.history(ctx, s, actor, id)
}
