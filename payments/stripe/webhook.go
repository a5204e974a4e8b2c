package stripe

import (
	"encoding/json"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"techbridge/market"
)

// ParseWebhook verifies the Stripe-Signature over the raw body (HMAC with
// the endpoint secret, timestamp within WebhookTolerance) and reduces the
// event to what payments acts on. Anything that fails verification is
// EUNAUTHORIZED and has no effect.
func (p *Provider) ParseWebhook(payload []byte, signature string) (market.ProviderEvent, error) {
	if p.webhookSecret == "" {
		return market.ProviderEvent{}, market.Errorf(market.ENOTIMPLEMENTED, "no webhook secret configured")
	}
	ev, err := webhook.ConstructEventWithOptions(payload, signature, p.webhookSecret,
		webhook.ConstructEventOptions{Tolerance: WebhookTolerance})
	if err != nil {
		return market.ProviderEvent{}, market.Errorf(market.EUNAUTHORIZED, "webhook signature refused")
	}
	out := market.ProviderEvent{ID: ev.ID, Type: string(ev.Type), Created: time.Unix(ev.Created, 0).UTC()}
	if ev.Data == nil {
		return out, nil
	}
	switch {
	case strings.HasPrefix(string(ev.Type), "payment_intent."):
		var pi stripego.PaymentIntent
		if err := json.Unmarshal(ev.Data.Raw, &pi); err != nil {
			return out, market.Invalid("data", "not a PaymentIntent")
		}
		f := &market.FundingUpdate{ExternalRef: pi.ID, Key: pi.Metadata[MetadataKey],
			Amount: pi.Amount, Currency: strings.ToUpper(string(pi.Currency))}
		if pi.Status == stripego.PaymentIntentStatusSucceeded {
			f.State, f.Amount = market.PaySucceeded, pi.AmountReceived
		}
		out.Funding = f
	case ev.Type == "charge.refunded":
		var ch stripego.Charge
		if err := json.Unmarshal(ev.Data.Raw, &ch); err != nil || ch.PaymentIntent == nil {
			return out, market.Invalid("data", "not a charge of a PaymentIntent")
		}
		out.Funding = &market.FundingUpdate{ExternalRef: ch.PaymentIntent.ID, Key: ch.Metadata[MetadataKey],
			Refunded: ch.AmountRefunded, Currency: strings.ToUpper(string(ch.Currency))}
	case ev.Type == "account.updated":
		var a stripego.Account
		if err := json.Unmarshal(ev.Data.Raw, &a); err != nil {
			return out, market.Invalid("data", "not an account")
		}
		out.Account = &market.PaymentAccount{ExternalID: a.ID, ChargesEnabled: a.ChargesEnabled,
			PayoutsEnabled: a.PayoutsEnabled, DetailsSubmitted: a.DetailsSubmitted}
	}
	return out, nil
}
