package payments_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/payments/paytest"
	"techbridge/payments/stripe"
)

// signedEvent signs an event built from fields (id, type, api_version,
// account, data …) at ts with stripe-go's test helper.
func signedEvent(t *testing.T, fields map[string]any, ts time.Time) ([]byte, string) {
	t.Helper()
	ev := map[string]any{"object": "event", "created": time.Now().Unix(), "api_version": stripego.APIVersion}
	for k, v := range fields {
		ev[k] = v
	}
	body, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: webhookSecret, Timestamp: ts})
	return sp.Payload, sp.Header
}

func succeeded(id string, object map[string]any) map[string]any {
	return map[string]any{"id": id, "type": "payment_intent.succeeded", "data": map[string]any{"object": object}}
}

// TestWebhookChecksWhatWasAsked is issue 11's "webhooks trust too much":
// each signed event below used to fund a milestone or was misreported.
// Every one is now refused, by name, and funds nothing; on both engines.
func TestWebhookChecksWhatWasAsked(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db, newCountingStripe(t), 300000)
		m := w.milestone(0)
		op, err := w.svc.FundMilestone(w.ctx, w.buyer.Actor, m.ID, market.FundInput{Version: m.Version})
		if err != nil {
			t.Fatal(err)
		}
		// A second deal between the same parties, its milestone funding too.
		_, ms := paytest.SignedDeal(t, db, paytest.Deal{BuyerOrgID: w.buyer.Org.ID, SellerOrgID: w.seller.Org.ID, Amounts: []int64{300000}})
		other, err := w.svc.FundMilestone(w.ctx, w.buyer.Actor, ms[0].ID, market.FundInput{Version: 1})
		if err != nil {
			t.Fatal(err)
		}

		zero := piObject(m, op.Amount, "succeeded")
		zero["amount_received"] = 0
		partial := piObject(m, op.Amount, "succeeded")
		partial["amount_received"] = op.Amount - 1
		wrongCurrency := piObject(m, op.Amount, "succeeded")
		wrongCurrency["currency"] = "usd"
		// Deal A's PaymentIntent (paid at B's amount) carrying B's metadata.
		crossed := piObject(m, other.Amount, "succeeded")
		crossed["metadata"] = map[string]string{stripe.MetadataKey: other.IdempotencyKey}
		onConnected := succeeded("evt_connected", piObject(m, op.Amount, "succeeded"))
		onConnected["account"] = "acct_someone"

		// In order: on the old code the first that funds hides the rest.
		for _, c := range []struct {
			name   string
			fields map[string]any
			ts     time.Time
			code   string
		}{
			{"amount_received 0", succeeded("evt_zero", zero), time.Now(), market.EINVALID},
			{"amount_received short by one", succeeded("evt_partial", partial), time.Now(), market.EINVALID},
			{"other currency", succeeded("evt_usd", wrongCurrency), time.Now(), market.EINVALID},
			{"timestamp an hour in the future", succeeded("evt_future", piObject(m, op.Amount, "succeeded")), time.Now().Add(time.Hour), market.EUNAUTHORIZED},
			{"timestamp past the tolerance, forward", succeeded("evt_future2", piObject(m, op.Amount, "succeeded")), time.Now().Add(stripe.WebhookTolerance + time.Minute), market.EUNAUTHORIZED},
			{"on a connected account", onConnected, time.Now(), market.EINVALID},
			{"deal A's PaymentIntent, B's metadata", succeeded("evt_crossed", crossed), time.Now(), market.EINVALID},
		} {
			body, sig := signedEvent(t, c.fields, c.ts)
			if out, err := w.svc.HandleWebhook(w.ctx, body, sig); market.ErrorCode(err) != c.code {
				t.Errorf("%s: %q %v, want %s", c.name, out, err, c.code)
			}
		}
		if got := w.milestone(0); got.State != market.MilestonePending {
			t.Fatalf("milestone A was funded by a refused event: %s", got.State)
		}
		var b *market.Milestone
		if err := db.View(w.ctx, func(tx market.Tx) error { b, err = tx.MilestoneByID(ms[0].ID); return err }); err != nil {
			t.Fatal(err)
		}
		if b.State != market.MilestonePending {
			t.Fatalf("milestone B was funded by A's PaymentIntent: %s", b.State)
		}
		// The genuine event still funds A exactly.
		body, sig := signedEvent(t, succeeded("evt_ok", piObject(m, op.Amount, "succeeded")), time.Now())
		if out, err := w.svc.HandleWebhook(w.ctx, body, sig); err != nil || out != "funded" {
			t.Fatalf("the genuine event: %q %v", out, err)
		}
		w.checkLedger()
	})
}

// TestWebhookAccountEventFromItsAccount: account.updated must come from
// the account it describes (event.account), else it changes nothing.
func TestWebhookAccountEventFromItsAccount(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newWorld(t, db, newCountingStripe(t), 100000)
		acct := market.PaymentAccount{OrgID: w.seller.Org.ID, Provider: market.ProviderStripe, ExternalID: "acct_seller", UpdatedAt: time.Now().UTC()}
		if err := db.Update(w.ctx, func(tx market.Tx) error { return tx.PutPaymentAccount(acct) }); err != nil {
			t.Fatal(err)
		}
		update := func(id, from string) error {
			f := map[string]any{"id": id, "type": "account.updated", "data": map[string]any{"object": map[string]any{
				"id": "acct_seller", "object": "account", "payouts_enabled": true, "charges_enabled": true, "details_submitted": true}}}
			if from != "" {
				f["account"] = from
			}
			body, sig := signedEvent(t, f, time.Now())
			_, err := w.svc.HandleWebhook(w.ctx, body, sig)
			return err
		}
		if err := update("evt_forged", "acct_attacker"); market.ErrorCode(err) != market.EINVALID {
			t.Fatalf("another account's event: %v", err)
		}
		var got *market.PaymentAccount
		read := func() {
			if err := db.View(w.ctx, func(tx market.Tx) error {
				var err error
				got, err = tx.PaymentAccount(w.seller.Org.ID, market.ProviderStripe)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		if read(); got.PayoutsEnabled {
			t.Fatal("another account's event enabled the seller's payouts")
		}
		if err := update("evt_own", "acct_seller"); err != nil {
			t.Fatalf("the account's own event: %v", err)
		}
		if read(); !got.PayoutsEnabled {
			t.Fatal("the account's own event changed nothing")
		}
	})
}

// TestWebhookVersionMismatchSaysSo: a correctly signed event of another API
// version is reported as a version mismatch naming the supported version,
// not as a refused signature.
func TestWebhookVersionMismatchSaysSo(t *testing.T) {
	w := newWorld(t, sqltest.MustOpen(t), newCountingStripe(t), 100000)
	m := w.milestone(0)
	f := succeeded("evt_old_version", piObject(m, 100000, "succeeded"))
	f["api_version"] = "2020-08-27"
	body, sig := signedEvent(t, f, time.Now())
	_, err := w.svc.HandleWebhook(w.ctx, body, sig)
	msg := market.ErrorMessage(err)
	if market.ErrorCode(err) != market.EINVALID || strings.Contains(msg, "signature") ||
		!strings.Contains(msg, "2020-08-27") || !strings.Contains(msg, stripego.APIVersion) {
		t.Fatalf("version mismatch reported as %v", err)
	}
}
