package market

import (
	"strings"
	"techbridge/market/msgs"
	"time"
)

// Proposal statuses.
const (
	ProposalSubmitted   = "submitted"
	ProposalShortlisted = "shortlisted"
	ProposalRejected    = "rejected"
	ProposalAwarded     = "awarded"
	ProposalWithdrawn   = "withdrawn"
)

// ProposalStatuses lists the proposal statuses.
var ProposalStatuses = []string{ProposalSubmitted, ProposalShortlisted, ProposalRejected, ProposalAwarded, ProposalWithdrawn}

// ProposalAction is a move in a proposal's life cycle.
type ProposalAction string

// Proposal actions: the scenario's owner shortlists, rejects or awards; the
// proposer withdraws.
const (
	ShortlistProposal ProposalAction = "shortlist"
	RejectProposal    ProposalAction = "reject"
	AwardProposal     ProposalAction = "award"
	WithdrawProposal  ProposalAction = "withdraw"
)

// Proposal is an organisation's answer to a scenario: one of its own
// outcomes, or a free proposal.
type Proposal struct {
	ID         string
	ScenarioID string
	OrgID      string // the proposing organisation
	OutcomeID  string // "" for a free proposal
	Title      string
	Summary    string
	Price      Money
	Status     string
	Reason     string // the scenario owner's note on rejection or award
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int64
}

// ProposalInput is what a proposer writes.
type ProposalInput struct {
	OutcomeID string
	Title     string
	Summary   string
	Price     Money
}

// Normalize trims text and fills currency defaults.
func (in *ProposalInput) Normalize() {
	in.OutcomeID = strings.TrimSpace(in.OutcomeID)
	in.Title = strings.TrimSpace(in.Title)
	in.Summary = strings.TrimSpace(in.Summary)
	normalizeMoney(&in.Price)
}

// Validate names every wrong field; a free proposal needs a title and a
// summary, an outcome proposal may take them from the outcome.
func (in ProposalInput) Validate(f *Fields) {
	if in.OutcomeID == "" {
		if in.Title == "" {
			f.Add("title", msgs.RequiredForFreeProposal)
		}
		if in.Summary == "" {
			f.Add("summary", msgs.RequiredForFreeProposal)
		}
	}
	checkLen(f, "title", in.Title, MaxTitle)
	checkLen(f, "summary", in.Summary, MaxSummary)
	validateMoney(f, "price", in.Price)
}

// ProposalRoles is what the actor is to one proposal.
type ProposalRoles struct {
	ScenarioOwner bool // member of the organisation that owns the scenario
	Proposer      bool // member of the proposing organisation
}

// proposalMoves: from-statuses per action, and whether the scenario owner
// (true) or the proposer (false) takes it.
var proposalMoves = map[ProposalAction]struct {
	from  []string
	to    string
	owner bool
}{
	ShortlistProposal: {[]string{ProposalSubmitted}, ProposalShortlisted, true},
	RejectProposal:    {[]string{ProposalSubmitted, ProposalShortlisted}, ProposalRejected, true},
	AwardProposal:     {[]string{ProposalSubmitted, ProposalShortlisted}, ProposalAwarded, true},
	WithdrawProposal:  {[]string{ProposalSubmitted, ProposalShortlisted}, ProposalWithdrawn, false},
}

// NextProposalStatus is the proposal life cycle as a pure function. The
// scenario's state decides too: owners act on proposals of a published or
// paused scenario; an award also needs the scenario not yet awarded, unless
// it is a challenge call, which may award several proposals.
func NextProposalStatus(p Proposal, sc Scenario, action ProposalAction, by ProposalRoles) (string, error) {
	m, ok := proposalMoves[action]
	if !ok {
		return "", Invalid("action", msgs.UnknownActionXForProposal, action)
	}
	if m.owner && !by.ScenarioOwner {
		return "", Errorf(EFORBIDDEN, msgs.OnlyScenarioSOwnerMayX, action)
	}
	if !m.owner && !by.Proposer {
		return "", Errorf(EFORBIDDEN, msgs.OnlyProposingOrganisationMayWithdrawProposal)
	}
	if !oneOf(p.Status, m.from) {
		return "", Errorf(ECONFLICT, msgs.XProposalCannotX, msgs.Term{Kind: "proposal.status", Value: p.Status}, msgs.Term{Kind: "proposal.status", Value: m.to})
	}
	if m.owner {
		open := []string{ListingPublished, ListingPaused}
		if sc.Kind == ScenarioChallenge && action == AwardProposal {
			open = append(open, ListingAwarded)
		}
		if !oneOf(sc.Status, open) {
			return "", Errorf(ECONFLICT, msgs.ScenarioXProposalsCanNoLonger, msgs.Term{Kind: "listing.status", Value: sc.Status})
		}
	}
	return m.to, nil
}

// ApplyProposal takes action on p as a pure function. It returns the new
// proposal, the events, and, when an award moves the scenario to awarded,
// the new scenario (nil otherwise).
func ApplyProposal(p Proposal, sc Scenario, by ProposalRoles, actorID string, action ProposalAction, reason string, now time.Time) (Proposal, *Scenario, []Event, error) {
	to, err := NextProposalStatus(p, sc, action, by)
	if err != nil {
		return p, nil, nil, err
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > MaxReason {
		return p, nil, nil, Invalid("reason", msgs.AtMostNChars, MaxReason)
	}
	from := p.Status
	p.Status, p.Reason, p.UpdatedAt = to, reason, now
	p.Version++
	events := []Event{NewEvent(ProposalObjectType+"."+to, actorID, ProposalObjectType, p.ID, map[string]any{
		"scenario_id": p.ScenarioID, "org_id": p.OrgID, "outcome_id": p.OutcomeID, "status": to, "from": from,
		"version": p.Version, "reason": reason}, now)}
	var awarded *Scenario
	if action == AwardProposal && sc.Status != ListingAwarded {
		next, e, err := ApplyScenario(sc, ListingRoles{Owner: true}, actorID, AwardListing, "", now)
		if err != nil {
			return p, nil, nil, err
		}
		awarded = &next
		events = append(events, e)
	}
	return p, awarded, events, nil
}

// ProposalFilter selects proposals.
type ProposalFilter struct {
	ScenarioID string
	OrgID      string // the proposer
	Status     string
	After      string
	Limit      int
}
