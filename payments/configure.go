package payments

import (
	"techbridge/market"
	"techbridge/payments/manual"
	"techbridge/payments/stripe"
)

// Config chooses the provider: Stripe when a secret key is set, the manual
// bank-transfer provider otherwise.
type Config struct {
	StripeSecretKey     string
	StripeWebhookSecret string
	StripeAPIBase       string // e.g. http://127.0.0.1:12111 for stripe-mock
	PlatformBPS         int64  // the platform fee on each milestone price
}

// DefaultPlatformBPS is the platform fee when none is configured: 2%.
const DefaultPlatformBPS = 200

// Configure returns what market.Service.Payments needs.
func Configure(cfg Config) (market.Payments, error) {
	if cfg.PlatformBPS < 0 || cfg.PlatformBPS > market.MaxBPS {
		return market.Payments{}, market.Invalid("platform_bps", "must be 0..%d", market.MaxBPS)
	}
	var provider market.PaymentProvider = manual.Provider{}
	if cfg.StripeSecretKey != "" {
		p, err := stripe.New(stripe.Config{SecretKey: cfg.StripeSecretKey, WebhookSecret: cfg.StripeWebhookSecret, APIBase: cfg.StripeAPIBase})
		if err != nil {
			return market.Payments{}, err
		}
		provider = p
	}
	return market.Payments{Rules: Rules{}, Provider: provider, PlatformBPS: cfg.PlatformBPS}, nil
}
