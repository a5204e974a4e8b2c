// Package manual is the embedded default payment provider: the buyer pays
// by bank transfer and records its reference, the seller or an admin
// confirms receipt, and an admin pays transfers and refunds by bank and
// marks them paid with the bank's reference. No money moves by itself, so
// every call here only records.
package manual

import (
	"context"
	"strings"
	"techbridge/market/msgs"
	"unicode/utf8"

	"techbridge/market"
)

// Provider is market.PaymentProvider for bank transfers.
type Provider struct{}

var _ market.PaymentProvider = Provider{}

// Name is the bank clearing account.
func (Provider) Name() string { return market.ProviderBank }

// StartFunding requires the buyer's bank transfer reference.
func (Provider) StartFunding(_ context.Context, op market.PaymentOp, _ string) (market.PaymentOp, error) {
	op.ExternalRef = strings.TrimSpace(op.ExternalRef)
	if op.ExternalRef == "" || utf8.RuneCountInString(op.ExternalRef) > 200 {
		return op, market.Invalid("reference", msgs.ReferenceYourBankTransferRequired1)
	}
	return op, nil
}

// Transfer leaves the payout to an admin: pending until marked paid.
func (Provider) Transfer(context.Context, market.PaymentOp, *market.PaymentAccount, string) (string, bool, error) {
	return "", false, nil
}

// Refund leaves the bank refund to an admin, like a transfer.
func (Provider) Refund(context.Context, market.PaymentOp, market.PaymentOp) (string, bool, error) {
	return "", false, nil
}

// Onboard has nothing to set up: bank payouts go to the organisation's
// payout account.
func (Provider) Onboard(context.Context, market.Organization, *market.PaymentAccount, string) (market.PaymentAccount, string, error) {
	return market.PaymentAccount{}, "", market.Errorf(market.ENOTIMPLEMENTED, msgs.BankPayoutsNeedNoOnboardingSet)
}

// ParseWebhook refuses: banks send no webhooks here.
func (Provider) ParseWebhook([]byte, string) (market.ProviderEvent, error) {
	return market.ProviderEvent{}, market.Errorf(market.ENOTIMPLEMENTED, msgs.ManualProviderTakesNoWebhooks)
}

// Records has nothing to compare: the references recorded by people are
// the only record, and reconciliation checks those.
func (Provider) Records(context.Context) ([]market.ProviderRecord, error) { return nil, nil }
