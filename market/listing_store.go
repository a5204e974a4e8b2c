package market

// ListingTx persists outcomes, scenarios and proposals. Updates are
// optimistic: they write when the stored version is the object's Version-1
// and return ECONFLICT otherwise.
type ListingTx interface {
	// CreateOutcome inserts o; ECONFLICT when its organisation already has
	// an outcome with the same non-empty ExternalID.
	CreateOutcome(o *Outcome) error
	OutcomeByID(id string) (*Outcome, error)
	// OutcomesByIDs loads the outcomes with ids in one read, in no
	// particular order; unknown ids are left out.
	OutcomesByIDs(ids []string) ([]Outcome, error)
	// OutcomeByExternalID finds an organisation's outcome by its own reference.
	OutcomeByExternalID(orgID, externalID string) (*Outcome, error)
	UpdateOutcome(o *Outcome) error
	// ListOutcomes returns one page, newest first, with the total matching f
	// (without the cursor) when a kept count covers f (see Page).
	ListOutcomes(f OutcomeFilter) (Page[Outcome], error)

	CreateScenario(s *Scenario) error
	ScenarioByID(id string) (*Scenario, error)
	// ScenariosByIDs is OutcomesByIDs for scenarios.
	ScenariosByIDs(ids []string) ([]Scenario, error)
	UpdateScenario(s *Scenario) error
	ListScenarios(f ScenarioFilter) (Page[Scenario], error)

	// CreateProposal inserts p; ECONFLICT when the organisation already
	// proposed the same outcome to the same scenario.
	CreateProposal(p *Proposal) error
	ProposalByID(id string) (*Proposal, error)
	UpdateProposal(p *Proposal) error
	ListProposals(f ProposalFilter) (Page[Proposal], error)

	// ObjectEvents returns an object's events in order, up to limit.
	ObjectEvents(objectType, objectID string, limit int) ([]Event, error)
}
