package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"techbridge/market/msgs"

	"techbridge/market"
	"techbridge/payments/manual"
	"techbridge/payments/stripe"
)

// defaultPlatformBPS is the platform fee when none is configured: 2%.
const defaultPlatformBPS = 200

// paymentConfig is the payments part of config.
type paymentConfig struct {
	StripeSecretKey     string // empty = the manual bank-transfer provider
	StripeWebhookSecret string
	StripeAPIBase       string // e.g. stripe-mock's URL; empty = api.stripe.com
	PlatformBPS         int64
	Escrow              market.EscrowBank // the platform's bank account for transfers
}

// paymentFlags registers the payment settings (serve and payments commands).
func paymentFlags(fs *flag.FlagSet, c *paymentConfig) {
	fs.StringVar(&c.StripeSecretKey, "stripe-secret-key", env("TECHBRIDGE_STRIPE_SECRET_KEY", ""), "Stripe secret key; empty = manual bank transfers (TECHBRIDGE_STRIPE_SECRET_KEY)")
	fs.StringVar(&c.StripeWebhookSecret, "stripe-webhook-secret", env("TECHBRIDGE_STRIPE_WEBHOOK_SECRET", ""), "Stripe webhook signing secret (TECHBRIDGE_STRIPE_WEBHOOK_SECRET)")
	fs.StringVar(&c.StripeAPIBase, "stripe-api-base", env("TECHBRIDGE_STRIPE_API_BASE", ""), "Stripe API URL, e.g. stripe-mock's; empty = Stripe (TECHBRIDGE_STRIPE_API_BASE)")
	bps, _ := strconv.ParseInt(env("TECHBRIDGE_PLATFORM_FEE_BPS", strconv.Itoa(defaultPlatformBPS)), 10, 64)
	fs.Int64Var(&c.PlatformBPS, "platform-fee-bps", bps, "platform fee in basis points of each milestone price (TECHBRIDGE_PLATFORM_FEE_BPS)")
	fs.StringVar(&c.Escrow.Bank, "escrow-account-bank", env("TECHBRIDGE_ESCROW_ACCOUNT_BANK", ""), "bank of the platform's escrow account, shown to buyers paying by transfer (TECHBRIDGE_ESCROW_ACCOUNT_BANK)")
	fs.StringVar(&c.Escrow.Name, "escrow-account-name", env("TECHBRIDGE_ESCROW_ACCOUNT_NAME", ""), "holder of the escrow account (TECHBRIDGE_ESCROW_ACCOUNT_NAME)")
	fs.StringVar(&c.Escrow.Number, "escrow-account-number", env("TECHBRIDGE_ESCROW_ACCOUNT_NUMBER", ""), "number of the escrow account (TECHBRIDGE_ESCROW_ACCOUNT_NUMBER)")
}

// configure returns the service's payments: Stripe with a key, the manual
// bank-transfer provider without. It lives here, not in payments, so that
// the payments core never imports its provider adapters.
func (c paymentConfig) configure() (market.Payments, error) {
	if c.PlatformBPS < 0 || c.PlatformBPS > market.MaxBPS {
		return market.Payments{}, market.Invalid("platform_fee_bps", msgs.ZeroToN, market.MaxBPS)
	}
	var provider market.PaymentProvider = manual.Provider{}
	if c.StripeSecretKey != "" {
		p, err := stripe.New(stripe.Config{SecretKey: c.StripeSecretKey, WebhookSecret: c.StripeWebhookSecret, APIBase: c.StripeAPIBase})
		if err != nil {
			return market.Payments{}, err
		}
		provider = p
	}
	return market.Payments{Provider: provider, PlatformBPS: c.PlatformBPS, Escrow: c.Escrow}, nil
}

// runPayments is `techbridge payments reconcile`: every mismatch between
// the ledger, the payment operations and the provider's records.
func runPayments(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "reconcile" {
		return fmt.Errorf("usage: techbridge payments reconcile [flags]")
	}
	var c config
	fs := flag.NewFlagSet("payments reconcile", flag.ContinueOnError)
	dataFlags(fs, &c)
	paymentFlags(fs, &c.Payments)
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	svc, db, err := c.openService(ctx, c.logger(os.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	if svc.Payments, err = c.Payments.configure(); err != nil {
		return err
	}
	mismatches, err := svc.Reconcile(ctx)
	if err != nil {
		return err
	}
	return report(stdout, "reconcile with "+svc.Payments.Provider.Name(), mismatches)
}

// report prints OK or each problem, and fails when there is any.
func report(stdout io.Writer, what string, problems []string) error {
	if len(problems) == 0 {
		fmt.Fprintf(stdout, "%s: OK\n", what)
		return nil
	}
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	return fmt.Errorf("%s: %d problem(s)", what, len(problems))
}
