// Package payments holds the providers that move real money, one
// sub-package each: payments/manual (bank transfers the platform confirms)
// and payments/stripe (Stripe Connect). Money itself (currencies, bounds,
// the fee split, the postings) is market/ledger's; the tests in this
// directory run the service with each provider over both engines.
package payments
