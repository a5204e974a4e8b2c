package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestE2EPaymentsManual runs the real serve command with the manual
// provider and a signed, brokered deal in its database, and drives the
// money in the browser: the buyer reports a bank transfer, an admin
// confirms receipt, the seller delivers, the buyer accepts and releases, an admin
// pays the seller out with a bank reference; the statements then show
// every amount to the cent.
func TestE2EPaymentsManual(t *testing.T) {
	chromium := findChromium(t)
	dir := t.TempDir()
	base := startServe(t, "--data-dir", dir, "--database-url=", "--redis-url=", "--meili-url=",
		"--stripe-secret-key=", "--platform-fee-bps=250")
	// The deal is set up through the store, as the deal end-to-end test
	// does: SQLite in WAL mode takes a second connection beside serve.
	db, err := sqlstore.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := market.NewService(db)
	// The contract fixes the platform fee in force when it is drafted:
	// the same 2.5% serve runs with.
	svc.Payments.PlatformBPS = 250
	dealID, ms := signedBrokeredDeal(t, svc, seedDealMarket(t, svc))
	room, payPage := base+"/deals/"+dealID, base+"/deals/"+dealID+"/payments"
	first := `#m-` + ms[0].ID

	buyer := newBrowser(t, chromium)
	dealLogin(t, buyer, base, "e2e-buyer@example.com")
	seller := newBrowser(t, chromium)
	dealLogin(t, seller, base, "e2e-seller@example.edu.cn")

	// The buyer finds the payments from the deal room. Milestone 1 is
	// 400.00; the buyer pays half the broker's 5% slice (10.00) on top.
	step(t, buyer, "open the payments page from the deal room",
		chromedp.Navigate(room),
		chromedp.WaitVisible(chromedp.CSS("a.payments-link")),
		clickAndLoad(chromedp.CSS("a.payments-link")),
		chromedp.WaitVisible(chromedp.CSS(first+" form.act-fund")))
	wantPath(t, buyer, "/deals/"+dealID+"/payments")
	wantMoney(t, buyer, first+" .ms-amount", "CNY 400.00", "¥400.00")
	wantMoney(t, buyer, first+" .ms-buyer-pays", "CNY 410.00", "¥410.00")
	wantMoney(t, buyer, first+" .fund-amount", "CNY 410.00", "¥410.00")
	screenshot(t, buyer, "payments-buyer-pending")

	// An empty reference comes back at its field; then the real one.
	step(t, buyer, "report the transfer without a reference",
		clickAndLoad(chromedp.CSS(first+" form.act-fund button[type=submit]")),
		chromedp.WaitVisible(chromedp.ID("fund-ref-1-error")))
	screenshot(t, buyer, "payments-fund-refused")
	step(t, buyer, "report the bank transfer",
		chromedp.SendKeys(chromedp.ID("fund-ref-1"), "ICBC-E2E-0001"),
		clickAndLoad(chromedp.CSS(first+" form.act-fund button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	wantText(t, buyer, first+" .fund-ref", "ICBC-E2E-0001")

	// The platform (an admin, who sees the escrow account) confirms
	// receipt; the seller, who is paid from escrow, may not. Then the
	// seller delivers.
	admin := newBrowser(t, chromium)
	dealLogin(t, admin, base, "e2e-deal-admin@techbridge.test")
	step(t, admin, "confirm receipt",
		chromedp.Navigate(payPage),
		chromedp.WaitVisible(chromedp.CSS(first+" form.act-confirm")),
		clickAndLoad(chromedp.CSS(first+" form.act-confirm button")),
		chromedp.WaitVisible(chromedp.CSS(first+`[data-state="funded"]`)))
	step(t, seller, "see the funding",
		chromedp.Navigate(payPage),
		chromedp.WaitVisible(chromedp.CSS(first+`[data-state="funded"]`)))
	wantMoney(t, seller, first+" .ms-funded", "CNY 410.00", "¥410.00")
	step(t, seller, "deliver",
		chromedp.SendKeys(chromedp.ID("note-deliver-1"), "样机与测试报告已上传"),
		clickAndLoad(chromedp.CSS(first+" form.act-deliver button")),
		chromedp.WaitVisible(chromedp.CSS(first+`[data-state="delivered"]`)))
	screenshot(t, seller, "payments-seller-delivered")

	// The buyer accepts and releases.
	step(t, buyer, "accept the delivery",
		chromedp.Navigate(payPage),
		chromedp.WaitVisible(chromedp.CSS(first+" form.act-accept")),
		clickAndLoad(chromedp.CSS(first+" form.act-accept button")),
		chromedp.WaitVisible(chromedp.CSS(first+`[data-state="accepted"]`)))
	step(t, buyer, "release",
		clickAndLoad(chromedp.CSS(first+" form.act-release button")),
		chromedp.WaitVisible(chromedp.CSS(first+`[data-state="released"]`)))
	// 410.00 divides: platform 2.5% of 400.00 = 10.00, broker 20.00,
	// seller the rest, 380.00.
	wantMoney(t, buyer, first+" .split-seller", "CNY 380.00", "¥380.00")
	wantMoney(t, buyer, first+" .split-platform", "CNY 10.00", "¥10.00")
	wantMoney(t, buyer, first+" .split-intermediary", "CNY 20.00", "¥20.00")
	wantMoney(t, buyer, ".sum-seller", "CNY 380.00", "¥380.00")
	wantMoney(t, buyer, ".sum-held", "CNY 0.00", "¥0.00")
	screenshot(t, buyer, "payments-released")
	// The same page in the other language keeps every amount.
	other := map[string]string{"en": "zh-CN", "zh-CN": "en"}[value(t, buyer, chromedp.AttributeValue(chromedp.CSS("html"), "lang")).Value]
	step(t, buyer, "switch language",
		clickAndLoad(chromedp.CSS(".lang-switch")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="`+other+`"] `+first)))
	wantMoney(t, buyer, first+" .split-seller", "CNY 380.00", "¥380.00")
	wantText(t, buyer, first+" .ms-state", map[string]string{"en": "Released", "zh-CN": "已放款"}[other])
	screenshot(t, buyer, "payments-released-"+other)

	step(t, buyer, "open the buyer's finance page",
		chromedp.Navigate(base+"/my/finance"),
		chromedp.WaitVisible(chromedp.CSS(".statements")))
	wantMoney(t, buyer, ".st-paid", "CNY 410.00", "¥410.00")
	wantMoney(t, buyer, ".st-held", "CNY 0.00", "¥0.00")
	wantMoney(t, buyer, ".ds-funded", "CNY 410.00", "¥410.00")
	screenshot(t, buyer, "finance-buyer")
	step(t, seller, "open the seller's finance page",
		chromedp.Navigate(base+"/my/finance"),
		chromedp.WaitVisible(chromedp.CSS(".statements")))
	wantMoney(t, seller, ".st-received", "CNY 380.00", "¥380.00")
	wantMoney(t, seller, ".st-owed", "CNY 380.00", "¥380.00")
	wantMoney(t, seller, ".st-fees", "CNY 20.00", "¥20.00") // its own: the platform's 10.00 and half the broker's 20.00

	// Finance (the money desk, no admin) pays the seller by bank and
	// records the reference.
	ctx := context.Background()
	acc, err := svc.CreateAdmin(ctx, market.NewAccount{Email: "e2e-finance@techbridge.test", Password: "correct horse battery",
		DisplayName: "Finance"}, market.RoleFinance)
	if err != nil {
		t.Fatal(err)
	}
	financeActor, err := svc.ActorFor(ctx, acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	fin := newBrowser(t, chromium)
	dealLogin(t, fin, base, "e2e-finance@techbridge.test")
	step(t, fin, "open the money desk",
		chromedp.Navigate(base+"/admin/finance"),
		chromedp.WaitVisible(chromedp.CSS(".desk-import")))
	screenshot(t, fin, "money-desk")
	ops, err := svc.Payouts(ctx, financeActor, market.PayPending)
	if err != nil {
		t.Fatal(err)
	}
	var sellerPayout string
	for _, op := range ops {
		if op.DealID == dealID && op.Amount == 38000 {
			sellerPayout = op.ID
		}
	}
	if sellerPayout == "" {
		t.Fatalf("no pending payout of 380.00 to the seller among %d", len(ops))
	}
	row := "#payout-" + sellerPayout
	step(t, fin, "open the payout list",
		chromedp.Navigate(base+"/admin/payouts"),
		chromedp.WaitVisible(chromedp.CSS(row)))
	wantMoney(t, fin, row+" .payout-amount", "CNY 380.00", "¥380.00")
	screenshot(t, fin, "payouts-pending")
	step(t, fin, "mark the payout paid",
		chromedp.SendKeys(chromedp.ID("payout-ref-"+sellerPayout), "PAYOUT-E2E-1"),
		clickAndLoad(chromedp.CSS(row+" form.act-paid button")),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	step(t, seller, "see the payout in the statement",
		chromedp.Navigate(base+"/my/finance"),
		chromedp.WaitVisible(chromedp.CSS(".statements")))
	wantMoney(t, seller, ".st-paid-out", "CNY 380.00", "¥380.00")
	wantMoney(t, seller, ".st-owed", "CNY 0.00", "¥0.00")
	screenshot(t, seller, "finance-seller")
}

// signedBrokeredDeal takes a deal on the outcome from inquiry to both
// signatures through the service: a broker at 5% of the contract value,
// paid half by each party, and milestones of 400.00 and 600.00 CNY.
func signedBrokeredDeal(t *testing.T, svc *market.Service, outcomeID string) (string, []market.Milestone) {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	actor := func(email string) market.Actor {
		acc, err := svc.Authenticate(ctx, email, "correct horse battery")
		must(err)
		a, err := svc.ActorFor(ctx, acc.ID)
		must(err)
		return a
	}
	acc, err := svc.RegisterVerified(ctx, market.NewAccount{Email: "e2e-broker@example.com", Password: "correct horse battery", DisplayName: "Broker"})
	must(err)
	brokerActor, err := svc.ActorFor(ctx, acc.ID)
	must(err)
	code := "91310000MA1E2E103"
	broker, err := svc.CreateOrganization(ctx, brokerActor, market.NewOrganization{Kind: market.OrgIntermediary, NameZH: "端到端技术经纪",
		Region: "上海市", CreditCode: code + string(market.CreditCodeCheckChar(code)), OrgProfile: sqltest.Profile()})
	must(err)
	_, err = svc.VerifyOrganization(ctx, market.Actor{AccountID: "e2e-admin", PlatformRole: market.RoleAdmin}, broker.ID, market.VerificationVerified, "")
	must(err)
	buyer, seller, brokerActor := actor("e2e-buyer@example.com"), actor("e2e-seller@example.edu.cn"), actor("e2e-broker@example.com")
	dv, err := svc.OpenDealOnOutcome(ctx, buyer, buyer.Memberships[0].OrgID, outcomeID, "我们希望了解技术许可条件")
	must(err)
	id := dv.Deal.ID
	act := func(a market.Actor, da market.DealAction) *market.DealView {
		t.Helper()
		v, err := svc.ActOnDeal(ctx, a, id, da)
		must(err)
		return v
	}
	act(seller, market.AcceptInquiry{})
	act(buyer, market.InviteIntermediary{OrgID: broker.ID, Fee: market.FeeTerms{Basis: market.FeeBasisBPS, BPS: 500, Payer: market.FeePayerSplit}})
	act(brokerActor, market.RespondIntermediary{Accept: true})
	act(seller, market.AgreeIntermediaryFee{Agree: true})
	due := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 1, 0)
	act(seller, market.ProposeOffer{Terms: market.OfferTerms{ContractType: market.ContractDevelopment, Currency: "CNY", Price: 100000,
		Milestones: []market.MilestoneTerms{{Title: "样机", Deliverable: "prototype and test report", Amount: 40000, Due: due},
			{Title: "验收", Deliverable: "final acceptance", Amount: 60000, Due: due.AddDate(0, 1, 0)}},
		Registration: sqltest.Registration(due)}})
	v := act(buyer, market.AcceptOffer{Number: 1})
	act(buyer, market.SignContract{Hash: v.Deal.Contract.Hash})
	act(seller, market.SignContract{Hash: v.Deal.Contract.Hash})
	ms, err := svc.DealMilestones(ctx, buyer, id)
	must(err)
	if len(ms) != 2 {
		t.Fatalf("%d milestones", len(ms))
	}
	return id, ms
}

// wantMoney checks that css shows an amount in the one format of the
// page's language (issue 11): en "CNY 1,500,000.00", zh "¥1,500,000.00".
func wantMoney(t *testing.T, ctx context.Context, css, en, zh string) {
	t.Helper()
	want := en
	if lang := value(t, ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang")).Value; strings.HasPrefix(lang, "zh") {
		want = zh
	}
	wantText(t, ctx, css, want)
}
