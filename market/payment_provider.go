package market

import (
	"context"
	"strings"
	"time"
)

// PaymentProvider moves real money; payments/manual (bank transfers a
// person confirms) and payments/stripe (Stripe Connect) implement it. Every
// call carries op.IdempotencyKey, so a retried call moves money once.
type PaymentProvider interface {
	// Name is ProviderBank or ProviderStripe, the ledger clearing account.
	Name() string
	// StartFunding asks the buyer for a fund operation and returns it with
	// ExternalRef (and, for cards, ClientSecret) set. The manual provider
	// keeps the buyer's bank reference; funding is confirmed later, by a
	// person (manual) or a webhook (Stripe).
	StartFunding(ctx context.Context, op PaymentOp, transferGroup string) (PaymentOp, error)
	// Transfer sends a payee its share. It returns the provider reference
	// and done=true when the money left, or done=false when a person must
	// pay it (manual payouts, marked paid by an admin).
	Transfer(ctx context.Context, op PaymentOp, payee *PaymentAccount, transferGroup string) (ref string, done bool, err error)
	// Refund returns op.Amount of the funding fund to the buyer, with the
	// same done semantics as Transfer.
	Refund(ctx context.Context, op PaymentOp, fund PaymentOp) (ref string, done bool, err error)
	// Onboard creates (when acct is nil) the organisation's provider account
	// and returns it with a link where its owner completes onboarding.
	Onboard(ctx context.Context, org Organization, acct *PaymentAccount, returnURL string) (PaymentAccount, string, error)
	// ParseWebhook verifies a webhook's signature over the raw payload and
	// returns the event; a bad signature, an old timestamp or a tampered
	// body is EUNAUTHORIZED.
	ParseWebhook(payload []byte, signature string) (ProviderEvent, error)
	// Records lists the provider's own records of money movements, for
	// reconciliation with the ledger.
	Records(ctx context.Context) ([]ProviderRecord, error)
}

// ProviderEvent is a verified webhook event reduced to what payments acts on.
type ProviderEvent struct {
	ID      string
	Type    string
	Created time.Time
	// ConnectedAccount is the provider account the event happened on (a
	// Stripe Connect account's id), "" for the platform's own account.
	ConnectedAccount string
	// Exactly one of the following is set for events with an effect.
	Funding *FundingUpdate
	Account *PaymentAccount
}

// FundingUpdate is news about a buyer's payment: its state at the provider
// and the refunds made on it so far.
type FundingUpdate struct {
	ExternalRef string // PaymentIntent id
	Key         string // our idempotency key, from the provider's metadata when it carries it
	State       string // PayPending, PaySucceeded or PayFailed; "" when the event says nothing of it
	Amount      int64
	Currency    string
	Refunded    int64 // cumulative, when the event reports refunds
}

// ProviderRecord is a money movement as the provider records it.
type ProviderRecord struct {
	Kind     string // PayFund, PayRefund or PayTransfer
	Ref      string // the provider's id
	Key      string // our idempotency key when the provider keeps it (metadata)
	Amount   int64
	Currency string
}

// Payments is what the service needs to move money; cmd/techbridge sets it
// from configured in cmd/techbridge. The zero value disables payments (ENOTIMPLEMENTED).
type Payments struct {
	Provider    PaymentProvider
	PlatformBPS int64 // the platform fee fixed for deals funded from now on
	// Escrow is the platform's bank account buyers transfer to with the
	// manual provider; the funding page shows it with the reference to quote.
	Escrow EscrowBank
}

// EscrowBank is the platform's own bank account that holds buyers'
// money until release (TECHBRIDGE_ESCROW_ACCOUNT_BANK, _NAME, _NUMBER).
type EscrowBank struct {
	Bank   string // e.g. 中国工商银行上海分行
	Name   string // the account holder, the platform's legal name
	Number string
}

// Configured reports whether buyers can be told where to transfer.
func (e EscrowBank) Configured() bool { return e.Bank != "" && e.Name != "" && e.Number != "" }

// EscrowReference is what a buyer quotes on the bank transfer for a
// milestone, so the platform matches the money arriving in its escrow
// account to the milestone (by hand, or by a bank-statement import): "TB-"
// and the milestone id's last twelve hex characters, upper case. The last,
// not the first: a UUIDv7 begins with its millisecond, which the milestones
// of one contract share, and ends with random bits.
func EscrowReference(milestoneID string) string {
	id := strings.ToUpper(strings.ReplaceAll(milestoneID, "-", ""))
	if len(id) > 12 {
		id = id[len(id)-12:]
	}
	return "TB-" + id
}
