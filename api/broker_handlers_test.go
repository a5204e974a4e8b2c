package api

import (
	"maps"
	"testing"
)

// brokerPolicies join the route policy table: the directory and track
// records are public; only a member of the broker organisation named in
// the body may ask to join (the fixture's broker already takes part: 409).
var brokerPolicies = map[string]routePolicy{
	"GET /api/v1/brokers": {path: fixed("/api/v1/brokers"), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"GET /api/v1/organizations/:id/track-record": {path: orgA("/track-record"),
		anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"POST /api/v1/deals/:id/intermediary/request": {path: dealPath("/intermediary/request"),
		body: func(w *world) any {
			return inviteIntermediaryRequest{OrgID: w.dealFixture().brokerOrg.ID, FeeBasis: "bps", FeeBPS: 200, FeePayer: "buyer"}
		},
		anon: Deny, mem: Deny, other: Deny, admin: Deny, broker: Allow, stranger: Deny},
}

func init() { maps.Copy(policies, brokerPolicies) }

// TestBrokerJoinRequest: a broker found in the directory asks to join a
// deal it was given the link of; it sees nothing of the deal until both
// parties agree through the fee route; then it takes part, and its track
// record is public.
func TestBrokerJoinRequest(t *testing.T) {
	w := newWorld(t)
	e := w.e
	_, broker := e.user("broker2@i.example.cn")
	brokerOrg := e.org(broker.AccessToken, "intermediary")

	var dir listResponse[brokerResponse]
	e.expect(e.do("GET", "/api/v1/brokers", "", nil), 200).json(&dir)
	found := false
	for _, b := range dir.Items {
		found = found || b.ID == brokerOrg.ID
		if b.Kind != "intermediary" || b.PayoutRef != "" {
			t.Errorf("directory entry %+v", b)
		}
	}
	if !found {
		t.Fatalf("the broker is not in the directory: %+v", dir.Items)
	}

	outcome := e.publishedOutcome("member@a.example.cn", w.orgA.ID, false)
	var d dealResponse
	e.expect(e.do("POST", "/api/v1/deals", w.other.AccessToken, openDealRequest{OutcomeID: outcome, OrgID: w.orgB.ID, Message: "你好"}), 201).json(&d)
	path := "/api/v1/deals/" + d.ID
	ask := inviteIntermediaryRequest{OrgID: brokerOrg.ID, FeeBasis: "bps", FeeBPS: 250, FeePayer: "split"}
	e.expect(e.do("POST", "/api/v1/deals/unknown/intermediary/request", broker.AccessToken, ask), 404).problem()
	e.expect(e.do("POST", path+"/intermediary/request", broker.AccessToken, inviteIntermediaryRequest{OrgID: brokerOrg.ID}), 400).problem()
	var jr joinRequestResponse
	e.expect(e.do("POST", path+"/intermediary/request", broker.AccessToken, ask), 202).json(&jr)
	if jr.Status != "requested" || jr.DealID != d.ID {
		t.Fatalf("join request %+v", jr)
	}
	e.expect(e.do("GET", path, broker.AccessToken, nil), 404).problem()
	e.expect(e.do("POST", path+"/intermediary/request", broker.AccessToken, ask), 409).problem()

	e.expect(e.do("POST", path+"/intermediary/fee", w.other.AccessToken, agreeRequest{Agree: true}), 200)
	e.expect(e.do("GET", path, broker.AccessToken, nil), 404).problem()
	e.expect(e.do("POST", path+"/intermediary/fee", w.member.AccessToken, agreeRequest{Agree: true}), 200).json(&d)
	if d.Intermediary == nil || !d.Intermediary.Active {
		t.Fatalf("after both agreed: %+v", d.Intermediary)
	}
	e.expect(e.do("GET", path, broker.AccessToken, nil), 200)

	var tr trackRecordResponse
	e.expect(e.do("GET", "/api/v1/organizations/"+brokerOrg.ID+"/track-record", "", nil), 200).json(&tr)
	if tr != (trackRecordResponse{}) {
		t.Fatalf("track record before any signature: %+v", tr)
	}
	e.expect(e.do("GET", "/api/v1/organizations/nope/track-record", "", nil), 404).problem()
}
