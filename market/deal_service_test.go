package market_test

import (
	"context"
	"testing"

	"techbridge/market"
	"techbridge/market/demo"
	"techbridge/market/sqlstore/sqltest"
)

// demoMarket registers an owner per organisation kind and publishes one
// outcome per seller; it returns the service and the org ids by name.
func demoMarket(t *testing.T) (*market.Service, map[string]string) {
	t.Helper()
	ctx := context.Background()
	svc := market.NewService(sqltest.MustOpen(t))
	admin, err := svc.CreateAdmin(ctx, market.NewAccount{Email: "admin@x.cn", Password: "long enough pass", DisplayName: "a"}, market.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	adminActor, _ := svc.ActorFor(ctx, admin.ID)
	orgs := map[string]string{}
	for i, o := range []struct{ name, kind string }{
		{"uni", market.OrgUniversity}, {"inst", market.OrgInstitute}, {"ent1", market.OrgEnterprise},
		{"ent2", market.OrgEnterprise}, {"ent3", market.OrgEnterprise}, {"bureau", market.OrgPublicBody}, {"broker", market.OrgIntermediary}} {
		acc, err := svc.RegisterVerified(ctx, market.NewAccount{Email: o.name + "@x.cn", Password: "long enough pass", DisplayName: o.name})
		if err != nil {
			t.Fatal(err)
		}
		a, _ := svc.ActorFor(ctx, acc.ID)
		org, err := svc.CreateOrganization(ctx, a, market.NewOrganization{Kind: o.kind, NameZH: o.name, Region: "上海", CreditCode: sqltest.ValidCreditCode(500 + i),
			OrgProfile: sqltest.Profile()})
		if err != nil {
			t.Fatal(err)
		}
		orgs[o.name] = org.ID
		if _, err := svc.VerifyOrganization(ctx, adminActor, org.ID, market.VerificationVerified, ""); err != nil {
			t.Fatal(err)
		}
		if o.kind != market.OrgUniversity && o.kind != market.OrgInstitute {
			continue
		}
		a, _ = svc.ActorFor(ctx, acc.ID)
		for j, conf := range []string{market.ConfidentialityPublic, market.ConfidentialityTeaser} {
			trl := 5
			out, err := svc.CreateOutcome(ctx, a, org.ID, market.OutcomeInput{Title: o.name + " 成果", Summary: "s", Description: "d",
				TRL: &trl, Confidentiality: conf, ExternalID: string(rune('a' + j))})
			if err != nil {
				t.Fatal(err)
			}
			if out, err = svc.TransitionOutcome(ctx, a, out.ID, out.Version, market.SubmitListing, ""); err != nil {
				t.Fatal(err)
			}
			if _, err = svc.TransitionOutcome(ctx, adminActor, out.ID, out.Version, market.PublishListing, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	return svc, orgs
}

// TestSeedDemoDeals checks the demo deals reach their stages, the signed
// one with its intermediary and milestones.
func TestSeedDemoDeals(t *testing.T) {
	svc, orgs := demoMarket(t)
	ctx := context.Background()
	n, err := demo.SeedDeals(ctx, svc, demo.Deals{
		Buyers:       []string{orgs["ent1"], orgs["ent2"], orgs["ent3"], orgs["bureau"]},
		Intermediary: orgs["broker"]})
	if err != nil || n != 4 {
		t.Fatalf("seeded %d, %v", n, err)
	}
	all, err := svc.Deals(ctx, market.SystemActor, market.DealFilter{})
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, v := range all {
		states[v.Deal.State]++
		if v.Deal.State == market.DealSigned {
			if v.Deal.Intermediary == nil || !v.Deal.Intermediary.Active() || v.Deal.Contract.Intermediary == nil {
				t.Errorf("signed demo deal without an active intermediary: %+v", v.Deal.Intermediary)
			}
			ms, err := svc.DealMilestones(ctx, market.Actor{AccountID: "x", PlatformRole: market.RoleAdmin}, v.Deal.ID)
			if err != nil || len(ms) != 2 || ms[0].Amount+ms[1].Amount != v.Deal.Contract.Terms.Price {
				t.Errorf("milestones of the signed deal: %+v, %v", ms, err)
			}
		}
	}
	want := map[string]int{market.DealInquiry: 1, market.DealNegotiation: 1, market.DealSigned: 1, market.DealContractDrafted: 1}
	for k, v := range want {
		if states[k] != v {
			t.Fatalf("demo deal states %v, want %v", states, want)
		}
	}
	fees, err := svc.IntermediaryDeals(ctx, market.SystemActor, orgs["broker"], 0)
	if err != nil || len(fees) != 1 || !fees[0].FeeFinal || fees[0].FeeEstimate != fees[0].Deal.Contract.Terms.Price*300/10000 {
		t.Fatalf("intermediary fees %+v, %v", fees, err)
	}
}

// TestSeedDemoDealsPublishNDAs: every owner of a confidential outcome has an
// NDA after the seed, also those no demo deal touches (here one buyer, so
// one deal), so "Start an inquiry" works on each confidential outcome.
func TestSeedDemoDealsPublishNDAs(t *testing.T) {
	svc, orgs := demoMarket(t)
	ctx := context.Background()
	if n, err := demo.SeedDeals(ctx, svc, demo.Deals{Buyers: []string{orgs["ent1"]}}); err != nil || n != 1 {
		t.Fatalf("seeded %d, %v", n, err)
	}
	// Every owner of a confidential outcome has an NDA, also those no demo
	// deal touches, so "Start an inquiry" works on each of them.
	page, err := svc.Outcomes(ctx, market.SystemActor, market.OutcomeFilter{Status: market.ListingPublished, Limit: market.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	confidential := 0
	for _, o := range page.Items {
		if o.Confidential() {
			confidential++
			if _, err := svc.CurrentNDA(ctx, o.OrgID); err != nil {
				t.Errorf("owner of confidential outcome %q has no NDA: %v", o.Title, err)
			}
		}
	}
	if confidential < 2 {
		t.Fatalf("only %d confidential outcomes in the fixture", confidential)
	}
}

// TestAskToBrokerAndTrackRecord: a verified broker asks to join a deal by
// its id; it sees nothing until both parties agree; the track record counts
// the signed deals of parties and of the active broker only.
func TestAskToBrokerAndTrackRecord(t *testing.T) {
	svc, orgs := demoMarket(t)
	ctx := context.Background()
	if _, err := demo.SeedDeals(ctx, svc, demo.Deals{
		Buyers: []string{orgs["ent1"], orgs["ent2"], orgs["ent3"]}, Intermediary: orgs["broker"]}); err != nil {
		t.Fatal(err)
	}
	all, err := svc.Deals(ctx, market.SystemActor, market.DealFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var inquiry, signed *market.Deal
	for i := range all {
		switch all[i].Deal.State {
		case market.DealInquiry:
			inquiry = &all[i].Deal
		case market.DealSigned:
			signed = &all[i].Deal
		}
	}
	broker := actorOf(t, svc, "broker@x.cn")
	buyer := actorOf(t, svc, "ent1@x.cn")
	fee := market.FeeTerms{Basis: market.FeeBasisBPS, BPS: 200, Payer: market.FeePayerBuyer}
	if err := svc.AskToBroker(ctx, buyer, inquiry.ID, market.JoinRequest{OrgID: orgs["ent1"], Fee: fee}); market.ErrorCode(err) != market.EINVALID {
		t.Fatalf("an enterprise asking to broker: %v", err)
	}
	if err := svc.AskToBroker(ctx, broker, inquiry.ID, market.JoinRequest{OrgID: orgs["ent1"], Fee: fee}); market.ErrorCode(err) != market.EFORBIDDEN {
		t.Fatalf("asking for another's organisation: %v", err)
	}
	if err := svc.AskToBroker(ctx, broker, "no-such-deal", market.JoinRequest{OrgID: orgs["broker"], Fee: fee}); market.ErrorCode(err) != market.ENOTFOUND {
		t.Fatalf("unknown deal: %v", err)
	}
	if err := svc.AskToBroker(ctx, broker, inquiry.ID, market.JoinRequest{OrgID: orgs["broker"], Fee: fee}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Deal(ctx, broker, inquiry.ID); market.ErrorCode(err) != market.ENOTFOUND {
		t.Fatalf("the asking broker sees the deal: %v", err)
	}
	keyOf := map[string]string{}
	for k, id := range orgs {
		keyOf[id] = k
	}
	for _, org := range []string{inquiry.BuyerOrgID, inquiry.SellerOrgID} {
		if _, err := svc.ActOnDeal(ctx, actorOf(t, svc, keyOf[org]+"@x.cn"), inquiry.ID, market.AgreeIntermediaryFee{Agree: true}); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := svc.Deal(ctx, broker, inquiry.ID); err != nil || v.As.Role != market.DealRoleIntermediary || !v.Deal.Intermediary.Active() {
		t.Fatalf("after both agreed the broker: %v", err)
	}

	tr, err := svc.TrackRecord(ctx, orgs["broker"])
	if err != nil || tr.BrokeredSigned != 1 || tr.DealsSigned != 0 {
		t.Fatalf("broker track record %+v, %v", tr, err)
	}
	tr, err = svc.TrackRecord(ctx, signed.SellerOrgID)
	if err != nil || tr.DealsSigned != 1 || tr.BrokeredSigned != 0 {
		t.Fatalf("seller track record %+v, %v", tr, err)
	}
	if _, err := svc.TrackRecord(ctx, "no-such-org"); market.ErrorCode(err) != market.ENOTFOUND {
		t.Fatalf("unknown org: %v", err)
	}
}

// actorOf is the actor of a demoMarket account.
func actorOf(t *testing.T, svc *market.Service, email string) market.Actor {
	t.Helper()
	acc, err := svc.Authenticate(context.Background(), email, "long enough pass")
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.ActorFor(context.Background(), acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
