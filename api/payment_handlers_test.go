package api

import (
	"bytes"
	"maps"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"techbridge/market"
	"techbridge/payments/manual"
	"techbridge/payments/paytest"
	"techbridge/payments/stripe"
)

// payFixture is the payment routes' part of the world: orgA (member) buys
// from a seller organisation outside the world in a signed deal with one
// milestone of CNY 1000.00, on the manual provider; orgB (other) has no
// part. A pending payout exists for the admin routes.
type payFixture struct {
	deal      market.Deal
	milestone market.Milestone
	payoutID  string
}

var payFixtures sync.Map // *world → *payFixture

func (w *world) payments() *payFixture {
	if f, ok := payFixtures.Load(w); ok {
		return f.(*payFixture)
	}
	t := w.e.t
	w.e.svc.Payments = market.Payments{Provider: manual.Provider{}, PlatformBPS: 200}
	seller := paytest.Org(t, w.e.db, market.OrgUniversity, "pay-seller@s.example.cn")
	d, ms := paytest.SignedDeal(t, w.e.db, paytest.Deal{BuyerOrgID: w.orgA.ID, SellerOrgID: seller.Org.ID})
	now := time.Now().UTC()
	op := market.PaymentOp{ID: market.NewID(), Kind: market.PayTransfer, Provider: market.ProviderBank, State: market.PayPending,
		DealID: d.ID, MilestoneID: ms[0].ID, OrgID: seller.Org.ID, Amount: 100, Currency: "CNY",
		IdempotencyKey: "fixture:" + market.NewID(), CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := w.e.db.Update(t.Context(), func(tx market.Tx) error { return tx.CreatePaymentOp(&op) }); err != nil {
		t.Fatal(err)
	}
	f := &payFixture{deal: d, milestone: ms[0], payoutID: op.ID}
	payFixtures.Store(w, f)
	return f
}

func milestonePath(suffix string) func(*world) string {
	return func(w *world) string { return "/api/v1/milestones/" + w.payments().milestone.ID + suffix }
}

func adminMilestonePath(suffix string) func(*world) string {
	return func(w *world) string { return "/api/v1/admin/milestones/" + w.payments().milestone.ID + suffix }
}

func payoutPath(suffix string) func(*world) string {
	return func(w *world) string { return "/api/v1/admin/payouts/" + w.payments().payoutID + suffix }
}

func payOrgA(suffix string) func(*world) string {
	return func(w *world) string { w.payments(); return "/api/v1/organizations/" + w.orgA.ID + suffix }
}

var v1 = body(milestoneRequest{Version: 1})

// paymentPolicies join the route policy table. In these rows "member" is
// the buyer; the admin is no party, so only platform actions are theirs.
var paymentPolicies = map[string]routePolicy{
	"POST /webhooks/stripe": {path: func(w *world) string { w.payments(); return "/webhooks/stripe" }, body: body(map[string]string{"id": "evt"}),
		anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"POST /api/v1/milestones/:id/fund": {path: milestonePath("/fund"), body: body(milestoneRequest{Version: 1, Reference: "ICBC-1"}),
		anon: Deny, mem: Allow, other: Deny, admin: Deny},
	"POST /api/v1/milestones/:id/fund/confirm":    {path: milestonePath("/fund/confirm"), body: v1, anon: Deny, mem: Deny, other: Deny, admin: Allow, finance: Allow},
	"POST /api/v1/milestones/:id/deliver":         {path: milestonePath("/deliver"), body: body(milestoneRequest{Version: 1, Note: "done"}), anon: Deny, mem: Deny, other: Deny, admin: Deny},
	"POST /api/v1/milestones/:id/request-changes": {path: milestonePath("/request-changes"), body: body(milestoneRequest{Version: 1, Note: "more"}), anon: Deny, mem: Allow, other: Deny, admin: Deny},
	"POST /api/v1/milestones/:id/accept":          {path: milestonePath("/accept"), body: v1, anon: Deny, mem: Allow, other: Deny, admin: Deny},
	"POST /api/v1/milestones/:id/release":         {path: milestonePath("/release"), body: v1, anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"POST /api/v1/milestones/:id/refund":          {path: milestonePath("/refund"), body: body(milestoneRequest{Version: 1, Amount: 1}), anon: Deny, mem: Deny, other: Deny, admin: Allow, finance: Deny},
	"POST /api/v1/milestones/:id/dispute":         {path: milestonePath("/dispute"), body: body(milestoneRequest{Version: 1, Note: "late"}), anon: Deny, mem: Allow, other: Deny, admin: Deny},
	"GET /api/v1/deals/:id/payments": {path: func(w *world) string { return "/api/v1/deals/" + w.payments().deal.ID + "/payments" },
		anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"GET /api/v1/organizations/:id/statement":        {path: payOrgA("/statement"), anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"GET /api/v1/organizations/:id/earnings":         {path: payOrgA("/earnings"), anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"POST /api/v1/organizations/:id/payment-account": {path: payOrgA("/payment-account"), body: body(onboardRequest{ReturnURL: "https://x.example/back"}), anon: Deny, mem: Allow, other: Deny, admin: Allow},
	"PUT /api/v1/organizations/:id/payout-account": {path: payOrgA("/payout-account"), body: body(payoutAccountRequest{PayoutRef: "ICBC 上海分行 · 某某大学 · 6222 0000 1234"}),
		anon: Deny, mem: Allow, other: Deny, admin: Deny},
	"POST /api/v1/admin/milestones/:id/settle": {path: adminMilestonePath("/settle"), body: v1, anon: Deny, mem: Deny, other: Deny, admin: Allow, finance: Deny},
	"GET /api/v1/admin/payouts":                {path: func(w *world) string { w.payments(); return "/api/v1/admin/payouts?state=pending" }, anon: Deny, mem: Deny, other: Deny, admin: Allow, finance: Allow},
	"POST /api/v1/admin/payouts/:id/paid":      {path: payoutPath("/paid"), body: body(payoutPaidRequest{Reference: "WIRE-1"}), anon: Deny, mem: Deny, other: Deny, admin: Allow, finance: Allow},
	"POST /api/v1/admin/payouts/:id/retry":     {path: payoutPath("/retry"), anon: Deny, mem: Deny, other: Deny, admin: Allow, finance: Allow},
	"POST /api/v1/admin/bank-statements": {path: func(w *world) string { w.payments(); return "/api/v1/admin/bank-statements" },
		body: body(typedBody{"text/csv", "date,amount,currency,reference,payer\n2026-03-01,1000.00,CNY,TB-000000000000,X\n"}),
		anon: Deny, mem: Deny, other: Deny, admin: Allow, finance: Allow},
	"GET /api/v1/admin/bank-statement-lines": {path: fixed("/api/v1/admin/bank-statement-lines?status=unmatched"), anon: Deny, mem: Deny, other: Deny, admin: Allow, finance: Allow},
}

func init() { maps.Copy(policies, paymentPolicies) }

// TestPaymentsOverHTTP runs a manual milestone from funding to payout
// through the API and checks the statements.
func TestPaymentsOverHTTP(t *testing.T) {
	w := newWorld(t)
	f := w.payments()
	// The fixture seller has no password: it acts through the service.
	seller := w.e.actorOf("pay-seller@s.example.cn")
	mid := f.milestone.ID
	var before dealPaymentsResponse
	w.e.expect(w.e.do("GET", "/api/v1/deals/"+f.deal.ID+"/payments", w.member.AccessToken, nil), 200).json(&before)
	for _, m := range before.Milestones {
		if m.ID == mid && (len(m.Actions) != 1 || m.Actions[0] != market.MilestoneFund) {
			t.Fatalf("the buyer's actions on a pending milestone: %v", m.Actions)
		}
	}
	var op paymentOpResponse
	w.e.expect(w.e.do("POST", "/api/v1/milestones/"+mid+"/fund", w.member.AccessToken, milestoneRequest{Version: 1, Reference: "ICBC-778"}), 202).json(&op)
	if op.Amount != 100000 || op.Reference != "ICBC-778" || op.Display != "1000.00 CNY" {
		t.Fatalf("fund op %+v", op)
	}
	// Issue 11: the seller may not vouch for the escrow; the platform does.
	if _, err := w.e.svc.ConfirmFunding(t.Context(), seller, mid, 1); market.ErrorCode(err) != market.EFORBIDDEN {
		t.Fatalf("seller confirms the buyer's transfer: %v", err)
	}
	w.e.expect(w.e.do("POST", "/api/v1/milestones/"+mid+"/fund/confirm", w.admin.AccessToken, milestoneRequest{Version: 1}), 200)
	m, err := w.e.svc.ActOnMilestone(t.Context(), seller, mid, market.MilestoneAction{Action: market.MilestoneDeliver, Version: 2,
		Note: "report", Files: []string{"s3://bucket/report.pdf"}})
	if err != nil {
		t.Fatal(err)
	}
	var got milestoneMoneyResponse
	w.e.expect(w.e.do("POST", "/api/v1/milestones/"+mid+"/accept", w.member.AccessToken, milestoneRequest{Version: m.Version}), 200).json(&got)
	w.e.expect(w.e.do("POST", "/api/v1/milestones/"+mid+"/release", w.member.AccessToken, milestoneRequest{Version: got.Version - 1}), 409).problem()
	w.e.expect(w.e.do("POST", "/api/v1/milestones/"+mid+"/release", w.member.AccessToken, milestoneRequest{Version: got.Version}), 200).json(&got)
	if got.State != market.MilestoneReleased {
		t.Fatalf("after release %+v", got)
	}
	var sts listResponse[statementResponse]
	w.e.expect(w.e.do("GET", "/api/v1/organizations/"+w.orgA.ID+"/statement", w.member.AccessToken, nil), 200).json(&sts)
	if len(sts.Items) != 1 || sts.Items[0].Paid != 100000 || sts.Items[0].Held != 0 || sts.Items[0].Display["paid"] != "1000.00 CNY" {
		t.Fatalf("buyer statement %+v", sts.Items)
	}
	var payouts listResponse[paymentOpResponse]
	w.e.expect(w.e.do("GET", "/api/v1/admin/payouts?state=pending", w.admin.AccessToken, nil), 200).json(&payouts)
	var sellerPayout string
	for _, p := range payouts.Items {
		if p.MilestoneID == mid && p.Kind == market.PayTransfer && p.ID != f.payoutID {
			sellerPayout = p.ID
			if p.Amount != 98000 { // 2% platform fee
				t.Fatalf("seller payout %+v", p)
			}
		}
	}
	w.e.expect(w.e.do("POST", "/api/v1/admin/payouts/"+sellerPayout+"/paid", w.admin.AccessToken, payoutPaidRequest{Reference: "WIRE-9"}), 200)
	var dp dealPaymentsResponse
	w.e.expect(w.e.do("GET", "/api/v1/deals/"+f.deal.ID+"/payments", w.member.AccessToken, nil), 200).json(&dp)
	if dp.Funded != 100000 || dp.Seller != 98000 || dp.Platform != 2000 || dp.Held != 0 || len(dp.Transactions) != 3 {
		t.Fatalf("deal payments %+v", dp)
	}
	// The money view (market.Service.DealMoney, the pages' answer too):
	// the released milestone's booked shares, and nothing left to do.
	var mv *milestoneMoneyResponse
	for i := range dp.Milestones {
		if dp.Milestones[i].ID == mid {
			mv = &dp.Milestones[i]
		}
	}
	if mv == nil || mv.Shares == nil || !mv.Shares.Booked || mv.Shares.Seller != 98000 || mv.Shares.Platform != 2000 ||
		mv.BuyerPays == nil || *mv.BuyerPays != 100000 || len(mv.Actions) != 0 || dp.PlatformBPS != 200 || dp.Provider != market.ProviderBank {
		t.Fatalf("money view of the released milestone: %+v", mv)
	}
}

// TestStripeWebhookRoute: a bad signature is 401, a good one 200, and its
// redelivery 200 as a duplicate.
func TestStripeWebhookRoute(t *testing.T) {
	w := newWorld(t)
	w.payments()
	p, err := stripe.New(stripe.Config{SecretKey: "sk_test_x", WebhookSecret: "whsec_api", APIBase: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	w.e.svc.Payments.Provider = p
	body := []byte(`{"id":"evt_api_1","object":"event","type":"customer.created","created":1700000000,"api_version":"` + stripego.APIVersion + `","data":{"object":{}}}`)
	good := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: "whsec_api"})
	bad := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: "whsec_wrong"})
	post := func(sig string) response {
		req := httptest.NewRequest("POST", "/webhooks/stripe", bytes.NewReader(body))
		req.Header.Set("Stripe-Signature", sig)
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
		req.RemoteAddr = "192.0.2.1:1234"
		return response{serve(w.e, req), t}
	}
	w.e.expect(post(bad.Header), 401).problem()
	var first, second map[string]any
	w.e.expect(post(good.Header), 200).json(&first)
	w.e.expect(post(good.Header), 200).json(&second)
	if first["outcome"] != "ignored: customer.created" || second["outcome"] != "duplicate" {
		t.Fatalf("outcomes %v then %v", first, second)
	}
}
