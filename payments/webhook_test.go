package payments_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestWebhookRefusals: a bad signature, an old timestamp or a tampered body
// is refused and changes nothing.
func TestWebhookRefusals(t *testing.T) {
	w := newWorld(t, sqltest.MustOpen(t), newCountingStripe(t), 100000)
	m := w.milestone(0)
	op, err := w.svc.FundMilestone(w.ctx, w.buyer.Actor, m.ID, market.FundInput{Version: m.Version})
	if err != nil {
		t.Fatal(err)
	}
	body, sig := stripeEvent(t, "evt_1", "payment_intent.succeeded", piObject(m, op.Amount, "succeeded"), time.Now())
	old := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: webhookSecret, Timestamp: time.Now().Add(-301 * time.Second)})
	wrong := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: "whsec_other"})
	tampered := append([]byte(nil), body...)
	tampered[len(tampered)-3] ^= 1
	for name, c := range map[string]struct {
		body []byte
		sig  string
	}{
		"bad signature": {body, wrong.Header},
		"old timestamp": {body, old.Header},
		"tampered body": {tampered, sig},
		"no signature":  {body, ""},
	} {
		if _, err := w.svc.HandleWebhook(w.ctx, c.body, c.sig); market.ErrorCode(err) != market.EUNAUTHORIZED {
			t.Errorf("%s: %v, want unauthorized", name, err)
		}
	}
	if got := w.milestone(0); got.State != market.MilestonePending {
		t.Fatalf("a refused webhook funded the milestone: %s", got.State)
	}
	if out, err := w.svc.HandleWebhook(w.ctx, body, sig); err != nil || out != "funded" {
		t.Fatalf("the genuine event: %q %v", out, err)
	}
}

// TestWebhookTenTimesConcurrently: the same event delivered ten times at
// once funds once; the rest are duplicates.
func TestWebhookTenTimesConcurrently(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db, newCountingStripe(t), 100000)
		m := w.milestone(0)
		op, err := w.svc.FundMilestone(w.ctx, w.buyer.Actor, m.ID, market.FundInput{Version: m.Version})
		if err != nil {
			t.Fatal(err)
		}
		body, sig := stripeEvent(t, "evt_same", "payment_intent.succeeded", piObject(m, op.Amount, "succeeded"), time.Now())
		var mu sync.Mutex
		outcomes := map[string]int{}
		var wg sync.WaitGroup
		for i := 0; i < 10; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out, err := w.svc.HandleWebhook(w.ctx, body, sig)
				if err != nil {
					out = "error: " + market.ErrorCode(err)
				}
				mu.Lock()
				outcomes[out]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if outcomes["funded"] != 1 || outcomes["duplicate"] != 9 {
			t.Fatalf("outcomes %v, want 1 funded and 9 duplicates", outcomes)
		}
		if b := w.balances(); b.Of(market.EscrowAccount(w.deal.ID), "CNY") != op.Amount {
			t.Fatalf("escrow %d, want %d once", b.Of(market.EscrowAccount(w.deal.ID), "CNY"), op.Amount)
		}
		w.checkLedger()
	})
}

// TestWebhooksInAnyOrder: created after succeeded, and refunded before
// succeeded, end where the natural order ends.
func TestWebhooksInAnyOrder(t *testing.T) {
	type ev struct{ id, typ, status string }
	orders := map[string][]ev{
		"natural":                   {{"e1", "payment_intent.created", "requires_payment_method"}, {"e2", "payment_intent.succeeded", "succeeded"}, {"e3", "charge.refunded", ""}},
		"succeeded before created":  {{"e2", "payment_intent.succeeded", "succeeded"}, {"e1", "payment_intent.created", "requires_payment_method"}, {"e3", "charge.refunded", ""}},
		"refunded before succeeded": {{"e3", "charge.refunded", ""}, {"e1", "payment_intent.created", "requires_payment_method"}, {"e2", "payment_intent.succeeded", "succeeded"}},
		"all reversed with repeats": {{"e3", "charge.refunded", ""}, {"e2", "payment_intent.succeeded", "succeeded"}, {"e3", "charge.refunded", ""}, {"e1", "payment_intent.created", "requires_payment_method"}, {"e2", "payment_intent.succeeded", "succeeded"}},
	}
	for name, order := range orders {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, sqltest.MustOpen(t), newCountingStripe(t), 100000)
			m := w.milestone(0)
			op, err := w.svc.FundMilestone(w.ctx, w.buyer.Actor, m.ID, market.FundInput{Version: m.Version})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range order {
				obj := piObject(m, op.Amount, e.status)
				if e.typ == "charge.refunded" {
					obj = chargeRefunded(m, 30000)
				}
				body, sig := stripeEvent(t, e.id, e.typ, obj, time.Now())
				if _, err := w.svc.HandleWebhook(w.ctx, body, sig); err != nil {
					t.Fatalf("%s: %v", e.typ, err)
				}
			}
			got := w.milestone(0)
			if got.State != market.MilestoneFunded || got.Funded != op.Amount || got.Refunded != 30000 {
				t.Fatalf("end state %s funded %d refunded %d", got.State, got.Funded, got.Refunded)
			}
			if esc := w.balances().Of(market.EscrowAccount(w.deal.ID), "CNY"); esc != op.Amount-30000 {
				t.Fatalf("escrow %d", esc)
			}
			w.checkLedger()
		})
	}
}
