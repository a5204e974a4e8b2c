// Package payments turns milestone events into money: the fee split, the
// ledger postings for each movement, and (in sub-packages) the providers
// that move real money.
package payments

import (
	"strconv"
	"strings"

	"techbridge/market"
)

// minorUnits holds the ISO 4217 exponent of every currency the platform can
// move. The table is small on purpose: a currency is added when someone
// needs it and its exponent has been checked, not inherited from CLDR data
// (which, for example, gives IQD 0 decimals where ISO says 3).
var minorUnits = map[string]int{
	// zero-decimal
	"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "UGX": 0, "PYG": 0, "XAF": 0, "XOF": 0,
	// two decimals
	"CNY": 2, "USD": 2, "EUR": 2, "GBP": 2, "HKD": 2, "MOP": 2, "TWD": 2, "SGD": 2, "CHF": 2,
	"CAD": 2, "AUD": 2, "NZD": 2, "SEK": 2, "NOK": 2, "DKK": 2, "INR": 2, "THB": 2, "MYR": 2,
	// three decimals
	"KWD": 3, "BHD": 3, "OMR": 3, "JOD": 3, "TND": 3, "IQD": 3,
}

// MinorUnits returns how many decimals a currency's minor unit has: 0 for JPY,
// 2 for CNY, 3 for KWD. An unknown currency is EINVALID.
func MinorUnits(currency string) (int, error) {
	n, ok := minorUnits[currency]
	if !ok {
		return 0, market.Invalid("currency", "%q is not a currency the platform handles", currency)
	}
	return n, nil
}

// FormatAmount renders minor units as a decimal with the currency code, e.g.
// "1234.50 CNY" or "1234 JPY"; it is for messages and logs, not for parsing.
func FormatAmount(amount int64, currency string) string {
	n, ok := minorUnits[currency]
	if !ok || n == 0 {
		return strconv.FormatInt(amount, 10) + " " + currency
	}
	sign := ""
	u := uint64(amount)
	if amount < 0 {
		sign, u = "-", -u
	}
	s := strconv.FormatUint(u, 10)
	if len(s) <= n {
		s = strings.Repeat("0", n-len(s)+1) + s
	}
	return sign + s[:len(s)-n] + "." + s[len(s)-n:] + " " + currency
}
