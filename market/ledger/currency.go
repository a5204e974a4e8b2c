package ledger

import (
	"slices"
	"strings"
	"techbridge/market/msgs"
)

// MaxAmount is the platform's bound on any price, milestone, fee or payout,
// in minor units of its currency: 10^15 (ten trillion yuan in fen). It is
// the same number for every currency, far beyond any technology contract,
// and far enough below 2^63 that sums of a few amounts cannot overflow.
const MaxAmount int64 = 1_000_000_000_000_000

// MaxBalance bounds every ledger entry and every account balance: 100 times
// MaxAmount, so a shared account (clearing, revenue) holds the traffic of a
// hundred maximal contracts and three balances still add up inside int64.
const MaxBalance int64 = 100 * MaxAmount

// Currency is one ISO 4217 currency the platform moves.
type Currency struct {
	Code       string // ISO 4217, e.g. "CNY"
	MinorUnits int    // decimals of the minor unit: JPY 0, CNY 2, KWD 3
	Symbol     string // the sign Chinese pages put before an amount; "" = the code
	Max        int64  // the largest amount accepted, in minor units
}

// currencies is the one currency table. It is small on purpose: a currency
// is added when someone needs it and its exponent has been checked against
// ISO 4217, not inherited from CLDR data (which gives IQD 0 decimals where
// ISO says 3). Test and non-money codes (XXX, XTS, precious metals) and
// crypto-assets are not currencies here.
var currencies = []Currency{
	// zero decimals
	{"JPY", 0, "JP¥", MaxAmount}, {"KRW", 0, "₩", MaxAmount}, {"VND", 0, "₫", MaxAmount}, {"CLP", 0, "", MaxAmount},
	{"ISK", 0, "", MaxAmount}, {"UGX", 0, "", MaxAmount}, {"PYG", 0, "", MaxAmount}, {"XAF", 0, "", MaxAmount},
	{"XOF", 0, "", MaxAmount},
	// two decimals
	{"CNY", 2, "¥", MaxAmount}, {"USD", 2, "US$", MaxAmount}, {"EUR", 2, "€", MaxAmount}, {"GBP", 2, "£", MaxAmount},
	{"HKD", 2, "HK$", MaxAmount}, {"MOP", 2, "MOP$", MaxAmount}, {"TWD", 2, "NT$", MaxAmount}, {"SGD", 2, "S$", MaxAmount},
	{"CHF", 2, "", MaxAmount}, {"CAD", 2, "C$", MaxAmount}, {"AUD", 2, "A$", MaxAmount}, {"NZD", 2, "NZ$", MaxAmount},
	{"SEK", 2, "", MaxAmount}, {"NOK", 2, "", MaxAmount}, {"DKK", 2, "", MaxAmount}, {"INR", 2, "₹", MaxAmount},
	{"THB", 2, "฿", MaxAmount}, {"MYR", 2, "", MaxAmount},
	// three decimals
	{"KWD", 3, "", MaxAmount}, {"BHD", 3, "", MaxAmount}, {"OMR", 3, "", MaxAmount}, {"JOD", 3, "", MaxAmount},
	{"TND", 3, "", MaxAmount}, {"IQD", 3, "", MaxAmount},
}

// Lookup returns the currency with the code (upper case expected); an
// unknown code is ErrCurrency.
func Lookup(code string) (Currency, error) {
	i := slices.IndexFunc(currencies, func(c Currency) bool { return c.Code == code })
	if i < 0 {
		return Currency{}, refuse(ErrCurrency, "currency", msgs.XNotCurrencyPlatformHandles, code)
	}
	return currencies[i], nil
}

// Currencies returns the table, in display order.
func Currencies() []Currency { return slices.Clone(currencies) }

// Codes returns the codes of the table, for messages and documents.
func Codes() string {
	codes := make([]string, len(currencies))
	for i, c := range currencies {
		codes[i] = c.Code
	}
	return strings.Join(codes, ", ")
}

// CheckAmount refuses an amount outside 1..Max of the currency (min = 0 when
// zero is allowed); field names the input in the error.
func CheckAmount(field string, amount int64, currency string, allowZero bool) error {
	c, err := Lookup(currency)
	if err != nil {
		return err
	}
	lo := int64(1)
	if allowZero {
		lo = 0
	}
	if amount < lo || amount > c.Max {
		return refuse(ErrOutOfBounds, field, msgs.MinorUnitsBetween, Money{lo, currency}, Money{c.Max, currency})
	}
	return nil
}
