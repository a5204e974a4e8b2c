package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"techbridge/payments"
)

// parseAmount reads an amount typed in major units ("1,000.5") as minor
// units of currency, exactly, with no more decimals than the currency has.
func parseAmount(s, currency string) (int64, bool) {
	exp, err := payments.MinorUnits(currency)
	if err != nil {
		return 0, false
	}
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(frac) > exp || dot && frac == "" || strings.HasPrefix(whole, "+") || strings.HasPrefix(whole, "-") {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	var f int64
	if frac != "" {
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil || strings.ContainsAny(frac, "+-") {
			return 0, false
		}
	}
	scale := int64(1)
	for range exp {
		scale *= 10
	}
	for range exp - len(frac) {
		f *= 10
	}
	if w > (1<<62)/scale {
		return 0, false
	}
	return w*scale + f, true
}

// majorAmount renders minor units for an input field: the decimal of
// FormatAmount without the currency code.
func majorAmount(amount int64, currency string) string {
	s := payments.FormatAmount(amount, currency)
	return strings.TrimSuffix(s, " "+currency)
}

// bpsPercent renders basis points as a percentage, 250 → "2.50%".
func bpsPercent(bps int64) string { return fmt.Sprintf("%d.%02d%%", bps/100, bps%100) }

// cst formats a time in China's time zone, where the parties are.
func cst(t time.Time) string { return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04") }
