package payments_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/payments/manual"
	"techbridge/payments/paytest"
	"techbridge/payments/stripe"
)

const webhookSecret = "whsec_test_secret"

// countingStripe is the real Stripe provider for webhooks, with the calls
// that would reach Stripe answered locally and counted.
type countingStripe struct {
	*stripe.Provider
	transfers, refunds atomic.Int64
	keys               sync.Map // idempotency keys sent
}

func (c *countingStripe) StartFunding(_ context.Context, op market.PaymentOp, _ string) (market.PaymentOp, error) {
	op.ExternalRef, op.ClientSecret = "pi_"+op.MilestoneID, "secret"
	return op, nil
}

func (c *countingStripe) Transfer(_ context.Context, op market.PaymentOp, payee *market.PaymentAccount, _ string) (string, bool, error) {
	if payee == nil {
		return "", false, market.Errorf(market.ECONFLICT, "no connected account")
	}
	if _, dup := c.keys.LoadOrStore(op.IdempotencyKey, true); !dup {
		c.transfers.Add(1)
	}
	return "tr_" + op.ID, true, nil
}

func (c *countingStripe) Refund(_ context.Context, op market.PaymentOp, _ market.PaymentOp) (string, bool, error) {
	c.refunds.Add(1)
	return "re_" + op.ID, true, nil
}

func newCountingStripe(t *testing.T) *countingStripe {
	p, err := stripe.New(stripe.Config{SecretKey: "sk_test_x", WebhookSecret: webhookSecret, APIBase: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	return &countingStripe{Provider: p}
}

// world is a signed deal between a buyer and a seller, brokered by an
// intermediary, on a service with payments.
type world struct {
	t                     *testing.T
	db                    *sqlstore.DB
	svc                   *market.Service
	buyer, seller, broker paytest.Party
	admin                 market.Actor
	deal                  market.Deal
	ms                    []market.Milestone
	ctx                   context.Context
}

func newWorld(t *testing.T, db *sqlstore.DB, provider market.PaymentProvider, amounts ...int64) *world {
	t.Helper()
	svc := market.NewService(db)
	svc.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	svc.Payments = market.Payments{Provider: provider, PlatformBPS: 250}
	w := &world{t: t, db: db, svc: svc, ctx: context.Background()}
	w.buyer = paytest.Org(t, db, market.OrgEnterprise, "buyer@x.cn")
	w.seller = paytest.Org(t, db, market.OrgUniversity, "seller@x.cn")
	w.broker = paytest.Org(t, db, market.OrgIntermediary, "broker@x.cn")
	w.admin = paytest.Admin(t, db, "admin@x.cn")
	w.deal, w.ms = paytest.SignedDeal(t, db, paytest.Deal{BuyerOrgID: w.buyer.Org.ID, SellerOrgID: w.seller.Org.ID,
		IntermediaryOrgID: w.broker.Org.ID, Fee: market.FeeTerms{Basis: market.FeeBasisBPS, BPS: 500, Payer: market.FeePayerSplit},
		Amounts: amounts})
	return w
}

func (w *world) milestone(i int) market.Milestone {
	w.t.Helper()
	m, err := w.svc.Milestone(w.ctx, w.admin, w.ms[i].ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return *m
}

func (w *world) act(a market.Actor, i int, action string, amount int64) (*market.Milestone, error) {
	m := w.milestone(i)
	return w.svc.ActOnMilestone(w.ctx, a, m.ID, market.MilestoneAction{Action: action, Version: m.Version, Amount: amount, Note: action + " note"})
}

func (w *world) mustAct(a market.Actor, i int, action string, amount int64) {
	w.t.Helper()
	if _, err := w.act(a, i, action, amount); err != nil {
		w.t.Fatalf("%s milestone %d: %v", action, i, err)
	}
}

func (w *world) balances() market.Balances {
	w.t.Helper()
	var b market.Balances
	err := w.db.View(w.ctx, func(tx market.Tx) error {
		var err error
		b, err = tx.AccountBalances(market.EscrowAccount(w.deal.ID), market.PayableAccount(w.seller.Org.ID),
			market.PayableAccount(w.broker.Org.ID), market.PlatformRevenue, market.ClearingAccount(market.ProviderBank),
			market.ClearingAccount(market.ProviderStripe))
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return b
}

func (w *world) checkLedger() {
	w.t.Helper()
	v, err := w.svc.CheckLedger(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	if len(v) > 0 {
		w.t.Fatalf("ledger violations: %v", v)
	}
}

func (w *world) deal_() market.Deal {
	w.t.Helper()
	var d *market.Deal
	if err := w.db.View(w.ctx, func(tx market.Tx) error { var err error; d, err = tx.DealByID(w.deal.ID); return err }); err != nil {
		w.t.Fatal(err)
	}
	return *d
}

// TestManualFlow runs fund → deliver → accept → release with bank
// transfers, pays the payouts, and checks every balance and statement.
func TestManualFlow(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db, manual.Provider{}, 100000)
		m := w.milestone(0)
		// The platform cannot confirm what the buyer never reported.
		if _, err := w.svc.ConfirmFunding(w.ctx, w.admin, m.ID, m.Version); market.ErrorCode(err) != market.ECONFLICT {
			t.Fatalf("confirm before payment: %v", err)
		}
		if _, err := w.svc.FundMilestone(w.ctx, w.buyer.Actor, m.ID, market.FundInput{Version: m.Version}); market.ErrorCode(err) != market.EINVALID {
			t.Fatalf("fund without reference: %v", err)
		}
		if _, err := w.svc.FundMilestone(w.ctx, w.seller.Actor, m.ID, market.FundInput{Version: m.Version, Reference: "X"}); market.ErrorCode(err) != market.EFORBIDDEN {
			t.Fatalf("seller funds: %v", err)
		}
		op, err := w.svc.FundMilestone(w.ctx, w.buyer.Actor, m.ID, market.FundInput{Version: m.Version, Reference: "ICBC-1"})
		if err != nil {
			t.Fatal(err)
		}
		// 5% broker fee split: buyer pays 2500 on top of the price.
		if op.Amount != 102500 || op.State != market.PayPending || op.ExternalRef != "ICBC-1" {
			t.Fatalf("fund op = %+v", op)
		}
		if _, err := w.svc.ConfirmFunding(w.ctx, w.buyer.Actor, m.ID, m.Version); market.ErrorCode(err) != market.EFORBIDDEN {
			t.Fatalf("buyer confirms own payment: %v", err)
		}
		// Issue 11: the payee vouched for the escrow. No party may.
		for name, a := range map[string]market.Actor{"seller": w.seller.Actor, "intermediary": w.broker.Actor} {
			if _, err := w.svc.ConfirmFunding(w.ctx, a, m.ID, m.Version); market.ErrorCode(err) != market.EFORBIDDEN {
				t.Fatalf("%s confirms the buyer's transfer: %v", name, err)
			}
		}
		if got := w.milestone(0); got.State != market.MilestonePending {
			t.Fatalf("a party's confirmation funded the milestone: %s", got.State)
		}
		if _, err := w.svc.ConfirmFunding(w.ctx, w.admin, m.ID, m.Version); err != nil {
			t.Fatal(err)
		}
		if d := w.deal_(); d.State != market.DealInProgress {
			t.Fatalf("deal after funding is %s", d.State)
		}
		w.mustAct(w.seller.Actor, 0, market.MilestoneDeliver, 0)
		w.mustAct(w.buyer.Actor, 0, market.MilestoneAccept, 0)
		if _, err := w.act(w.broker.Actor, 0, market.MilestoneRelease, 0); market.ErrorCode(err) != market.EFORBIDDEN {
			t.Fatalf("broker releases: %v", err)
		}
		w.mustAct(w.buyer.Actor, 0, market.MilestoneRelease, 0)
		b := w.balances()
		// platform 2.5% of 100000 = 2500; broker fee 5000; seller 102500-2500-5000.
		want := map[market.AccountKey]int64{market.EscrowAccount(w.deal.ID): 0, market.PayableAccount(w.seller.Org.ID): 95000,
			market.PayableAccount(w.broker.Org.ID): 5000, market.PlatformRevenue: 2500, market.ClearingAccount(market.ProviderBank): -102500}
		for k, v := range want {
			if got := b.Of(k, "CNY"); got != v {
				t.Errorf("balance %s = %d, want %d", k, got, v)
			}
		}
		if d := w.deal_(); d.State != market.DealCompleted {
			t.Fatalf("deal after the only release is %s", d.State)
		}
		payouts, err := w.svc.Payouts(w.ctx, w.admin, market.PayPending)
		if err != nil {
			t.Fatal(err)
		}
		if len(payouts) != 2 {
			t.Fatalf("pending payouts = %+v", payouts)
		}
		for _, p := range payouts {
			if _, err := w.svc.MarkPayoutPaid(w.ctx, w.admin, p.ID, "WIRE-"+p.OrgID[:6]); err != nil {
				t.Fatal(err)
			}
			if _, err := w.svc.MarkPayoutPaid(w.ctx, w.admin, p.ID, "AGAIN"); market.ErrorCode(err) != market.ECONFLICT {
				t.Fatalf("paid twice: %v", err)
			}
		}
		if got := w.balances().Of(market.PayableAccount(w.seller.Org.ID), "CNY"); got != 0 {
			t.Fatalf("seller payable after payout = %d", got)
		}
		w.checkLedger()
		sts, err := w.svc.OrganizationStatements(w.ctx, w.seller.Actor, w.seller.Org.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Issue 11: each party's fees are what it paid, not the deal's
		// 7500 total: the seller the platform's 2500 and half the broker's
		// 5000, the buyer the other half, the broker none.
		if len(sts) != 1 || sts[0].Received != 95000 || sts[0].PaidOut != 95000 || sts[0].Owed != 0 || sts[0].Fees != 5000 {
			t.Fatalf("seller statement = %+v", sts)
		}
		bs, _ := w.svc.OrganizationStatements(w.ctx, w.buyer.Actor, w.buyer.Org.ID)
		if len(bs) != 1 || bs[0].Paid != 102500 || bs[0].Held != 0 || bs[0].Fees != 2500 {
			t.Fatalf("buyer statement = %+v", bs)
		}
		is, _ := w.svc.OrganizationStatements(w.ctx, w.broker.Actor, w.broker.Org.ID)
		if len(is) != 1 || is[0].Earnings != 5000 || is[0].Fees != 0 {
			t.Fatalf("broker statement = %+v", is)
		}
		// A period that ends before the first booking holds nothing; one
		// around now holds the same as the whole ledger.
		past, err := w.svc.OrganizationStatementsIn(w.ctx, w.seller.Actor, w.seller.Org.ID, market.Period{To: time.Now().Add(-time.Hour)})
		if err != nil || len(past) != 0 {
			t.Fatalf("statement of an empty period: %+v %v", past, err)
		}
		now, _ := w.svc.OrganizationStatementsIn(w.ctx, w.seller.Actor, w.seller.Org.ID, market.Period{From: time.Now().Add(-time.Hour), To: time.Now().Add(time.Hour)})
		if len(now) != 1 || now[0] != sts[0] {
			t.Fatalf("statement of the last hour %+v, the whole ledger %+v", now, sts)
		}
		if _, err := w.svc.OrganizationStatements(w.ctx, w.buyer.Actor, w.seller.Org.ID); market.ErrorCode(err) != market.EFORBIDDEN {
			t.Fatalf("buyer reads seller statement: %v", err)
		}
		mis, err := w.svc.Reconcile(w.ctx)
		if err != nil || len(mis) != 0 {
			t.Fatalf("reconcile: %v %v", mis, err)
		}
	})
}

// TestConcurrentReleases sends 50 releases of one milestone at once: one
// wins, the rest conflict, and exactly one set of transfers leaves.
func TestConcurrentReleases(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		cs := newCountingStripe(t)
		w := newWorld(t, db, cs, 100000)
		w.fundByWebhook(0, "evt_fund")
		w.mustAct(w.seller.Actor, 0, market.MilestoneDeliver, 0)
		w.mustAct(w.buyer.Actor, 0, market.MilestoneAccept, 0)
		m := w.milestone(0)
		var ok, conflict atomic.Int64
		var wg sync.WaitGroup
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := w.svc.ActOnMilestone(w.ctx, w.buyer.Actor, m.ID, market.MilestoneAction{Action: market.MilestoneRelease, Version: m.Version})
				switch market.ErrorCode(err) {
				case "":
					ok.Add(1)
				case market.ECONFLICT:
					conflict.Add(1)
				default:
					t.Errorf("release: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 || conflict.Load() != 49 {
			t.Fatalf("%d releases succeeded, %d conflicted", ok.Load(), conflict.Load())
		}
		if n := cs.transfers.Load(); n != 0 {
			// The payees have no connected accounts: transfers wait, once each.
			t.Fatalf("%d transfers without connected accounts", n)
		}
		ops, err := w.svc.Payouts(w.ctx, w.admin, "")
		if err != nil || len(ops) != 2 {
			t.Fatalf("payout ops = %d (%v), want one per payee", len(ops), err)
		}
		var releases int
		db.View(w.ctx, func(tx market.Tx) error {
			txs, _ := tx.LedgerTransactions(market.LedgerFilter{DealID: w.deal.ID})
			for _, x := range txs {
				if x.Kind == market.TxRelease {
					releases++
				}
			}
			return nil
		})
		if releases != 1 {
			t.Fatalf("%d release transactions", releases)
		}
		// Onboarded payees get their transfer on retry, once however often retried.
		for _, p := range []paytest.Party{w.seller, w.broker} {
			db.Update(w.ctx, func(tx market.Tx) error {
				return tx.PutPaymentAccount(market.PaymentAccount{OrgID: p.Org.ID, Provider: market.ProviderStripe,
					ExternalID: "acct_" + p.Org.ID, UpdatedAt: time.Now()})
			})
		}
		var wg2 sync.WaitGroup
		for _, op := range ops {
			for i := 0; i < 5; i++ {
				wg2.Add(1)
				go func() { defer wg2.Done(); w.svc.RetryPayout(w.ctx, w.admin, op.ID) }()
			}
		}
		wg2.Wait()
		if n := cs.transfers.Load(); n != 2 {
			t.Fatalf("%d distinct transfers, want 2", n)
		}
		b := w.balances()
		if b.Of(market.PayableAccount(w.seller.Org.ID), "CNY") != 0 || b.Of(market.PayableAccount(w.broker.Org.ID), "CNY") != 0 {
			t.Fatalf("payables after transfers: %v", b)
		}
		w.checkLedger()
	})
}

// stripeEvent builds a signed webhook for a PaymentIntent or charge.
func stripeEvent(t *testing.T, id, typ string, object map[string]any, at time.Time) ([]byte, string) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "created": at.Unix(),
		"api_version": stripego.APIVersion, "data": map[string]any{"object": object}})
	if err != nil {
		t.Fatal(err)
	}
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: webhookSecret, Timestamp: time.Now()})
	return sp.Payload, sp.Header
}

func piObject(m market.Milestone, amount int64, status string) map[string]any {
	return map[string]any{"id": "pi_" + m.ID, "object": "payment_intent", "amount": amount, "amount_received": amount,
		"currency": "cny", "status": status, "metadata": map[string]string{stripe.MetadataKey: "milestone:" + m.ID + ":fund"}}
}

func chargeRefunded(m market.Milestone, refunded int64) map[string]any {
	return map[string]any{"id": "ch_" + m.ID, "object": "charge", "amount_refunded": refunded, "currency": "cny",
		"payment_intent": "pi_" + m.ID}
}

// fundByWebhook starts a card funding and delivers payment_intent.succeeded.
func (w *world) fundByWebhook(i int, eventID string) {
	w.t.Helper()
	m := w.milestone(i)
	op, err := w.svc.FundMilestone(w.ctx, w.buyer.Actor, m.ID, market.FundInput{Version: m.Version})
	if err != nil {
		w.t.Fatal(err)
	}
	body, sig := stripeEvent(w.t, eventID, "payment_intent.succeeded", piObject(m, op.Amount, "succeeded"), time.Now())
	if out, err := w.svc.HandleWebhook(w.ctx, body, sig); err != nil || out != "funded" {
		w.t.Fatalf("webhook: %q %v", out, err)
	}
}
