package stripe_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"techbridge/market"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/market/testenv"
	"techbridge/payments/paytest"
	"techbridge/payments/stripe"
)

const secret = "whsec_mock"

// TestAgainstStripeMock runs onboarding, funding, a release with two
// transfers, a refund and the deal's completion through the service against
// the real stripe-mock, and checks every party's statement to the cent.
func TestAgainstStripeMock(t *testing.T) {
	url := testenv.Lookup(t, "TECHBRIDGE_TEST_STRIPE_MOCK_URL", "stripe-mock")
	p, err := stripe.New(stripe.Config{SecretKey: "sk_test_123", WebhookSecret: secret, APIBase: url})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db := sqltest.MustOpen(t)
	svc := market.NewService(db)
	svc.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	svc.Payments = market.Payments{Provider: p, PlatformBPS: 200}
	buyer := paytest.Org(t, db, market.OrgEnterprise, "b@x.cn")
	seller := paytest.Org(t, db, market.OrgUniversity, "s@x.cn")
	broker := paytest.Org(t, db, market.OrgIntermediary, "i@x.cn")
	d, ms := paytest.SignedDeal(t, db, paytest.Deal{BuyerOrgID: buyer.Org.ID, SellerOrgID: seller.Org.ID, IntermediaryOrgID: broker.Org.ID,
		Fee: market.FeeTerms{Basis: market.FeeBasisFixed, Fixed: 3000, Currency: "CNY", Payer: market.FeePayerSeller}, Amounts: []int64{60000, 40000}})

	// Onboarding: a connected account per payee and a link to finish it.
	for _, party := range []paytest.Party{seller, broker} {
		acct, link, err := svc.OnboardPayee(ctx, party.Actor, party.Org.ID, "https://techbridge.example/back")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(acct.ExternalID, "acct_") || !strings.HasPrefix(link, "http") {
			t.Fatalf("onboarding gave %+v and %q", acct, link)
		}
		// stripe-mock answers every account with one fixture id; make
		// each payee's distinct as Stripe's would be.
		db.Update(ctx, func(tx market.Tx) error {
			acct.ExternalID += "_" + party.Org.ID
			return tx.PutPaymentAccount(*acct)
		})
	}
	if _, _, err := svc.OnboardPayee(ctx, buyer.Actor, seller.Org.ID, "https://x"); market.ErrorCode(err) != market.EFORBIDDEN {
		t.Fatalf("buyer onboards the seller: %v", err)
	}
	// account.updated tracks the onboarding.
	var acct *market.PaymentAccount
	db.View(ctx, func(tx market.Tx) error {
		acct, err = tx.PaymentAccount(seller.Org.ID, market.ProviderStripe)
		return err
	})
	deliver(t, svc, "evt_acct", "account.updated", map[string]any{"id": acct.ExternalID, "object": "account",
		"charges_enabled": true, "payouts_enabled": true, "details_submitted": true})
	db.View(ctx, func(tx market.Tx) error {
		acct, err = tx.PaymentAccount(seller.Org.ID, market.ProviderStripe)
		return err
	})
	if !acct.PayoutsEnabled || !acct.DetailsSubmitted {
		t.Fatalf("account after account.updated: %+v", acct)
	}

	// Funding through a PaymentIntent, confirmed by its webhook.
	fund := func(i int) market.PaymentOp {
		op, err := svc.FundMilestone(ctx, buyer.Actor, ms[i].ID, market.FundInput{Version: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(op.ExternalRef, "pi_") || op.ClientSecret == "" {
			t.Fatalf("fund op %+v", op)
		}
		deliver(t, svc, "evt_fund_"+ms[i].ID, "payment_intent.succeeded", map[string]any{"id": op.ExternalRef, "object": "payment_intent",
			"amount": op.Amount, "amount_received": op.Amount, "currency": "cny", "status": "succeeded",
			"metadata": map[string]string{stripe.MetadataKey: op.IdempotencyKey}})
		return *op
	}
	fund(0)
	act := func(a market.Actor, i int, action string, amount int64) *market.Milestone {
		m, err := svc.Milestone(ctx, a, ms[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := svc.ActOnMilestone(ctx, a, m.ID, market.MilestoneAction{Action: action, Version: m.Version, Amount: amount, Note: "n"})
		if err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		return got
	}
	act(seller.Actor, 0, market.MilestoneDeliver, 0)
	act(buyer.Actor, 0, market.MilestoneAccept, 0)
	act(buyer.Actor, 0, market.MilestoneRelease, 0)

	// Release: two transfers, one per payee, each booked out of its payable.
	var ops []market.PaymentOp
	db.View(ctx, func(tx market.Tx) error {
		ops, err = tx.ListPaymentOps(market.PaymentOpFilter{Kinds: []string{market.PayTransfer}})
		return err
	})
	if len(ops) != 2 {
		t.Fatalf("transfers: %+v", ops)
	}
	for _, op := range ops {
		if op.State != market.PaySucceeded || !strings.HasPrefix(op.ExternalRef, "tr_") || !strings.HasSuffix(op.IdempotencyKey, ":"+op.OrgID) {
			t.Fatalf("transfer %+v", op)
		}
	}
	// Refund: part of the second milestone goes back on its PaymentIntent.
	fund(1)
	act(seller.Actor, 1, market.MilestoneRefund, 15000)
	var refunds []market.PaymentOp
	db.View(ctx, func(tx market.Tx) error {
		refunds, err = tx.ListPaymentOps(market.PaymentOpFilter{Kinds: []string{market.PayRefund}})
		return err
	})
	if len(refunds) != 1 || refunds[0].State != market.PaySucceeded || !strings.HasPrefix(refunds[0].ExternalRef, "re_") || refunds[0].Amount != 15000 {
		t.Fatalf("refunds %+v", refunds)
	}
	var b market.Balances
	db.View(ctx, func(tx market.Tx) error {
		b, err = tx.AccountBalances(market.EscrowAccount(d.ID), market.PayableAccount(seller.Org.ID), market.PayableAccount(broker.Org.ID),
			market.PlatformRevenue, market.ClearingAccount(market.ProviderStripe))
		return err
	})
	// Milestone 1: 60000, platform 1200, broker 1800 (3000 × 60%), seller 57000, all transferred out.
	if b.Of(market.PayableAccount(seller.Org.ID), "CNY") != 0 || b.Of(market.PlatformRevenue, "CNY") != 1200 ||
		b.Of(market.EscrowAccount(d.ID), "CNY") != 25000 || b.Of(market.ClearingAccount(market.ProviderStripe), "CNY") != -26200 {
		t.Fatalf("balances %v", b)
	}
	if v, err := svc.CheckLedger(ctx); err != nil || len(v) > 0 {
		t.Fatalf("ledger: %v %v", v, err)
	}
	// The second milestone, 15000 refunded, is delivered and released for
	// the remaining 25000; both fees shrink in proportion (floored):
	// platform 800 → 500, broker 1200 → 750, seller 23750. The deal completes.
	act(seller.Actor, 1, market.MilestoneDeliver, 0)
	act(buyer.Actor, 1, market.MilestoneAccept, 0)
	act(buyer.Actor, 1, market.MilestoneRelease, 0)
	var done *market.Deal
	if err := db.View(ctx, func(tx market.Tx) (err error) { done, err = tx.DealByID(d.ID); return err }); err != nil {
		t.Fatal(err)
	}
	if done.State != market.DealCompleted {
		t.Fatalf("deal state %s after every milestone was released, want completed", done.State)
	}
	statement := func(p paytest.Party) market.Statement {
		t.Helper()
		sts, err := svc.OrganizationStatements(ctx, p.Actor, p.Org.ID)
		if err != nil || len(sts) != 1 || sts[0].Currency != "CNY" {
			t.Fatalf("statements of %s: %+v %v", p.Org.ID, sts, err)
		}
		return sts[0]
	}
	if st := statement(buyer); st.Paid != 85000 || st.Held != 0 || st.Received != 0 {
		t.Errorf("buyer statement %+v, want paid 85000 (100000 less the 15000 refund), nothing held", st)
	}
	if st := statement(seller); st.Received != 80750 || st.PaidOut != 80750 || st.Owed != 0 || st.Held != 0 {
		t.Errorf("seller statement %+v, want received and paid out 57000+23750 = 80750", st)
	}
	if st := statement(broker); st.Received != 2550 || st.Earnings != 2550 || st.PaidOut != 2550 || st.Owed != 0 {
		t.Errorf("broker statement %+v, want earnings 1800+750 = 2550, all paid out", st)
	}
	db.View(ctx, func(tx market.Tx) error {
		b, err = tx.AccountBalances(market.EscrowAccount(d.ID), market.PlatformRevenue)
		return err
	})
	if b.Of(market.EscrowAccount(d.ID), "CNY") != 0 || b.Of(market.PlatformRevenue, "CNY") != 1700 {
		t.Fatalf("after completion: %v, want escrow 0 and platform revenue 1200+500", b)
	}
	if v, err := svc.CheckLedger(ctx); err != nil || len(v) > 0 {
		t.Fatalf("ledger after completion: %v %v", v, err)
	}

	// stripe-mock's records are fixtures, so reconciliation must list
	// mismatches rather than pass silently.
	mis, err := svc.Reconcile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(mis) == 0 {
		t.Fatal("reconcile against stripe-mock fixtures found nothing")
	}
}

func deliver(t *testing.T, svc *market.Service, id, typ string, object map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"id": id, "object": "event", "type": typ, "created": time.Now().Unix(),
		"api_version": stripego.APIVersion, "data": map[string]any{"object": object}})
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: secret})
	if _, err := svc.HandleWebhook(context.Background(), sp.Payload, sp.Header); err != nil {
		t.Fatalf("webhook %s: %v", typ, err)
	}
}
