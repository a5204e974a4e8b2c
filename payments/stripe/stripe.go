// Package stripe is the Stripe Connect payment provider (stripe-go v76):
// sellers and intermediaries get connected accounts with onboarding links;
// a buyer funds a milestone through a PaymentIntent on the platform; a
// release sends each payee a Transfer (separate charges and transfers, one
// transfer_group per deal); refunds go back on the PaymentIntent. Every
// call carries the operation's idempotency key, derived from domain ids
// (milestone:<id>:fund, milestone:<id>:release:<org> …), so a retry never
// moves money twice.
package stripe

import (
	"context"
	"strings"
	"techbridge/market/msgs"
	"time"

	stripego "github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"techbridge/market"
)

// Config configures the provider.
type Config struct {
	SecretKey     string
	WebhookSecret string
	// APIBase points the client elsewhere than api.stripe.com, e.g. at
	// stripe-mock; empty = Stripe.
	APIBase string
}

// Provider is market.PaymentProvider over Stripe Connect.
type Provider struct {
	api           *client.API
	webhookSecret string
	now           func() time.Time
}

var _ market.PaymentProvider = (*Provider)(nil)

// MetadataKey is the metadata field carrying our idempotency key, by which
// webhooks find the operation.
const MetadataKey = "techbridge_key"

// WebhookTolerance is how old a signed webhook may be, and how far its
// timestamp may lie in the future (clock skew).
const WebhookTolerance = 300 * time.Second

// SetClock replaces the clock webhook timestamps are checked against (tests).
func (p *Provider) SetClock(now func() time.Time) { p.now = now }

// New returns a provider with its own client (no global stripe-go state),
// so tests and several set-ups can coexist in one process.
func New(cfg Config) (*Provider, error) {
	if cfg.SecretKey == "" {
		return nil, market.Invalid("stripe_secret_key", msgs.Required)
	}
	bc := &stripego.BackendConfig{MaxNetworkRetries: stripego.Int64(2), LeveledLogger: &stripego.LeveledLogger{Level: stripego.LevelError}}
	if cfg.APIBase != "" {
		bc.URL = stripego.String(strings.TrimRight(cfg.APIBase, "/"))
	}
	backend := stripego.GetBackendWithConfig(stripego.APIBackend, bc)
	api := client.New(cfg.SecretKey, &stripego.Backends{API: backend, Connect: backend, Uploads: backend})
	return &Provider{api: api, webhookSecret: cfg.WebhookSecret, now: time.Now}, nil
}

// Name is the Stripe clearing account.
func (*Provider) Name() string { return market.ProviderStripe }

func params(ctx context.Context, key string) stripego.Params {
	p := stripego.Params{Context: ctx}
	if key != "" {
		p.SetIdempotencyKey(key)
		p.AddMetadata(MetadataKey, key)
	}
	return p
}

// StartFunding creates the PaymentIntent the buyer's browser confirms.
func (p *Provider) StartFunding(ctx context.Context, op market.PaymentOp, transferGroup string) (market.PaymentOp, error) {
	pi, err := p.api.PaymentIntents.New(&stripego.PaymentIntentParams{
		Params:                  params(ctx, op.IdempotencyKey),
		Amount:                  stripego.Int64(op.Amount),
		Currency:                stripego.String(strings.ToLower(op.Currency)),
		TransferGroup:           stripego.String(transferGroup),
		AutomaticPaymentMethods: &stripego.PaymentIntentAutomaticPaymentMethodsParams{Enabled: stripego.Bool(true)},
	})
	if err != nil {
		return op, providerError("create the payment", err)
	}
	op.ExternalRef, op.ClientSecret = pi.ID, pi.ClientSecret
	return op, nil
}

// Transfer sends a payee's share to its connected account.
func (p *Provider) Transfer(ctx context.Context, op market.PaymentOp, payee *market.PaymentAccount, transferGroup string) (string, bool, error) {
	if payee == nil || payee.ExternalID == "" {
		return "", false, market.Errorf(market.ECONFLICT, msgs.OrganisationXHasNoStripeAccount, op.OrgID)
	}
	tr, err := p.api.Transfers.New(&stripego.TransferParams{
		Params:        params(ctx, op.IdempotencyKey),
		Amount:        stripego.Int64(op.Amount),
		Currency:      stripego.String(strings.ToLower(op.Currency)),
		Destination:   stripego.String(payee.ExternalID),
		TransferGroup: stripego.String(transferGroup),
	})
	if err != nil {
		return "", false, providerError("transfer", err)
	}
	return tr.ID, true, nil
}

// Refund returns money on the buyer's PaymentIntent.
func (p *Provider) Refund(ctx context.Context, op market.PaymentOp, fund market.PaymentOp) (string, bool, error) {
	if fund.ExternalRef == "" {
		return "", false, market.Errorf(market.ECONFLICT, msgs.FundingHasNoPaymentIntent)
	}
	r, err := p.api.Refunds.New(&stripego.RefundParams{
		Params:        params(ctx, op.IdempotencyKey),
		PaymentIntent: stripego.String(fund.ExternalRef),
		Amount:        stripego.Int64(op.Amount),
	})
	if err != nil {
		return "", false, providerError("refund", err)
	}
	return r.ID, true, nil
}

// Onboard creates an Express connected account (once, keyed by the
// organisation) and returns a fresh onboarding link.
func (p *Provider) Onboard(ctx context.Context, org market.Organization, acct *market.PaymentAccount, returnURL string) (market.PaymentAccount, string, error) {
	var out market.PaymentAccount
	if acct != nil && acct.ExternalID != "" {
		out = *acct
	} else {
		a, err := p.api.Accounts.New(&stripego.AccountParams{
			Params: params(ctx, "org:"+org.ID+":connect"),
			Type:   stripego.String(string(stripego.AccountTypeExpress)),
			Capabilities: &stripego.AccountCapabilitiesParams{
				Transfers: &stripego.AccountCapabilitiesTransfersParams{Requested: stripego.Bool(true)},
			},
		})
		if err != nil {
			return out, "", providerError("create the connected account", err)
		}
		out = market.PaymentAccount{ExternalID: a.ID, ChargesEnabled: a.ChargesEnabled,
			PayoutsEnabled: a.PayoutsEnabled, DetailsSubmitted: a.DetailsSubmitted}
	}
	link, err := p.api.AccountLinks.New(&stripego.AccountLinkParams{
		Params:     stripego.Params{Context: ctx},
		Account:    stripego.String(out.ExternalID),
		RefreshURL: stripego.String(returnURL),
		ReturnURL:  stripego.String(returnURL),
		Type:       stripego.String("account_onboarding"),
	})
	if err != nil {
		return out, "", providerError("create the onboarding link", err)
	}
	return out, link.URL, nil
}

// Records lists the PaymentIntents, transfers and refunds Stripe holds.
func (p *Provider) Records(ctx context.Context) ([]market.ProviderRecord, error) {
	var out []market.ProviderRecord
	lp := stripego.ListParams{Context: ctx}
	pis := p.api.PaymentIntents.List(&stripego.PaymentIntentListParams{ListParams: lp})
	for pis.Next() {
		pi := pis.PaymentIntent()
		if pi.Status == stripego.PaymentIntentStatusSucceeded {
			out = append(out, market.ProviderRecord{Kind: market.PayFund, Ref: pi.ID, Key: pi.Metadata[MetadataKey],
				Amount: pi.AmountReceived, Currency: strings.ToUpper(string(pi.Currency))})
		}
	}
	if err := pis.Err(); err != nil {
		return nil, providerError("list payments", err)
	}
	trs := p.api.Transfers.List(&stripego.TransferListParams{ListParams: lp})
	for trs.Next() {
		t := trs.Transfer()
		out = append(out, market.ProviderRecord{Kind: market.PayTransfer, Ref: t.ID, Key: t.Metadata[MetadataKey],
			Amount: t.Amount - t.AmountReversed, Currency: strings.ToUpper(string(t.Currency))})
	}
	if err := trs.Err(); err != nil {
		return nil, providerError("list transfers", err)
	}
	rs := p.api.Refunds.List(&stripego.RefundListParams{ListParams: lp})
	for rs.Next() {
		r := rs.Refund()
		out = append(out, market.ProviderRecord{Kind: market.PayRefund, Ref: r.ID, Key: r.Metadata[MetadataKey],
			Amount: r.Amount, Currency: strings.ToUpper(string(r.Currency))})
	}
	if err := rs.Err(); err != nil {
		return nil, providerError("list refunds", err)
	}
	return out, nil
}

// providerError keeps Stripe's message out of client answers (it may name
// accounts) while the log keeps the cause.
func providerError(what string, err error) error {
	return &wrapped{msg: "stripe could not " + what, err: err}
}

type wrapped struct {
	msg string
	err error
}

func (w *wrapped) Error() string { return w.msg + ": " + w.err.Error() }
func (w *wrapped) Unwrap() error { return w.err }
