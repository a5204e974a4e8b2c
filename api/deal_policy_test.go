package api

import (
	"context"
	"maps"
	"time"

	"techbridge/market"
)

// dealFixture is the deal routes' part of the world: orgA (member) sells a
// confidential outcome to orgB (other), brokered by an intermediary
// organisation, while a fourth organisation stands outside the deal. The
// deal is in negotiation with the NDA accepted, the intermediary active and
// offer 1, by the seller, open. So in deal rows "member" is the seller and
// "other" the buyer.
type dealFixture struct {
	broker, stranger tokenResponse
	brokerOrg        orgResponse
	outcomeID        string
	deal             dealResponse
	sellerNotice     string // a notification to orgA
}

const (
	dealBroker   = "broker"
	dealStranger = "stranger"
)

// futureDate is a due date that stays valid while the tests run.
func futureDate(months int) string {
	return time.Now().UTC().AddDate(0, months, 0).Format(time.DateOnly)
}

// validOffer is a development offer of CNY 1000.00 in two milestones.
func validOffer() offerRequest {
	return offerRequest{ContractType: "development", Price: 100000, Currency: "CNY",
		Milestones: []milestoneTermsBody{
			{Title: "样机", Deliverable: "prototype", Amount: 40000, DueDate: futureDate(1)},
			{Title: "验收", Deliverable: "acceptance", Amount: 60000, DueDate: futureDate(3)}},
		Registration: &registrationTermsBody{SubType: "commissioned", TechField: "new_energy", ValidFrom: futureDate(0), ValidUntil: futureDate(12),
			SigningPlace: "上海市杨浦区", SocioEconomicGoal: "energy"}}
}

// actorOf loads the market actor behind an email, for set-up through the
// service where the API has no route of its own.
func (e *testEnv) actorOf(email string) market.Actor {
	e.t.Helper()
	var id string
	err := e.db.View(context.Background(), func(tx market.Tx) error {
		a, err := tx.AccountByEmail(email)
		if err == nil {
			id = a.ID
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	a, err := e.svc.ActorFor(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// publishedOutcome creates and publishes an outcome of orgID owned by
// ownerEmail; confidential outcomes keep their description for the NDA.
func (e *testEnv) publishedOutcome(ownerEmail, orgID string, confidential bool) string {
	e.t.Helper()
	ctx := context.Background()
	owner := e.actorOf(ownerEmail)
	trl := 6
	in := market.OutcomeInput{Title: "固态电池隔膜", Summary: "公开摘要", Description: "保密工艺参数 secret recipe",
		PatentNumbers: []string{"CN114081026A"}, TRL: &trl, IPType: market.IPInventionPatent}
	if confidential {
		in.Confidentiality = market.ConfidentialityTeaser
	}
	o, err := e.svc.CreateOutcome(ctx, owner, orgID, in)
	if err != nil {
		e.t.Fatal(err)
	}
	if o, err = e.svc.TransitionOutcome(ctx, owner, o.ID, o.Version, market.SubmitListing, ""); err != nil {
		e.t.Fatal(err)
	}
	if _, err = e.svc.TransitionOutcome(ctx, e.actorOf("admin@techbridge.test"), o.ID, o.Version, market.PublishListing, ""); err != nil {
		e.t.Fatal(err)
	}
	return o.ID
}

// dealFixture builds the deal part of the world once, through the API.
func (w *world) dealFixture() *dealFixture {
	if w.deals != nil {
		return w.deals
	}
	e := w.e
	f := &dealFixture{}
	_, f.broker = e.user("broker@i.example.cn")
	_, f.stranger = e.user("stranger@s.example.cn")
	f.brokerOrg = e.org(f.broker.AccessToken, "intermediary")
	e.org(f.stranger.AccessToken, "enterprise")
	e.expect(e.do("PUT", "/api/v1/organizations/"+w.orgA.ID+"/nda", w.member.AccessToken, ndaRequest{Text: "保密协议 / NDA"}), 200)
	f.outcomeID = e.publishedOutcome("member@a.example.cn", w.orgA.ID, true)
	var d dealResponse
	e.expect(e.do("POST", "/api/v1/deals", w.other.AccessToken, openDealRequest{OutcomeID: f.outcomeID, OrgID: w.orgB.ID, Message: "想了解授权条件"}), 201).json(&d)
	path := "/api/v1/deals/" + d.ID
	e.expect(e.do("POST", path+"/accept", w.member.AccessToken, nil), 200).json(&d)
	e.expect(e.do("POST", path+"/nda", w.other.AccessToken, hashRequest{Hash: d.NDA.Hash}), 200)
	e.expect(e.do("POST", path+"/intermediary", w.other.AccessToken, inviteIntermediaryRequest{OrgID: f.brokerOrg.ID,
		FeeBasis: "bps", FeeBPS: 300, FeePayer: "split"}), 200)
	e.expect(e.do("POST", path+"/intermediary/response", f.broker.AccessToken, respondRequest{Accept: true}), 200)
	e.expect(e.do("POST", path+"/intermediary/fee", w.member.AccessToken, agreeRequest{Agree: true}), 200)
	e.expect(e.do("POST", path+"/offers", w.member.AccessToken, validOffer()), 200).json(&f.deal)
	var ns listResponse[notificationResponse]
	e.expect(e.do("GET", "/api/v1/notifications", w.member.AccessToken, nil), 200).json(&ns)
	if len(ns.Items) == 0 {
		e.t.Fatal("the seller got no notification")
	}
	f.sellerNotice = ns.Items[0].ID
	w.deals = f
	return f
}

// dealToken returns the broker's or the stranger's token for a route that
// states a verdict for them, building the deal fixture on first use.
func (w *world) dealToken(v verdict, who string) string {
	if v == 0 {
		return ""
	}
	f := w.dealFixture()
	if who == dealBroker {
		return f.broker.AccessToken
	}
	return f.stranger.AccessToken
}

func dealPath(suffix string) func(*world) string {
	return func(w *world) string { return "/api/v1/deals/" + w.dealFixture().deal.ID + suffix }
}

// The deal routes' policy. Callers run in the order anonymous, member
// (seller), other (buyer), admin, intermediary, stranger on one world, so
// a step the seller took first can leave the buyer a 409, which is still
// Allow: the route let them in and the deal's state answered.
var dealPolicies = map[string]routePolicy{
	"POST /api/v1/deals": {path: fixed("/api/v1/deals"),
		body: func(w *world) any {
			return openDealRequest{OutcomeID: w.dealFixture().outcomeID, Message: "我们也感兴趣"}
		},
		// the seller cannot buy its own outcome; the buyer's second open
		// deal is 409; the admin names no organisation (400); an
		// intermediary is no buyer; the stranger opens its own.
		// Neither an unverified account nor an unverified organisation opens one.
		anon: Deny, mem: Deny, other: Allow, admin: Allow, broker: Deny, stranger: Allow, unverified: Deny, unverifiedOrg: Deny},
	"GET /api/v1/deals": {path: fixed("/api/v1/deals"), anon: Deny, mem: Allow, other: Allow, admin: Allow, broker: Allow, stranger: Allow},
	"GET /api/v1/deals/:id": {path: dealPath(""),
		anon: Deny, mem: Allow, other: Allow, admin: Allow, broker: Allow, stranger: Deny},
	"GET /api/v1/deals/:id/listing": {path: dealPath("/listing"),
		anon: Deny, mem: Allow, other: Allow, admin: Allow, broker: Allow, stranger: Deny},
	"POST /api/v1/deals/:id/accept": {path: dealPath("/accept"),
		anon: Deny, mem: Allow, other: Allow, admin: Deny, broker: Deny, stranger: Deny},
	"POST /api/v1/deals/:id/decline": {path: dealPath("/decline"), body: body(reasonRequest{Reason: "no"}),
		anon: Deny, mem: Allow, other: Allow, admin: Deny, broker: Deny, stranger: Deny},
	"POST /api/v1/deals/:id/nda": {path: dealPath("/nda"), body: body(hashRequest{Hash: "x"}),
		anon: Deny, mem: Deny, other: Allow, admin: Deny, broker: Deny, stranger: Deny},
	"POST /api/v1/deals/:id/messages": {path: dealPath("/messages"), body: body(messageRequest{Body: "你好"}),
		anon: Deny, mem: Allow, other: Allow, admin: Deny, broker: Allow, stranger: Deny},
	"POST /api/v1/deals/:id/intermediary": {path: dealPath("/intermediary"),
		body: func(w *world) any {
			return inviteIntermediaryRequest{OrgID: w.dealFixture().brokerOrg.ID, FeeBasis: "fixed", FeeFixed: 100, FeeCurrency: "CNY", FeePayer: "buyer"}
		},
		anon: Deny, mem: Allow, other: Allow, admin: Deny, broker: Deny, stranger: Deny},
	"POST /api/v1/deals/:id/intermediary/response": {path: dealPath("/intermediary/response"), body: body(respondRequest{Accept: true}),
		anon: Deny, mem: Deny, other: Deny, admin: Deny, broker: Allow, stranger: Deny},
	"POST /api/v1/deals/:id/intermediary/fee": {path: dealPath("/intermediary/fee"), body: body(agreeRequest{Agree: true}),
		anon: Deny, mem: Allow, other: Allow, admin: Deny, broker: Deny, stranger: Deny},
	"POST /api/v1/deals/:id/offers": {path: dealPath("/offers"), body: func(*world) any { return validOffer() },
		anon: Deny, mem: Allow, other: Allow, admin: Deny, broker: Allow, stranger: Deny},
	// Offer 1 is the seller's: it may withdraw but not accept or reject it.
	"POST /api/v1/deals/:id/offers/:n/accept": {path: dealPath("/offers/1/accept"),
		anon: Deny, mem: Deny, other: Allow, admin: Deny, broker: Deny, stranger: Deny},
	"POST /api/v1/deals/:id/offers/:n/reject": {path: dealPath("/offers/1/reject"),
		anon: Deny, mem: Deny, other: Allow, admin: Deny, broker: Deny, stranger: Deny},
	// After the seller withdrew, the buyer's and the intermediary's tries
	// are a 409 on a withdrawn offer (TestDealOfferRules shows the buyer
	// cannot withdraw the seller's offer).
	"POST /api/v1/deals/:id/offers/:n/withdraw": {path: dealPath("/offers/1/withdraw"),
		anon: Deny, mem: Allow, other: Allow, admin: Deny, broker: Allow, stranger: Deny},
	"GET /api/v1/deals/:id/contract": {path: dealPath("/contract"),
		anon: Deny, mem: Allow, other: Allow, admin: Allow, broker: Allow, stranger: Deny},
	"POST /api/v1/deals/:id/contract/signatures": {path: dealPath("/contract/signatures"), body: body(hashRequest{Hash: "x"}),
		anon: Deny, mem: Allow, other: Allow, admin: Deny, broker: Deny, stranger: Deny},
	"POST /api/v1/deals/:id/cancel": {path: dealPath("/cancel"),
		anon: Deny, mem: Allow, other: Allow, admin: Deny, broker: Deny, stranger: Deny},
	// Registration, on a signed brokered deal (registration_policy_test.go):
	// the parties and the intermediary submit, the registry (registrars
	// and admins) registers or returns; everyone else is told nothing.
	"GET /api/v1/deals/:id/registration": {path: signedDealPath("/registration"),
		anon: Deny, mem: Allow, other: Allow, admin: Allow, broker: Allow, stranger: Deny, registrar: Allow},
	"POST /api/v1/deals/:id/registration/submission": {path: signedDealPath("/registration/submission"),
		anon: Deny, mem: Allow, other: Allow, admin: Deny, broker: Allow, stranger: Deny, registrar: Deny},
	"POST /api/v1/deals/:id/registration/return": {path: signedDealPath("/registration/return"), body: body(returnRegistrationRequest{Reason: "缺少签订地点"}),
		anon: Deny, mem: Deny, other: Deny, admin: Allow, broker: Deny, stranger: Deny, registrar: Allow},
	"POST /api/v1/deals/:id/registration/record": {path: signedDealPath("/registration/record"),
		body: func(*world) any { return recordRegistrationRequest{Number: "2026310000000001", Date: chinaToday()} },
		anon: Deny, mem: Deny, other: Deny, admin: Allow, broker: Deny, stranger: Deny, registrar: Allow},
	"GET /api/v1/registrations": {path: fixed("/api/v1/registrations"), anon: Deny, mem: Deny, other: Deny, admin: Allow, registrar: Allow},
	"PUT /api/v1/organizations/:id/profile": {path: orgA("/profile"), body: body(testProfile),
		anon: Deny, mem: Allow, other: Deny, admin: Allow, registrar: Deny},
	"GET /api/v1/deals/:id/milestones": {path: dealPath("/milestones"),
		anon: Deny, mem: Allow, other: Allow, admin: Allow, broker: Allow, stranger: Deny},
	"GET /api/v1/organizations/:id/intermediary-deals": {
		path: func(w *world) string {
			return "/api/v1/organizations/" + w.dealFixture().brokerOrg.ID + "/intermediary-deals"
		},
		anon: Deny, mem: Deny, other: Deny, admin: Allow, broker: Allow, stranger: Deny},
	"GET /api/v1/organizations/:id/nda": {path: func(w *world) string { w.dealFixture(); return "/api/v1/organizations/" + w.orgA.ID + "/nda" },
		anon: Allow, mem: Allow, other: Allow, admin: Allow, broker: Allow, stranger: Allow},
	"PUT /api/v1/organizations/:id/nda": {path: orgA("/nda"), body: body(ndaRequest{Text: "新版保密协议"}),
		anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"GET /api/v1/notifications": {path: fixed("/api/v1/notifications"), anon: Deny, mem: Allow, other: Allow, admin: Allow},
	// A notification to orgA: only orgA's members may mark it.
	"POST /api/v1/notifications/:id/read": {path: func(w *world) string {
		return "/api/v1/notifications/" + w.dealFixture().sellerNotice + "/read"
	}, anon: Deny, mem: Allow, other: Deny, admin: Deny, broker: Deny, stranger: Deny},
}

func init() { maps.Copy(policies, dealPolicies) }
