package web

import (
	"net/http"

	"techbridge/market"
)

// reviewLimit is how many listings of each kind the review queue shows.
const reviewLimit = market.MaxPageSize

// reviewPage is the reviewers' queue: outcomes and scenarios waiting for a
// decision, oldest concerns first as the service orders them.
type reviewPage struct {
	Outcomes         []outcomeRow
	Scenarios        []scenarioRow
	OutcomeVersions  map[string]int64
	ScenarioVersions map[string]int64
	OutcomeTotal     int
	ScenarioTotal    int
}

// Version returns the version a decision on id must name.
func (p *reviewPage) Version(kind, id string) int64 {
	if kind == market.OutcomeObjectType {
		return p.OutcomeVersions[id]
	}
	return p.ScenarioVersions[id]
}

// reviewQueue shows what waits for review, with publish and reject (with a
// reason) on each line; the decisions post to the listing's own action
// route and come back here.
func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	q, err := s.svc.PendingReview(ctx, v.Actor, reviewLimit)
	if err != nil {
		return err
	}
	names, now := s.orgNames(ctx, v), s.svc.Now()
	p := &reviewPage{OutcomeVersions: map[string]int64{}, ScenarioVersions: map[string]int64{},
		OutcomeTotal: q.Outcomes.Total, ScenarioTotal: q.Scenarios.Total}
	for _, o := range q.Outcomes.Items {
		p.Outcomes = append(p.Outcomes, newOutcomeRow(v.Lang, names, o, now))
		p.OutcomeVersions[o.ID] = o.Version
	}
	for _, sc := range q.Scenarios.Items {
		p.Scenarios = append(p.Scenarios, newScenarioRow(v.Lang, names, sc))
		p.ScenarioVersions[sc.ID] = sc.Version
	}
	s.render(w, v, http.StatusOK, "review", p)
	return nil
}
