package api

import (
	"fmt"
	"sync"
)

// listingFixture holds the listing objects of a policy world: orgA (a
// university) owns a draft and a published outcome and a proposal; orgB (an
// enterprise) owns a draft and a published scenario, which the proposal
// answers. Made on first use, through the API.
type listingFixture struct {
	outcomeDraft, outcomePub   outcomeResponse
	scenarioDraft, scenarioPub scenarioResponse
	proposal                   proposalResponse
}

var (
	listingFixturesMu sync.Mutex
	listingFixtures   = map[*world]*listingFixture{}
)

// listings returns the world's listing objects, creating them once.
func (w *world) listings() *listingFixture {
	listingFixturesMu.Lock()
	defer listingFixturesMu.Unlock()
	if f, ok := listingFixtures[w]; ok {
		return f
	}
	e := w.e
	f := &listingFixture{}
	trl := 6
	e.expect(e.do("POST", "/api/v1/organizations/"+w.orgA.ID+"/outcomes", w.member.AccessToken,
		outcomeRequest{Title: "草稿成果", Field: "energy_storage", TRL: &trl}), 201).json(&f.outcomeDraft)
	var pub outcomeResponse
	e.expect(e.do("POST", "/api/v1/organizations/"+w.orgA.ID+"/outcomes", w.member.AccessToken,
		outcomeRequest{Title: "已发布成果", Field: "energy_storage", TRL: &trl}), 201).json(&pub)
	e.expect(e.do("POST", "/api/v1/outcomes/"+pub.ID+"/transitions", w.member.AccessToken,
		transitionRequest{Action: "submit", Version: 1}), 200)
	e.expect(e.do("POST", "/api/v1/outcomes/"+pub.ID+"/transitions", w.admin.AccessToken,
		transitionRequest{Action: "publish", Version: 2}), 200).json(&f.outcomePub)

	e.expect(e.do("POST", "/api/v1/organizations/"+w.orgB.ID+"/scenarios", w.other.AccessToken,
		scenarioRequest{Title: "草稿需求", Field: "energy_storage"}), 201).json(&f.scenarioDraft)
	var sc scenarioResponse
	e.expect(e.do("POST", "/api/v1/organizations/"+w.orgB.ID+"/scenarios", w.other.AccessToken,
		scenarioRequest{Title: "电池回收需求", Field: "energy_storage", MinTRL: 5}), 201).json(&sc)
	e.expect(e.do("POST", "/api/v1/scenarios/"+sc.ID+"/transitions", w.other.AccessToken,
		transitionRequest{Action: "submit", Version: 1}), 200)
	e.expect(e.do("POST", "/api/v1/scenarios/"+sc.ID+"/transitions", w.admin.AccessToken,
		transitionRequest{Action: "publish", Version: 2}), 200).json(&f.scenarioPub)

	e.expect(e.do("POST", "/api/v1/scenarios/"+sc.ID+"/proposals?org_id="+w.orgA.ID, w.member.AccessToken,
		proposalRequest{OutcomeID: f.outcomePub.ID}), 201).json(&f.proposal)
	listingFixtures[w] = f
	return f
}

func outcomeDraftPath(suffix string) func(*world) string {
	return func(w *world) string { return "/api/v1/outcomes/" + w.listings().outcomeDraft.ID + suffix }
}

func scenarioDraftPath(suffix string) func(*world) string {
	return func(w *world) string { return "/api/v1/scenarios/" + w.listings().scenarioDraft.ID + suffix }
}

func scenarioPubPath(suffix string) func(*world) string {
	return func(w *world) string { return "/api/v1/scenarios/" + w.listings().scenarioPub.ID + suffix }
}

func proposalPath(suffix string) func(*world) string {
	return func(w *world) string { return "/api/v1/proposals/" + w.listings().proposal.ID + suffix }
}

// listingPolicies join the route policy table. "mem" is a member of the
// object's organisation: orgA for outcomes and proposals, but orgB for
// scenarios (enterprises post them), where "other" is orgA's member.
var listingPolicies = map[string]routePolicy{
	"GET /api/v1/taxonomy/fields": {path: fixed("/api/v1/taxonomy/fields"), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"GET /api/v1/outcomes":        {path: fixed("/api/v1/outcomes?field=energy_storage&trl_min=2"), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	// A draft: the owner and reviewers only; others get 404, not a hint.
	"GET /api/v1/outcomes/:id": {path: outcomeDraftPath(""), anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"PUT /api/v1/outcomes/:id": {path: outcomeDraftPath(""), body: body(outcomeRequest{Version: 1, Title: "改", Field: "ai"}),
		anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"POST /api/v1/outcomes/:id/transitions": {path: outcomeDraftPath("/transitions"), body: body(transitionRequest{Action: "submit", Version: 1}),
		anon: Deny, mem: Allow, other: Deny, admin: Deny}, // reviewers publish, they do not submit for owners
	"GET /api/v1/outcomes/:id/history": {path: outcomeDraftPath("/history"), anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"POST /api/v1/organizations/:id/outcomes": {path: orgA("/outcomes"), body: body(outcomeRequest{Title: "新成果"}),
		anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"POST /api/v1/outcomes/import": {path: func(w *world) string { return "/api/v1/outcomes/import?org_id=" + w.orgA.ID },
		body: body(typedBody{"application/x-ndjson", `{"external_id": "X1", "title": "导入成果"}` + "\n"}), anon: Deny, mem: Allow, other: Deny, admin: Allow},

	"GET /api/v1/scenarios":     {path: fixed("/api/v1/scenarios?kind=demand"), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"GET /api/v1/scenarios/:id": {path: scenarioDraftPath(""), anon: Deny, mem: Deny, other: Allow, admin: Allow},
	"PUT /api/v1/scenarios/:id": {path: scenarioDraftPath(""), body: body(scenarioRequest{Version: 1, Title: "改", Field: "ai"}),
		anon: Deny, mem: Deny, other: Allow, admin: Allow},
	"POST /api/v1/scenarios/:id/transitions": {path: scenarioDraftPath("/transitions"), body: body(transitionRequest{Action: "submit", Version: 1}),
		anon: Deny, mem: Deny, other: Allow, admin: Deny},
	"GET /api/v1/scenarios/:id/history": {path: scenarioDraftPath("/history"), anon: Deny, mem: Deny, other: Allow, admin: Allow},
	"POST /api/v1/organizations/:id/scenarios": {path: func(w *world) string { return "/api/v1/organizations/" + w.orgB.ID + "/scenarios" },
		body: body(scenarioRequest{Title: "新需求", Field: "ai"}), anon: Deny, mem: Deny, other: Allow, admin: Allow},

	// Proposals belong to orgA (the proposer) and answer orgB's scenario.
	"POST /api/v1/scenarios/:id/proposals": {path: func(w *world) string {
		return fmt.Sprintf("/api/v1/scenarios/%s/proposals?org_id=%s", w.listings().scenarioPub.ID, w.orgA.ID)
	}, body: body(proposalRequest{Title: "自由方案", Summary: "我们可以提供中试线"}), anon: Deny, mem: Allow, other: Deny, admin: Allow},
	// The scenario's proposals: its owner (orgB) and reviewers.
	"GET /api/v1/scenarios/:id/proposals": {path: scenarioPubPath("/proposals"), anon: Deny, mem: Deny, other: Allow, admin: Allow},
	"GET /api/v1/proposals": {path: func(w *world) string { return "/api/v1/proposals?org_id=" + w.orgA.ID },
		anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"GET /api/v1/proposals/:id": {path: proposalPath(""), anon: Deny, mem: Allow, other: Allow, admin: Allow},
	// Only the proposer withdraws; admins do not decide proposals.
	"POST /api/v1/proposals/:id/transitions": {path: proposalPath("/transitions"), body: body(transitionRequest{Action: "withdraw", Version: 1}),
		anon: Deny, mem: Allow, other: Deny, admin: Deny},
	"GET /api/v1/review/queue": {path: fixed("/api/v1/review/queue"), anon: Deny, mem: Deny, other: Deny, admin: Allow},
}

func init() {
	for route, p := range listingPolicies {
		policies[route] = p
	}
}
