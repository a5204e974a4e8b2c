package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"techbridge/market"
)

// TestFinanceDeskPaysFromThePages is issue 11's "the payout list can
// actually be paid from the pages", by the finance role: a finance account
// (no admin) sees the buyer's reported transfer and confirms it; imports a
// bank statement whose line funds the second milestone (a re-import
// funds nothing twice, a wrong amount is kept and shown as mismatched);
// and after the release pays every payout from the payout list, each
// shown with the payee's account. Parties get neither page nor link.
func TestFinanceDeskPaysFromThePages(t *testing.T) {
	ps := newPaySite(t)
	ctx := context.Background()
	if _, err := ps.svc.CreateAdmin(ctx, market.NewAccount{Email: "fin@x.cn", Password: testPassword, DisplayName: "财务"}, market.RoleFinance); err != nil {
		t.Fatal(err)
	}
	fin := ps.site.browser()
	fin.login("fin@x.cn", testPassword)
	if p := ps.buyer.get("/admin/finance"); p.status != 403 || p.has(`href="/admin/finance"`) {
		t.Fatalf("the buyer on the money desk: %d", p.status)
	}

	ps.payAct(ps.buyer, 0, "fund", url.Values{"reference": {"ICBC-2026-0001"}})
	p := fin.get("/admin/finance")
	ref0, ref1 := market.EscrowReference(ps.ms[0].ID), market.EscrowReference(ps.ms[1].ID)
	for _, want := range []string{`href="/admin/finance"`, `href="/admin/payouts"`, "ICBC-2026-0001", ref0, "¥410.00", "act-confirm"} {
		if !p.has(want) {
			t.Errorf("the money desk lacks %q", want)
		}
	}
	// Finance reads no deal (it is no party): the desk names the deal without linking to it.
	if p.has(`href="/deals/`) {
		t.Error("the desk links finance to a deal page it may not read")
	}
	p = fin.submit("/admin/finance/confirm", url.Values{"milestone": {ps.ms[0].ID}, "version": {strconv.FormatInt(ps.milestone(0).Version, 10)}})
	if m := ps.milestone(0); p.status != 200 || m.State != market.MilestoneFunded || m.Funded != 41000 {
		t.Fatalf("finance confirms: %d, %s funded %d", p.status, m.State, m.Funded)
	}

	// Milestone 2: 600.00 and half of its 30.00 broker fee.
	statement := "日期,金额,币种,附言,付款人\n" +
		fmt.Sprintf("2026-04-01,600.00,CNY,\"第二期 %s\",某某公司\n", ref1) +
		fmt.Sprintf("2026-04-02,\"615.00\",CNY,\"第二期 %s\",某某公司\n", ref1)
	fin.get("/admin/finance")
	p = fin.upload("/admin/finance/statements", nil, "statement.csv", statement)
	if p.status != 200 || !p.has(`class="line-mismatched"`) || !p.has(`class="line-matched"`) || !p.has("金额与应付金额不符") {
		t.Fatalf("statement import: %d\n%s", p.status, p.body)
	}
	if m := ps.milestone(1); m.State != market.MilestoneFunded || m.Funded != 61500 {
		t.Fatalf("milestone 2 after the statement: %s funded %d", m.State, m.Funded)
	}
	p = fin.upload("/admin/finance/statements", nil, "statement.csv", statement)
	if p.status != 200 || strings.Count(p.body, "此前已导入") < 3 || ps.milestone(1).Funded != 61500 {
		t.Fatalf("re-import: %d", p.status)
	}
	if p = fin.get("/admin/finance"); !p.has("awaits 615.00 CNY") {
		t.Fatal("the mismatched line is not kept on the desk")
	}

	// Release milestone 1; the payees gave their accounts; finance pays.
	sa, ba, ia := ps.actor("seller@u.cn"), ps.actor("buyer@e.cn"), ps.actor("broker@i.cn")
	for _, a := range []market.Actor{sa, ia} {
		if _, err := ps.svc.SetPayoutAccount(ctx, a, a.Memberships[0].OrgID, "中国银行 · 账户 "+a.Memberships[0].OrgID[:4]); err != nil {
			t.Fatal(err)
		}
	}
	for _, step := range []struct {
		a      market.Actor
		action string
	}{{sa, market.MilestoneDeliver}, {ba, market.MilestoneAccept}, {ba, market.MilestoneRelease}} {
		m := ps.milestone(0)
		if _, err := ps.svc.ActOnMilestone(ctx, step.a, m.ID, market.MilestoneAction{Action: step.action, Version: m.Version, Note: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	p = fin.get("/admin/payouts")
	if p.status != 200 || !p.has("¥382.00") || !p.has("¥20.00") || !p.has("中国银行 · 账户") {
		t.Fatalf("finance's payout list: %d\n%s", p.status, p.body)
	}
	if p.has(`href="/deals/`) {
		t.Error("the payout list links finance to a deal page it may not read")
	}
	ops, err := ps.svc.Payouts(ctx, ps.actor("fin@x.cn"), market.PayPending)
	if err != nil || len(ops) != 2 {
		t.Fatalf("pending payouts: %d %v", len(ops), err)
	}
	for _, op := range ops {
		fin.get("/admin/payouts")
		if p := fin.submit("/admin/payouts/"+op.ID+"/paid", url.Values{"reference": {"BOC-" + op.ID[:6]}}); p.status != 200 {
			t.Fatalf("paying %s: %d", op.ID, p.status)
		}
	}
	if left, _ := ps.svc.Payouts(ctx, ps.actor("fin@x.cn"), market.PayPending); len(left) != 0 {
		t.Fatalf("%d payouts left after paying from the page", len(left))
	}
}
