package market

import "time"

// Payment operation kinds: one movement of real money at a provider.
const (
	PayFund     = "fund"     // the buyer pays a milestone into escrow
	PayRefund   = "refund"   // money goes back to the buyer
	PayTransfer = "transfer" // a payee's share leaves the platform (Stripe transfer, or a bank payout)
)

// Payment operation states. Pending waits for the provider or a person;
// succeeded and failed are final (a failed transfer is retried as a new
// attempt of the same operation, never as a second operation).
const (
	PayPending   = "pending"
	PaySucceeded = "succeeded"
	PayFailed    = "failed"
)

// PaymentOp is one movement of money at a provider. Its IdempotencyKey is
// derived from domain ids (milestone:<id>:fund, milestone:<id>:release:<org>,
// milestone:<id>:refund:v<version>) and is both unique in the store and the
// key sent to the provider, so the same movement is never asked for twice.
type PaymentOp struct {
	ID               string
	Kind             string
	Provider         string // ProviderStripe or ProviderBank
	State            string
	DealID           string
	MilestoneID      string
	OrgID            string // the payer of a fund, the payee of a transfer, the buyer of a refund
	Amount           int64
	Currency         string
	IdempotencyKey   string
	ExternalRef      string // PaymentIntent, Transfer or Refund id; a bank transfer reference
	ClientSecret     string // Stripe PaymentIntent client secret, for the buyer's browser
	ProviderRefunded int64  // refunds the provider reported for a fund, cumulative
	Note             string
	CreatedBy        string // account id; "" for the system
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Version          int64
}

// PaymentDeal is what payments fixed for a deal when it was first funded:
// the parties, the provider and the platform fee. Later changes of the
// platform's settings do not touch running deals.
type PaymentDeal struct {
	DealID            string
	BuyerOrgID        string
	SellerOrgID       string
	IntermediaryOrgID string
	Currency          string
	Provider          string
	PlatformBPS       int64
	CreatedAt         time.Time
}

// Party reports whether orgID is the buyer, seller or intermediary.
func (p PaymentDeal) Party(orgID string) bool {
	return orgID != "" && (orgID == p.BuyerOrgID || orgID == p.SellerOrgID || orgID == p.IntermediaryOrgID)
}

// PaymentAccount is a payee's account at a provider (a Stripe connected
// account), tracked from the provider's account.updated events.
type PaymentAccount struct {
	OrgID            string
	Provider         string
	ExternalID       string
	ChargesEnabled   bool
	PayoutsEnabled   bool
	DetailsSubmitted bool
	UpdatedAt        time.Time
}

// WebhookEvent is a provider event as stored once by its id.
type WebhookEvent struct {
	Provider   string
	ID         string
	Type       string
	Created    time.Time
	ReceivedAt time.Time
	Outcome    string // what it did: "funded", "ignored: …"
}

// PaymentOpFilter selects payment operations.
type PaymentOpFilter struct {
	Kinds       []string
	State       string
	MilestoneID string
	OrgID       string
	Limit       int
}

// PaymentTx persists what payments needs beside the ledger.
type PaymentTx interface {
	// CreatePaymentDeal stores a deal's payment set-up; ECONFLICT if present.
	CreatePaymentDeal(p PaymentDeal) error
	PaymentDeal(dealID string) (*PaymentDeal, error)
	// PaymentDealsOf lists the deals an organisation is a party to.
	PaymentDealsOf(orgID string) ([]PaymentDeal, error)

	// CreatePaymentOp inserts op; ECONFLICT when its idempotency key is taken.
	CreatePaymentOp(op *PaymentOp) error
	PaymentOpByID(id string) (*PaymentOp, error)
	PaymentOpByKey(key string) (*PaymentOp, error)
	// PaymentOpByExternal finds an operation by its provider reference.
	PaymentOpByExternal(provider, ref string) (*PaymentOp, error)
	// UpdatePaymentOp writes op if its stored version is op.Version-1.
	UpdatePaymentOp(op *PaymentOp) error
	ListPaymentOps(f PaymentOpFilter) ([]PaymentOp, error)

	// PutPaymentAccount inserts or replaces an organisation's provider account.
	PutPaymentAccount(a PaymentAccount) error
	PaymentAccount(orgID, provider string) (*PaymentAccount, error)
	PaymentAccountByExternal(externalID string) (*PaymentAccount, error)

	// RecordWebhookEvent stores an event id once; ECONFLICT when seen before.
	RecordWebhookEvent(e WebhookEvent) error
	// SetWebhookOutcome records what a stored event did.
	SetWebhookOutcome(provider, id, outcome string) error
	WebhookEventByID(provider, id string) (*WebhookEvent, error)
}
