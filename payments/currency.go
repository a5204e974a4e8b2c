// Package payments turns milestone events into money: the ledger postings
// for each movement, and (in sub-packages) the providers that move real
// money. Currencies, bounds and the fee split live in market/ledger.
package payments

import (
	"techbridge/market"
	"techbridge/market/ledger"
)

// MinorUnits returns how many decimals a currency's minor unit has: 0 for JPY,
// 2 for CNY, 3 for KWD. An unknown currency is EINVALID.
func MinorUnits(currency string) (int, error) {
	c, err := ledger.Lookup(currency)
	return c.MinorUnits, market.MoneyError(err)
}

// FormatAmount renders minor units as "1234.50 CNY" for messages and logs
// (ledger.Plain); pages use ledger.Format.
func FormatAmount(amount int64, currency string) string { return ledger.Plain(amount, currency) }
