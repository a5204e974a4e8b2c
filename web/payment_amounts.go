package web

import (
	"fmt"
	"strings"
	"time"

	"techbridge/market"
	"techbridge/market/ledger"
)

// parseAmount reads an amount typed in major units ("1,000.5") as minor
// units of currency, exactly, with no more decimals than the currency has
// (JPY none, CNY two, KWD three) and within the platform's bound: every
// form of the pages types amounts this way (ledger.Parse), while imports
// and the API take minor units.
func parseAmount(s, currency string) (int64, bool) {
	n, err := ledger.Parse(s, formCurrency(currency))
	return n, err == nil
}

// formCurrency is the currency a form's amounts are typed in: its
// currency field, upper-cased, CNY when empty.
func formCurrency(currency string) string {
	c := strings.ToUpper(strings.TrimSpace(currency))
	if c == "" {
		return market.DefaultCurrency
	}
	return c
}

// amountHint is the message for an amount a form could not read, naming
// how many decimals the currency takes.
func amountHint(currency string) string {
	c, err := ledger.Lookup(formCurrency(currency))
	if err != nil {
		return "needs a currency the platform handles"
	}
	if c.MinorUnits == 0 {
		return "must be a whole amount of " + c.Code + " such as 250000"
	}
	return "must be an amount of " + c.Code + " such as 250000 or 250000." + strings.Repeat("5", c.MinorUnits)
}

// majorAmount renders minor units for an input field, in the currency's
// own decimals (ledger.Major).
func majorAmount(amount int64, currency string) string {
	return ledger.Major(amount, formCurrency(currency))
}

// bpsPercent renders basis points as a percentage, 250 → "2.50%".
func bpsPercent(bps int64) string { return fmt.Sprintf("%d.%02d%%", bps/100, bps%100) }

// cst formats a time in China's time zone, where the parties are.
func cst(t time.Time) string { return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04") }
