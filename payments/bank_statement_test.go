package payments_test

import (
	"fmt"
	"strings"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/payments/manual"
	"techbridge/payments/paytest"
)

// TestBankStatementImport is issue 11's bank-statement import: a finance
// account imports a CSV of incoming transfers (Chinese headers, quoted
// amounts with thousands separators and a comma inside a quoted remittance
// text), each matched by its TB- reference and amount to the milestone
// waiting for it. The matching line funds its milestone (the buyer never
// reported it), and every other line is kept and reported with its
// reason: wrong amount, wrong currency, no reference, an unknown
// reference, an unreadable amount, and a second payment of a milestone
// already funded. Re-importing the file changes nothing and reports every
// line as a duplicate; a later line with the right amount funds the
// second milestone, which the buyer had reported. Parties cannot import;
// the ledger checks clean. On both engines.
func TestBankStatementImport(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db, manual.Provider{}, 100000, 200000)
		finance := paytest.Staff(t, db, "finance@x.cn", market.RoleFinance)
		m0, m1 := w.milestone(0), w.milestone(1)
		ref0, ref1 := market.EscrowReference(m0.ID), market.EscrowReference(m1.ID)
		if ref0 == ref1 {
			t.Fatalf("two milestones of one contract share the reference %s", ref0)
		}
		// Fee 5% split over 300,000: the buyer pays 100,000 + 2,500 and 200,000 + 5,000.
		csv := "\ufeff日期,金额,币种,附言,付款人\n" +
			fmt.Sprintf("2026-03-01,\"1,025.00\",CNY,\"货款, 第一期 %s\",某某公司\n", ref0) +
			fmt.Sprintf("2026-03-02,2000.00,CNY,%s,某某公司\n", ref1) +
			"2026-03-02,50.00,CNY,no reference here,Someone\n" +
			"2026-03-03,50.00,CNY,TB-000000000000,Someone\n" +
			fmt.Sprintf("2026-03-03,abc,CNY,%s,Someone\n", ref1) +
			fmt.Sprintf("2026-03-04,\"2,050.00\",USD,%s,某某公司\n", ref1) +
			fmt.Sprintf("2026/03/05,1025,CNY,%s,某某公司\n", strings.ToLower(strings.ReplaceAll(ref0, "-", " ")))

		if _, err := w.svc.ImportBankStatement(w.ctx, w.buyer.Actor, strings.NewReader(csv)); market.ErrorCode(err) != market.EFORBIDDEN {
			t.Fatalf("a party imports a statement: %v", err)
		}
		got, err := w.svc.ImportBankStatement(w.ctx, finance, strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		want := []struct{ status, reason string }{
			{market.BankLineMatched, ""},
			{market.BankLineMismatched, market.BankReasonAmount},
			{market.BankLineUnmatched, market.BankReasonNoReference},
			{market.BankLineUnmatched, market.BankReasonNoMilestone},
			{market.BankLineInvalid, market.BankReasonUnreadable},
			{market.BankLineMismatched, market.BankReasonCurrency},
			{market.BankLineMismatched, market.BankReasonNotAwaiting},
		}
		if len(got.Lines) != len(want) {
			t.Fatalf("%d lines, want %d: %+v", len(got.Lines), len(want), got.Lines)
		}
		for i, l := range got.Lines {
			if l.Line.Status != want[i].status || l.Line.Reason != want[i].reason || l.Duplicate || l.Line.LineNo != i+2 {
				t.Errorf("line %d: %s/%s (%s), want %s/%s", i+2, l.Line.Status, l.Line.Reason, l.Line.Detail, want[i].status, want[i].reason)
			}
		}
		if d := got.Lines[1].Line.Detail; !strings.Contains(d, "awaits 2050.00 CNY") || !strings.Contains(d, "2000.00 CNY") {
			t.Errorf("the amount mismatch does not say what was awaited: %s", d)
		}
		if m := w.milestone(0); m.State != market.MilestoneFunded || m.Funded != 102500 {
			t.Fatalf("milestone 0 after the import: %s funded %d", m.State, m.Funded)
		}
		if m := w.milestone(1); m.State != market.MilestonePending {
			t.Fatalf("milestone 1 was funded by a wrong amount: %s", m.State)
		}
		w.checkLedger()
		balances := w.balances()

		again, err := w.svc.ImportBankStatement(w.ctx, finance, strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range again.Lines {
			if !l.Duplicate || l.Line.Status != want[i].status || l.Line.ImportID != got.ImportID {
				t.Errorf("re-import line %d: duplicate %v, %s, import %s", i+2, l.Duplicate, l.Line.Status, l.Line.ImportID)
			}
		}
		if b := w.balances(); fmt.Sprint(b) != fmt.Sprint(balances) {
			t.Fatalf("re-importing moved money: %v → %v", balances, b)
		}
		open, err := w.svc.BankLines(w.ctx, finance, market.BankLineMismatched)
		if err != nil || len(open) != 3 {
			t.Fatalf("mismatched lines kept: %d, %v", len(open), err)
		}
		if _, err := w.svc.BankLines(w.ctx, w.seller.Actor, ""); market.ErrorCode(err) != market.EFORBIDDEN {
			t.Fatalf("a party reads the statement: %v", err)
		}

		// The buyer reports milestone 1; the next statement has the right amount.
		if _, err := w.svc.FundMilestone(w.ctx, w.buyer.Actor, m1.ID, market.FundInput{Version: m1.Version, Reference: "ICBC-2"}); err != nil {
			t.Fatal(err)
		}
		next, err := w.svc.ImportBankStatement(w.ctx, finance, strings.NewReader(
			"date,amount,currency,reference,payer\n"+fmt.Sprintf("2026-03-09,\"2,050.00\",CNY,%s,Example Co\n", ref1)))
		if err != nil || len(next.Lines) != 1 || next.Lines[0].Line.Status != market.BankLineMatched {
			t.Fatalf("the right amount: %+v %v", next, err)
		}
		if m := w.milestone(1); m.State != market.MilestoneFunded || m.Funded != 205000 {
			t.Fatalf("milestone 1: %s funded %d", m.State, m.Funded)
		}
		w.checkLedger()

		// A file without the columns is refused whole, naming what is missing.
		_, err = w.svc.ImportBankStatement(w.ctx, finance, strings.NewReader("date,amount\n2026-03-01,1\n"))
		if market.ErrorCode(err) != market.EINVALID || !strings.Contains(market.ErrorMessage(err), "currency, reference, payer") {
			t.Fatalf("a statement without columns: %v", err)
		}
	})
}

// TestFinanceRole: a finance account confirms a reported bank transfer and
// pays payouts, as an admin may; a reviewer, and a finance account that is
// a member of the paying party, may not confirm.
func TestFinanceRole(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db, manual.Provider{}, 100000)
		finance := paytest.Staff(t, db, "finance@x.cn", market.RoleFinance)
		reviewer := paytest.Staff(t, db, "reviewer@x.cn", market.RoleReviewer)
		m := w.milestone(0)
		if _, err := w.svc.FundMilestone(w.ctx, w.buyer.Actor, m.ID, market.FundInput{Version: m.Version, Reference: "ICBC-9"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.ConfirmFunding(w.ctx, reviewer, m.ID, m.Version); market.ErrorCode(err) != market.ENOTFOUND {
			t.Fatalf("a reviewer confirms: %v", err)
		}
		buyerFinance := w.buyer.Actor
		buyerFinance.PlatformRole = market.RoleFinance
		if _, err := w.svc.ConfirmFunding(w.ctx, buyerFinance, m.ID, m.Version); market.ErrorCode(err) != market.EFORBIDDEN {
			t.Fatalf("finance staff who belongs to the buyer confirms its own transfer: %v", err)
		}
		if _, err := w.svc.ConfirmFunding(w.ctx, finance, m.ID, m.Version); err != nil {
			t.Fatalf("finance confirms: %v", err)
		}
		w.mustAct(w.seller.Actor, 0, market.MilestoneDeliver, 0)
		w.mustAct(w.buyer.Actor, 0, market.MilestoneAccept, 0)
		w.mustAct(w.buyer.Actor, 0, market.MilestoneRelease, 0)
		if _, err := w.svc.Payouts(w.ctx, reviewer, market.PayPending); market.ErrorCode(err) != market.EFORBIDDEN {
			t.Fatalf("a reviewer lists payouts: %v", err)
		}
		ops, err := w.svc.Payouts(w.ctx, finance, market.PayPending)
		if err != nil || len(ops) == 0 {
			t.Fatalf("finance lists payouts: %d %v", len(ops), err)
		}
		for _, op := range ops {
			if _, err := w.svc.MarkPayoutPaid(w.ctx, finance, op.ID, "WIRE-"+op.ID[:6]); err != nil {
				t.Fatalf("finance pays %s: %v", op.ID, err)
			}
		}
		if left, _ := w.svc.Payouts(w.ctx, finance, market.PayPending); len(left) != 0 {
			t.Fatalf("%d payouts left", len(left))
		}
		w.checkLedger()
	})
}
