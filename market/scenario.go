package market

import (
	"strings"
	"techbridge/market/msgs"
	"time"
)

// Scenario kinds.
const (
	ScenarioDemand    = "demand"    // a technology demand
	ScenarioSite      = "scenario"  // an application scenario: a real site where new technology can be piloted
	ScenarioChallenge = "challenge" // a challenge call: a problem with a bounty, deadline and judging criteria
)

// ScenarioKinds lists the scenario kinds.
var ScenarioKinds = []string{ScenarioDemand, ScenarioSite, ScenarioChallenge}

// Scenario is a demand, application scenario or challenge call posted by an
// enterprise or public body (the demand side).
type Scenario struct {
	ListingMeta
	Kind        string
	Title       string
	Description string
	Field       string
	Keywords    []string
	Bilingual   // languages, other-language title and summary
	IPC         []string
	MinTRL      int // 0 = any
	Budget      Money
	Bounty      int64      // challenge prize in Budget.Currency minor units; 0 for other kinds
	Criteria    string     // challenge judging criteria
	Deadline    *time.Time // a UTC date; required for challenges
	Region      string
}

// Open reports whether the scenario takes proposals at now: published and
// before its deadline (inclusive of the deadline's date).
func (s *Scenario) Open(now time.Time) bool {
	return s.Status == ListingPublished && (s.Deadline == nil || !dateUTC(now).After(*s.Deadline))
}

// ScenarioInput is what an owner writes on a scenario; status, owner and
// review fields are not part of it.
type ScenarioInput struct {
	Kind        string
	Title       string
	Description string
	Field       string
	Keywords    []string
	Bilingual   // Languages empty = detected from the title and description
	IPC         []string
	MinTRL      int // 0 = any; otherwise 1–9
	Budget      Money
	Bounty      int64
	Criteria    string
	Deadline    *time.Time
	Region      string
}

// Normalize trims text, canonicalises codes and fills defaults (demand, CNY,
// negotiable budget); malformed IPC codes are recorded in f.
func (in *ScenarioInput) Normalize(f *Fields) {
	in.Kind = strings.TrimSpace(in.Kind)
	if in.Kind == "" {
		in.Kind = ScenarioDemand
	}
	trimAll(&in.Title, &in.Description, &in.Field, &in.Criteria, &in.Region)
	in.Keywords = normalizeList(in.Keywords)
	in.Bilingual.normalize(in.Title + " " + in.Description)
	in.IPC = normalizeIPCList(f, in.IPC)
	if in.Field == "" && len(in.IPC) > 0 {
		in.Field = FieldFromIPC(in.IPC)
	}
	normalizeMoney(&in.Budget)
	if in.Deadline != nil {
		d := dateUTC(*in.Deadline)
		in.Deadline = &d
	}
}

// Validate names every wrong field of a normalised input.
func (in ScenarioInput) Validate(f *Fields, now time.Time) {
	if !oneOf(in.Kind, ScenarioKinds) {
		f.Add("kind", msgs.OneOf, strings.Join(ScenarioKinds, ", "))
	}
	checkTitle(f, in.Title)
	checkLen(f, "description", in.Description, MaxDescription)
	checkLen(f, "criteria", in.Criteria, MaxSummary)
	checkLen(f, "region", in.Region, MaxRegion)
	in.Bilingual.validate(f)
	if !ValidField(in.Field) {
		f.Add("field", msgs.UnknownFieldCodeXSeeGET, in.Field)
	}
	validateKeywords(f, in.Keywords)
	if in.MinTRL < 0 || in.MinTRL > 9 {
		f.Add("min_trl", msgs.OneToNineOrZero)
	}
	validateMoney(f, "budget", in.Budget)
	if in.Deadline != nil && in.Deadline.Before(dateUTC(now)) {
		f.Add("deadline", msgs.NotLieInPast)
	}
	if in.Kind == ScenarioChallenge {
		if in.Deadline == nil {
			f.Add("deadline", msgs.ChallengeCallNeedsDeadline)
		}
		if in.Bounty <= 0 {
			f.Add("bounty", msgs.ChallengeCallNeedsPositiveBounty)
		}
		if in.Criteria == "" {
			f.Add("criteria", msgs.ChallengeCallNeedsJudgingCriteria)
		}
	} else if in.Bounty != 0 {
		f.Add("bounty", msgs.OnlyChallengeCallsCarryBounty)
	}
}

// apply writes the input onto s; a scenario counts every save as a change.
func (in ScenarioInput) apply(s *Scenario, _ time.Time) bool {
	s.Kind, s.Title, s.Description, s.Field = in.Kind, in.Title, in.Description, in.Field
	s.Keywords, s.IPC, s.MinTRL, s.Budget = in.Keywords, in.IPC, in.MinTRL, in.Budget
	s.Bounty, s.Criteria, s.Deadline, s.Region = in.Bounty, in.Criteria, in.Deadline, in.Region
	s.Bilingual = in.Bilingual.clone()
	return true
}

// ScenarioFilter selects scenarios for a list. Zero values mean no constraint.
type ScenarioFilter struct {
	OrgID     string
	Kind      string
	Status    string
	Statuses  []string
	Field     string
	TRLMin    int // scenarios whose minimum TRL is at least this
	TRLMax    int // … and at most this
	BudgetMin int64
	BudgetMax int64
	Region    string // prefix match
	After     string
	Offset    int // rows skipped instead of a cursor, at most MaxListOffset (see OutcomeFilter)
	Limit     int
	Sort      string // one of ScenarioSorts; "" = newest. Not with After
}

// ApplyScenario takes action on s as a pure function, returning the new
// scenario and the event to append.
func ApplyScenario(s Scenario, by ListingRoles, actorID string, action ListingAction, reason string, now time.Time) (Scenario, Event, error) {
	e, err := s.take(ScenarioObjectType, by, actorID, action, reason, now)
	return s, e, err
}
