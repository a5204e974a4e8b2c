package ledger_test

import (
	"errors"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/ledger"
)

var postT0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// twoMilestoneDeal is a CNY deal worth 3000.00 in two milestones, a 5%
// platform fee and a 3% intermediary fee the buyer pays on top.
func twoMilestoneDeal() Deal {
	ms := []market.Milestone{
		{ID: "m1", DealID: "d1", Seq: 1, Amount: 100000, Currency: "CNY", State: market.MilestonePending, Version: 1},
		{ID: "m2", DealID: "d1", Seq: 2, Amount: 200000, Currency: "CNY", State: market.MilestonePending, Version: 1},
	}
	return Deal{ID: "d1", BuyerOrgID: "buyer", SellerOrgID: "seller", IntermediaryOrgID: "broker", Currency: "CNY",
		PlatformBPS: 500, Fee: bpsTerms(300, market.FeePayerBuyer), Provider: market.ProviderBank, Milestones: ms}
}

// step applies a command and returns the milestone and its posting.
func step(t *testing.T, d Deal, m market.Milestone, role market.MilestoneRole, action string, amount int64) (market.Milestone, market.Transaction) {
	t.Helper()
	cmd := market.MilestoneCommand{Action: action, Version: m.Version, Amount: amount, Note: "n"}
	n, _, err := market.ApplyMilestone(m, role, cmd, postT0)
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	tx, moved, err := PostMilestone(d, n, cmd, postT0)
	if err != nil {
		t.Fatalf("post %s: %v", action, err)
	}
	if moved {
		if err := tx.Validate(); err != nil {
			t.Fatalf("%s posting does not balance: %v", action, err)
		}
	}
	return n, tx
}

func entries(tx market.Transaction) map[market.AccountKey]int64 {
	m := map[market.AccountKey]int64{}
	for _, e := range tx.Entries {
		m[e.Account] += e.Amount
	}
	return m
}

func sameEntries(t *testing.T, name string, tx market.Transaction, want map[market.AccountKey]int64) {
	t.Helper()
	got := entries(tx)
	if len(got) != len(want) {
		t.Errorf("%s: entries %v, want %v", name, got, want)
		return
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s is %d, want %d", name, k, got[k], v)
		}
	}
}

func TestPostingsOfAHappyPath(t *testing.T) {
	d := twoMilestoneDeal()
	m := d.Milestones[0]
	m, fund := step(t, d, m, market.MilestoneByBuyer, market.MilestoneFund, 103000)
	sameEntries(t, "fund", fund, map[market.AccountKey]int64{"clearing:bank": -103000, "escrow:deal:d1": 103000})
	if fund.Kind != market.TxFund || fund.IdempotencyKey != "milestone:m1:fund" || fund.Refs.DealID != "d1" || fund.Refs.MilestoneID != "m1" {
		t.Errorf("fund: %+v", fund)
	}
	m, _ = step(t, d, m, market.MilestoneBySeller, market.MilestoneDeliver, 0)
	m, _ = step(t, d, m, market.MilestoneByBuyer, market.MilestoneAccept, 0)
	_, rel := step(t, d, m, market.MilestoneBySystem, market.MilestoneRelease, 0)
	sameEntries(t, "release", rel, map[market.AccountKey]int64{
		"escrow:deal:d1": -103000, "payable:org:seller": 95000, "platform:revenue": 5000, "payable:org:broker": 3000})
	if rel.IdempotencyKey != "milestone:m1:release" || rel.Kind != market.TxRelease {
		t.Errorf("release: %+v", rel)
	}
	b := market.ComputeBalances([]market.Transaction{fund, rel})
	if b.Of(market.EscrowAccount("d1"), "CNY") != 0 || b.Sum("CNY") != 0 {
		t.Errorf("balances after release: %v", b)
	}
}

func TestPostingsOfRefundAndSettlement(t *testing.T) {
	d := twoMilestoneDeal()
	m := d.Milestones[1] // 2000.00 + 60.00 fee on top
	m, _ = step(t, d, m, market.MilestoneByAdmin, market.MilestoneFund, 206000)
	m, r1 := step(t, d, m, market.MilestoneBySeller, market.MilestoneRefund, 6000)
	sameEntries(t, "refund", r1, map[market.AccountKey]int64{"escrow:deal:d1": -6000, "clearing:bank": 6000})
	m, r2 := step(t, d, m, market.MilestoneBySeller, market.MilestoneRefund, 100000)
	if r1.IdempotencyKey == r2.IdempotencyKey || r1.IdempotencyKey != "milestone:m2:refund:v3" {
		t.Errorf("refund keys %q %q", r1.IdempotencyKey, r2.IdempotencyKey)
	}
	m, _ = step(t, d, m, market.MilestoneByBuyer, market.MilestoneDispute, 0)
	// 100000 of 206000 is left; the admin gives 50000 more back and releases 50000.
	_, st := step(t, d, m, market.MilestoneByAdmin, market.MilestoneSettle, 50000)
	// Fees shrink to 50000/206000 of 10000 and 6000: 2427 and 1456.
	sameEntries(t, "settle", st, map[market.AccountKey]int64{"escrow:deal:d1": -100000, "clearing:bank": 50000,
		"payable:org:seller": 50000 - 2427 - 1456, "platform:revenue": 2427, "payable:org:broker": 1456})
	if st.IdempotencyKey != "milestone:m2:settle" || st.Kind != market.TxSettle {
		t.Errorf("settle: %+v", st)
	}
}

func TestPostingRefusals(t *testing.T) {
	d := twoMilestoneDeal()
	funded := d.Milestones[0]
	funded.State, funded.Funded, funded.Version = market.MilestoneFunded, 100000, 2 // forgot the buyer's fee
	if _, _, err := PostMilestone(d, funded, market.MilestoneCommand{Action: market.MilestoneFund}, postT0); market.ErrorCode(err) != market.EINVALID || !errors.Is(err, ledger.ErrInvalid) {
		t.Errorf("short funding: %v", err)
	}
	if _, _, err := PostMilestone(d, funded, market.MilestoneCommand{Action: market.MilestoneRelease}, postT0); market.ErrorCode(err) != market.ECONFLICT {
		t.Errorf("release before the transition: %v", err)
	}
	if _, _, err := PostMilestone(d, funded, market.MilestoneCommand{Action: market.MilestoneRefund, Amount: 1}, postT0); market.ErrorCode(err) != market.EINVALID {
		t.Errorf("refund nothing refunded: %v", err)
	}
	stranger := funded
	stranger.ID = "m9"
	if _, err := ledger.PostFund(d.ledgerDeal(), market.LedgerMilestone(stranger), postT0); !errors.Is(err, ledger.ErrInvalid) {
		t.Errorf("foreign milestone: %v", err)
	}
	noBroker := d
	noBroker.IntermediaryOrgID = ""
	if _, err := noBroker.Split(d.Milestones[0]); market.ErrorCode(err) != market.EINVALID {
		t.Errorf("fee without intermediary: %v", err)
	}
	if _, moved, err := PostMilestone(d, funded, market.MilestoneCommand{Action: market.MilestoneDeliver}, postT0); moved || err != nil {
		t.Errorf("deliver moves no money: %v %v", moved, err)
	}
}

func TestPostPayout(t *testing.T) {
	tx, err := ledger.PostPayout(ledger.Payout{ID: "p1", OrgID: "seller", Currency: "CNY", Amount: 95000, Provider: market.ProviderStripe, External: "tr_1"}, postT0)
	if err != nil {
		t.Fatal(err)
	}
	sameEntries(t, "payout", tx, map[market.AccountKey]int64{"payable:org:seller": -95000, "clearing:stripe": 95000})
	if tx.IdempotencyKey != "payout:p1" || tx.Refs.OrgID != "seller" || tx.Refs.External != "tr_1" {
		t.Errorf("payout: %+v", tx)
	}
	// More than the payable holds is refused by the balances, not the posting.
	if err := (market.Balances{}).CanPost(tx); market.ErrorCode(err) != market.ECONFLICT {
		t.Errorf("overdrawn payable: %v", err)
	}
	if _, err := ledger.PostPayout(ledger.Payout{ID: "p2", OrgID: "Seller!", Currency: "CNY", Amount: 0, Provider: "paypal"}, postT0); market.ErrorCode(err) != market.EINVALID {
		t.Errorf("bad payout: %v", err)
	}
}

func TestPostingDeal(t *testing.T) {
	fee := bpsTerms(200, market.FeePayerSplit)
	md := market.Deal{ID: "d1", BuyerOrgID: "buyer", SellerOrgID: "seller", Contract: &market.Contract{
		Terms: market.OfferTerms{Currency: "CNY"}, Intermediary: &market.ContractParty{OrgID: "broker"}, IntermediaryFee: &fee}}
	d, err := market.PostingDeal(md, twoMilestoneDeal().Milestones, 500, market.ProviderStripe)
	if err != nil || d.IntermediaryOrgID != "broker" || d.Fee != fee || d.Currency != "CNY" || d.PlatformBPS != 500 || len(d.Milestones) != 2 {
		t.Fatalf("%+v %v", d, err)
	}
	md.Contract = nil
	if _, err := market.PostingDeal(md, nil, 500, market.ProviderStripe); market.ErrorCode(err) != market.ECONFLICT {
		t.Fatalf("unsigned deal: %v", err)
	}
}
