package stripe

import (
	"encoding/json"
	"strconv"
	"strings"
	"techbridge/market/msgs"
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
		return market.ProviderEvent{}, market.Errorf(market.ENOTIMPLEMENTED, msgs.NoWebhookSecretConfigured)
	}
	// The version is checked after the signature, so a mismatch is
	// reported as what it is, not as a bad signature.
	ev, err := webhook.ConstructEventWithOptions(payload, signature, p.webhookSecret,
		webhook.ConstructEventOptions{Tolerance: WebhookTolerance, IgnoreAPIVersionMismatch: true})
	if err != nil {
		return market.ProviderEvent{}, market.Errorf(market.EUNAUTHORIZED, msgs.WebhookSignatureRefused)
	}
	// stripe-go refuses old timestamps only; one from the future beyond the
	// tolerance is as suspect (a replay prepared in advance, or a bad clock).
	if ts, ok := signatureTime(signature); !ok || ts.Sub(p.now()) > WebhookTolerance {
		return market.ProviderEvent{}, market.Errorf(market.EUNAUTHORIZED, msgs.WebhookTimestampLiesInFutureBeyond, WebhookTolerance)
	}
	if ev.APIVersion != stripego.APIVersion {
		return market.ProviderEvent{}, market.Errorf(market.EINVALID,
			msgs.WebhookAPIVersionXNotSupported,
			ev.APIVersion, stripego.APIVersion, stripego.ClientVersion)
	}
	out := market.ProviderEvent{ID: ev.ID, Type: string(ev.Type), Created: time.Unix(ev.Created, 0).UTC(), ConnectedAccount: ev.Account}
	if ev.Data == nil {
		return out, nil
	}
	switch {
	case strings.HasPrefix(string(ev.Type), "payment_intent."):
		var pi stripego.PaymentIntent
		if err := json.Unmarshal(ev.Data.Raw, &pi); err != nil {
			return out, market.Invalid("data", msgs.NotPaymentIntent)
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
			return out, market.Invalid("data", msgs.NotChargePaymentIntent)
		}
		out.Funding = &market.FundingUpdate{ExternalRef: ch.PaymentIntent.ID, Key: ch.Metadata[MetadataKey],
			Refunded: ch.AmountRefunded, Currency: strings.ToUpper(string(ch.Currency))}
	case ev.Type == "account.updated":
		var a stripego.Account
		if err := json.Unmarshal(ev.Data.Raw, &a); err != nil {
			return out, market.Invalid("data", msgs.NotAccount)
		}
		out.Account = &market.PaymentAccount{ExternalID: a.ID, ChargesEnabled: a.ChargesEnabled,
			PayoutsEnabled: a.PayoutsEnabled, DetailsSubmitted: a.DetailsSubmitted}
	}
	return out, nil
}

// signatureTime reads the t= timestamp of a Stripe-Signature header (the
// signature itself has been verified over it by then).
func signatureTime(header string) (time.Time, bool) {
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && k == "t" {
			n, err := strconv.ParseInt(v, 10, 64)
			return time.Unix(n, 0), err == nil
		}
	}
	return time.Time{}, false
}
