package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"techbridge/market"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/payments/manual"
)

// paySite is a site with the manual payment provider and a signed deal
// brokered by an intermediary: 5% fee split between the parties, a 2%
// platform fee, milestones of 400.00 and 600.00 CNY.
type paySite struct {
	*site
	buyer, seller, broker, stranger, admin *browser
	dealID, outcomeID                      string
	ms                                     []market.Milestone
}

func newPaySite(t *testing.T) *paySite {
	t.Helper()
	return newPaySiteIn(t, "CNY", market.Money{})
}

// newPaySiteIn is newPaySite with the deal in currency (the same minor
// units: a price of 100000, milestones of 40000 and 60000) on an outcome
// listed at price.
func newPaySiteIn(t *testing.T, currency string, price market.Money) *paySite {
	t.Helper()
	s := newSite(t)
	s.svc.Payments = market.Payments{Provider: manual.Provider{}, PlatformBPS: 200}
	ctx := context.Background()
	ps := &paySite{site: s}
	ps.seller = s.dealParty("seller@u.cn", market.OrgUniversity, "00001")
	ps.buyer = s.dealParty("buyer@e.cn", market.OrgEnterprise, "00002")
	ps.broker = s.dealParty("broker@i.cn", market.OrgIntermediary, "00004")
	ps.stranger = s.dealParty("x@e.cn", market.OrgEnterprise, "00003")
	admin, err := s.svc.CreateAdmin(ctx, market.NewAccount{Email: "a@x.cn", Password: testPassword, DisplayName: "a"}, market.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	ps.admin = s.browser()
	ps.admin.login("a@x.cn", testPassword)
	adminActor, _ := s.svc.ActorFor(ctx, admin.ID)
	sa, ba, ia := s.actor("seller@u.cn"), s.actor("buyer@e.cn"), s.actor("broker@i.cn")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	trl := 6
	o, err := s.svc.CreateOutcome(ctx, sa, sa.Memberships[0].OrgID, market.OutcomeInput{Title: "高效钙钛矿电池", Summary: "s", Description: "d", TRL: &trl, Price: price})
	must(err)
	o, err = s.svc.TransitionOutcome(ctx, sa, o.ID, o.Version, market.SubmitListing, "")
	must(err)
	_, err = s.svc.TransitionOutcome(ctx, adminActor, o.ID, o.Version, market.PublishListing, "")
	must(err)
	dv, err := s.svc.OpenDealOnOutcome(ctx, ba, ba.Memberships[0].OrgID, o.ID, "请报价")
	must(err)
	id := dv.Deal.ID
	act := func(a market.Actor, da market.DealAction) *market.DealView {
		t.Helper()
		v, err := s.svc.ActOnDeal(ctx, a, id, da)
		must(err)
		return v
	}
	act(sa, market.AcceptInquiry{})
	act(ba, market.InviteIntermediary{OrgID: ia.Memberships[0].OrgID, Fee: market.FeeTerms{Basis: market.FeeBasisBPS, BPS: 500, Payer: market.FeePayerSplit}})
	act(ia, market.RespondIntermediary{Accept: true})
	act(sa, market.AgreeIntermediaryFee{Agree: true})
	due := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 1, 0)
	act(sa, market.ProposeOffer{Terms: market.OfferTerms{ContractType: market.ContractDevelopment, Currency: currency, Price: 100000,
		Milestones: []market.MilestoneTerms{{Title: "样机", Deliverable: "prototype", Amount: 40000, Due: due},
			{Title: "验收", Deliverable: "acceptance", Amount: 60000, Due: due.AddDate(0, 1, 0)}},
		Registration: sqltest.Registration(due)}})
	v := act(ba, market.AcceptOffer{Number: 1})
	act(ba, market.SignContract{Hash: v.Deal.Contract.Hash})
	act(sa, market.SignContract{Hash: v.Deal.Contract.Hash})
	ps.dealID, ps.outcomeID = id, o.ID
	ps.ms, err = s.svc.DealMilestones(ctx, ba, id)
	must(err)
	if len(ps.ms) != 2 {
		t.Fatalf("%d milestones", len(ps.ms))
	}
	return ps
}

// milestone reads a milestone's current state from the service.
func (ps *paySite) milestone(i int) market.Milestone {
	ps.t.Helper()
	m, err := ps.svc.Milestone(context.Background(), ps.actor("buyer@e.cn"), ps.ms[i].ID)
	if err != nil {
		ps.t.Fatal(err)
	}
	return *m
}

// payAct loads the payments page and submits one milestone action from it,
// with the milestone's current version unless vals sets one.
func (ps *paySite) payAct(b *browser, i int, action string, vals url.Values) *page {
	ps.t.Helper()
	path := "/deals/" + ps.dealID + "/payments"
	b.get(path)
	if vals == nil {
		vals = url.Values{}
	}
	vals.Set("milestone", ps.ms[i].ID)
	vals.Set("action", action)
	if vals.Get("version") == "" {
		vals.Set("version", strconv.FormatInt(ps.milestone(i).Version, 10))
	}
	return b.submit(path, vals)
}

// section returns the HTML of milestone i's card on a payments page.
func (ps *paySite) section(p *page, i int) string {
	ps.t.Helper()
	start := strings.Index(p.body, `id="m-`+ps.ms[i].ID+`"`)
	if start < 0 {
		ps.t.Fatalf("milestone %d is not on %s", i+1, p.path)
	}
	end := strings.Index(p.body[start:], "</article>")
	return p.body[start : start+end]
}

// TestPaymentsPageManualFlow drives a milestone from the buyer's bank
// transfer to release on the pages, with the amounts to the cent, refused
// input in place and the forms each role may use.
func TestPaymentsPageManualFlow(t *testing.T) {
	ps := newPaySite(t)
	path := "/deals/" + ps.dealID + "/payments"

	// Who sees it: the parties, the intermediary and admins; strangers get
	// 404 and anonymous visitors the login page.
	if p := ps.stranger.get(path); p.status != 404 {
		t.Fatalf("stranger: %d", p.status)
	}
	if p := ps.site.browser().get(path); p.status != 200 || !strings.HasPrefix(p.path, "/login") {
		t.Fatalf("anonymous: %d %s", p.status, p.path)
	}
	if p := ps.buyer.get("/deals/" + ps.dealID); !p.has(`href="/deals/` + ps.dealID + `/payments" class="payments-link"`) {
		t.Fatal("the deal room does not link to its payments")
	}
	if p := ps.admin.get("/my/finance"); !p.has(`href="/admin/payouts"`) {
		t.Fatal("an admin's header lacks the payouts link")
	}
	p := ps.buyer.get(path)
	if p.has(`href="/admin/payouts"`) {
		t.Fatal("a buyer's header links to the payouts")
	}
	sec := ps.section(p, 0)
	// 400.00 price; buyer pays half the 5% fee on top (10.00); on release
	// the platform takes 2% of the price (8.00), the broker 5% (20.00).
	for _, want := range []string{"¥400.00", `class="ms-buyer-pays">¥410.00`, "¥382.00", "¥8.00", "¥20.00", "¥410.00", "act-fund"} {
		if !strings.Contains(sec, want) {
			t.Errorf("buyer's milestone 1 lacks %q", want)
		}
	}
	if strings.Contains(sec, "act-confirm") || strings.Contains(sec, "act-deliver") {
		t.Error("the buyer is offered a seller's action")
	}
	if p := ps.broker.get(path); p.status != 200 || strings.Contains(p.body, `class="stack pay-form`) || strings.Contains(p.body, `class="pay-form`) {
		t.Fatalf("intermediary: %d, or offered a form", p.status)
	}
	if p := ps.seller.get(path); strings.Contains(ps.section(p, 0), "act-fund") {
		t.Fatal("the seller is offered the buyer's funding form")
	}

	// No reference: refused next to the field, nothing recorded.
	p = ps.payAct(ps.buyer, 0, "fund", url.Values{"reference": {"  "}})
	if p.status != 422 || !strings.Contains(p.field(t, "fund-ref-1"), "field-error") {
		t.Fatalf("fund without a reference: %d\n%s", p.status, p.body)
	}
	p = ps.payAct(ps.buyer, 0, "fund", url.Values{"reference": {"ICBC-2024-0001"}})
	if p.status != 200 || !p.has("ICBC-2024-0001") || !p.has(`class="notice"`) || ps.milestone(0).State != market.MilestonePending {
		t.Fatalf("fund: %d %s", p.status, p.path)
	}
	// A form on a page loaded before someone else acted is refused plainly.
	stale := strconv.FormatInt(ps.milestone(0).Version, 10)
	if p := ps.payAct(ps.buyer, 0, "confirm", nil); p.status != 403 || !strings.Contains(ps.section(p, 0), "pay-error") {
		t.Fatalf("buyer confirming their own transfer: %d", p.status)
	}
	// Issue 11: the seller, paid from escrow, cannot vouch for it.
	if p := ps.payAct(ps.seller, 0, "confirm", nil); p.status != 403 || ps.milestone(0).State != market.MilestonePending {
		t.Fatalf("seller confirming the buyer's transfer: %d %s", p.status, ps.milestone(0).State)
	}
	p = ps.payAct(ps.admin, 0, "confirm", nil)
	if m := ps.milestone(0); m.State != market.MilestoneFunded || m.Funded != 41000 {
		t.Fatalf("after confirm: %s funded %d", m.State, m.Funded)
	}
	p = ps.payAct(ps.seller, 0, "deliver", url.Values{"version": {stale}, "note": {"样机与测试报告"}})
	if p.status != 409 || !strings.Contains(ps.section(p, 0), "pay-error") || !strings.Contains(ps.section(p, 0), "样机与测试报告") {
		t.Fatalf("stale deliver: %d, or the note was lost", p.status)
	}
	if p := ps.payAct(ps.seller, 0, "deliver", url.Values{"note": {""}}); p.status != 422 || !strings.Contains(p.field(t, "note-deliver-1"), "field-error") {
		t.Fatalf("deliver without a note: %d", p.status)
	}
	ps.payAct(ps.seller, 0, "deliver", url.Values{"note": {"样机与测试报告"}})
	p = ps.buyer.get(path)
	if sec := ps.section(p, 0); !strings.Contains(sec, "act-accept") || !strings.Contains(sec, "act-request_changes") || !strings.Contains(sec, "样机与测试报告") {
		t.Fatal("the buyer cannot review the delivery")
	}
	ps.payAct(ps.buyer, 0, "accept", nil)
	p = ps.payAct(ps.buyer, 0, "release", nil)
	if m := ps.milestone(0); m.State != market.MilestoneReleased {
		t.Fatalf("after release: %s", m.State)
	}
	sec = ps.section(p, 0)
	if !strings.Contains(sec, `data-state="released"`) || !strings.Contains(sec, "split-seller") || !strings.Contains(sec, "¥382.00") {
		t.Fatalf("released milestone:\n%s", sec)
	}
	if !p.has(`class="sum-seller">¥382.00`) || !p.has(`class="sum-platform">¥8.00`) || !p.has(`class="sum-intermediary">¥20.00`) {
		t.Fatal("the deal summary does not show the release")
	}

	// Statements: the buyer paid 410.00, the seller is owed 382.00, the
	// broker earned 20.00. Each party's fees are its own (issue 11): the
	// buyer half the broker's 20.00, the seller the platform's 8.00 and
	// the other half; not the deal's 28.00 for both.
	if p := ps.buyer.get("/my/finance"); !p.has(`st-paid">¥410.00`) || !p.has(`st-fees">¥10.00`) {
		t.Fatalf("buyer's statement:\n%s", p.body)
	}
	if p := ps.seller.get("/my/finance"); !p.has(`st-received">¥382.00`) || !p.has(`st-owed">¥382.00`) || !p.has(`st-fees">¥18.00`) {
		t.Fatalf("seller's statement:\n%s", p.body)
	}
	// The seller's statement downloads as CSV (with a BOM for Excel) and
	// XLSX, read back with excelize; a period before the release is empty.
	sellerOrgID := ps.actor("seller@u.cn").Memberships[0].OrgID
	csvPage := ps.seller.get("/my/finance/statement.csv?org=" + sellerOrgID)
	if csvPage.status != 200 || !strings.HasPrefix(csvPage.body, "\ufeff") ||
		!strings.Contains(csvPage.body, "CNY,0.00,382.00,0.00,382.00,0.00,18.00,0.00") {
		t.Fatalf("CSV statement %d:\n%q", csvPage.status, csvPage.body)
	}
	xlsx := ps.seller.get("/my/finance/statement.xlsx?org=" + sellerOrgID)
	x, err := excelize.OpenReader(strings.NewReader(xlsx.body))
	if err != nil {
		t.Fatalf("XLSX statement %d: %v", xlsx.status, err)
	}
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil || len(rows) != 2 || rows[1][0] != "CNY" || rows[1][2] != "382" || rows[1][6] != "18" {
		t.Fatalf("XLSX rows %q %v", rows, err)
	}
	x.Close()
	early := ps.seller.get("/my/finance/statement.csv?org=" + sellerOrgID + "&to=2020-01-01")
	if early.status != 200 || strings.Count(early.body, "\n") != 1 {
		t.Fatalf("statement of a period before any money moved:\n%q", early.body)
	}
	if p := ps.stranger.get("/my/finance/statement.csv?org=" + sellerOrgID); p.status != 403 {
		t.Fatalf("a stranger downloads another organisation's statement: %d", p.status)
	}
	if p := ps.broker.get("/my/finance"); !p.has(`st-earnings">¥20.00`) || !p.has(`ds-intermediary">¥20.00`) {
		t.Fatalf("broker's statement:\n%s", p.body)
	}
	if p := ps.stranger.get("/my/finance?org=" + ps.actor("seller@u.cn").Memberships[0].OrgID); p.status != 403 {
		t.Fatalf("a stranger's finance page for another organisation: %d", p.status)
	}

	// The admin pays the seller by bank: no reference is refused in its row.
	if p := ps.seller.get("/admin/payouts"); p.status != 403 {
		t.Fatalf("a seller sees payouts: %d", p.status)
	}
	// Issue 11: payees give their payout account in the pages, and the
	// admin's list shows it, so the payout can actually be paid.
	sellerOrg := ps.actor("seller@u.cn").Memberships[0].OrgID
	ps.seller.get("/my/organizations")
	if p := ps.seller.submit("/my/organizations/"+sellerOrg+"/payout", url.Values{"payout_ref": {""}}); p.status != 422 || !strings.Contains(p.field(t, "payout-ref-"+sellerOrg), "field-error") {
		t.Fatalf("an empty payout account: %d", p.status)
	}
	ps.seller.get("/my/organizations")
	account := "中国银行上海分行 · 某某大学 · 4563 5100 0000 1234"
	if p := ps.seller.submit("/my/organizations/"+sellerOrg+"/payout", url.Values{"payout_ref": {account}}); p.status != 200 || !strings.Contains(p.path, "done=payout_account_set") || !p.has(account) {
		t.Fatalf("saving the payout account: %d %s", p.status, p.path)
	}
	p = ps.admin.get("/admin/payouts")
	if p.status != 200 || !p.has("¥382.00") || !p.has("¥20.00") {
		t.Fatalf("payouts:\n%s", p.body)
	}
	if !p.has("<code>"+account+"</code>") || !p.has("尚未填写收款账户") && !p.has("has not given a payout account") {
		t.Fatalf("the payout list does not show the seller's account beside the broker's missing one:\n%s", p.body)
	}
	ops, err := ps.svc.Payouts(context.Background(), ps.actor("a@x.cn"), market.PayPending)
	if err != nil || len(ops) != 2 {
		t.Fatalf("pending payouts: %d %v", len(ops), err)
	}
	var sellerOp market.PaymentOp
	for _, op := range ops {
		if op.Amount == 38200 {
			sellerOp = op
		}
	}
	if p := ps.admin.submit("/admin/payouts/"+sellerOp.ID+"/paid", url.Values{"reference": {""}}); p.status != 422 || !strings.Contains(p.field(t, "payout-ref-"+sellerOp.ID), "field-error") {
		t.Fatalf("paid without a reference: %d", p.status)
	}
	ps.admin.get("/admin/payouts")
	if p := ps.admin.submit("/admin/payouts/"+sellerOp.ID+"/paid", url.Values{"reference": {"PAYOUT-77"}}); p.status != 200 || p.has("payout-"+sellerOp.ID) {
		t.Fatalf("mark paid: %d, still listed as pending", p.status)
	}
	if p := ps.seller.get("/my/finance"); !p.has(`st-paid-out">¥382.00`) || !p.has(`st-owed">¥0.00`) {
		t.Fatalf("seller's statement after the payout:\n%s", p.body)
	}
}

// TestPaymentsDisputeSettleEnglish disputes a milestone and has an admin
// settle it with a partial refund, on the English pages; a refund beyond
// the escrow comes back at its field with the amount typed.
func TestPaymentsDisputeSettleEnglish(t *testing.T) {
	ps := newPaySite(t)
	for _, b := range []*browser{ps.buyer, ps.seller, ps.admin} {
		b.header.Set("Accept-Language", "en")
	}
	ps.payAct(ps.buyer, 1, "fund", url.Values{"reference": {"BOC-9"}})
	ps.payAct(ps.admin, 1, "confirm", nil) // the platform confirms receipt
	if m := ps.milestone(1); m.State != market.MilestoneFunded || m.Funded != 61500 {
		t.Fatalf("funded: %s %d", m.State, m.Funded)
	}
	p := ps.payAct(ps.seller, 1, "refund", url.Values{"amount": {"700"}})
	if p.status != 422 || !strings.Contains(p.field(t, "refund-amount-2"), `value="700"`) ||
		!strings.Contains(p.field(t, "refund-amount-2"), "CNY 615.00") {
		t.Fatalf("refund beyond the escrow: %d", p.status)
	}
	if p := ps.payAct(ps.buyer, 1, "dispute", url.Values{"note": {"prototype fails the spec"}}); !p.has("Dispute opened") {
		t.Fatalf("dispute: %d", p.status)
	}
	if p := ps.buyer.get("/deals/" + ps.dealID + "/payments"); strings.Contains(ps.section(p, 1), "act-settle") {
		t.Fatal("the buyer is offered the admin's settlement")
	}
	p = ps.payAct(ps.admin, 1, "settle", url.Values{"outcome": {"partial"}, "amount": {"115.00"}, "note": {"half works"}})
	m := ps.milestone(1)
	if m.State != market.MilestoneReleased || m.Refunded != 11500 {
		t.Fatalf("settled: %s refunded %d", m.State, m.Refunded)
	}
	sec := ps.section(p, 1)
	if !p.has("Dispute settled") || !strings.Contains(sec, "Refund to") || !strings.Contains(sec, "CNY 115.00") || !strings.Contains(sec, "Split on release (booked)") {
		t.Fatalf("settled milestone:\n%s", sec)
	}
	// 500.00 of 615.00 released: fees shrink in proportion.
	if !strings.Contains(sec, `class="split-gross"`) || !strings.Contains(sec, "CNY 500.00") {
		t.Fatalf("settled split:\n%s", sec)
	}
}

// TestPaymentsFormNeedsToken refuses a milestone action without the form
// token and leaves the milestone as it was.
func TestPaymentsFormNeedsToken(t *testing.T) {
	ps := newPaySite(t)
	path := "/deals/" + ps.dealID + "/payments"
	ps.buyer.get(path)
	p := ps.buyer.post(path, url.Values{"milestone": {ps.ms[0].ID}, "action": {"fund"}, "version": {"1"}, "reference": {"X-1"}})
	if p.status != 403 {
		t.Fatalf("no token: %d", p.status)
	}
	if p := ps.buyer.get(path); p.has("X-1") {
		t.Fatal("the transfer was recorded without a token")
	}
}

func TestParseAmount(t *testing.T) {
	for _, c := range []struct {
		in, cur string
		want    int64
		ok      bool
	}{
		{"1000", "CNY", 100000, true},
		{"1,000.5", "CNY", 100050, true},
		{"0.07", "CNY", 7, true},
		{"12.345", "CNY", 0, false},
		{"12.", "CNY", 0, false},
		{"-3", "CNY", 0, false},
		{"1e3", "CNY", 0, false},
		{"", "CNY", 0, false},
		{"500", "JPY", 500, true},
		{"1.5", "JPY", 0, false},
		{"1.234", "KWD", 1234, true},
		{"10", "XXX", 0, false},
	} {
		got, ok := parseAmount(c.in, c.cur)
		if got != c.want || ok != c.ok {
			t.Errorf("parseAmount(%q, %s) = %d %v, want %d %v", c.in, c.cur, got, ok, c.want, c.ok)
		}
	}
}

// TestMoneyPagesOneFormatPerLanguage: the statement, the admin payout list
// and a listing's price range each show the page language's one format
// (issue 11), for a currency with cents and one without. They used to
// print "38200.00 CNY", "38200 JPY" and "800,000–1,500,000 CNY" (a JPY
// range divided by 100).
func TestMoneyPagesOneFormatPerLanguage(t *testing.T) {
	tests := []struct {
		currency           string
		lo, hi             int64
		zhRange, enRange   string
		zhSeller, enSeller string
		zhBroker, enBroker string
		zhFees, enFees     string
	}{
		{"CNY", 80_000_000, 150_000_000, "¥800,000.00–1,500,000.00", "CNY 800,000.00–1,500,000.00",
			"¥382.00", "CNY 382.00", "¥20.00", "CNY 20.00", "¥18.00", "CNY 18.00"},
		{"JPY", 800_000, 1_500_000, "JP¥800,000–1,500,000", "JPY 800,000–1,500,000",
			"JP¥38,200", "JPY 38,200", "JP¥2,000", "JPY 2,000", "JP¥1,800", "JPY 1,800"},
	}
	for _, tt := range tests {
		t.Run(tt.currency, func(t *testing.T) {
			ps := newPaySiteIn(t, tt.currency, market.Money{Min: tt.lo, Max: tt.hi, Currency: tt.currency})
			ps.payAct(ps.buyer, 0, "fund", url.Values{"reference": {"REF-1"}})
			ps.payAct(ps.admin, 0, "confirm", nil)
			ps.payAct(ps.seller, 0, "deliver", url.Values{"note": {"done"}})
			ps.payAct(ps.buyer, 0, "accept", nil)
			if ps.payAct(ps.buyer, 0, "release", nil); ps.milestone(0).State != market.MilestoneReleased {
				t.Fatalf("not released: %s", ps.milestone(0).State)
			}
			anon := ps.browser()
			for _, lang := range []string{"zh", "en"} {
				rng, seller, broker, fees := tt.zhRange, tt.zhSeller, tt.zhBroker, tt.zhFees
				if lang == "en" {
					rng, seller, broker, fees = tt.enRange, tt.enSeller, tt.enBroker, tt.enFees
				}
				for _, b := range []*browser{ps.seller, ps.admin, anon} {
					b.header.Set("Accept-Language", lang)
				}
				for _, path := range []string{"/outcomes/" + ps.outcomeID, "/outcomes"} {
					if p := anon.get(path); !p.has(rng) {
						t.Errorf("%s %s lacks the price range %q:\n%s", lang, path, rng, p.body)
					}
				}
				if p := ps.seller.get("/my/finance"); !p.has(`st-received">`+seller+`<`) || !p.has(`st-fees">`+fees+`<`) {
					t.Errorf("%s statement lacks %q received and %q fees:\n%s", lang, seller, fees, p.body)
				}
				if p := ps.admin.get("/admin/payouts"); !p.has(`payout-amount">`+seller+`<`) || !p.has(`payout-amount">`+broker+`<`) {
					t.Errorf("%s payout list lacks %q and %q:\n%s", lang, seller, broker, p.body)
				}
			}
		})
	}
}
