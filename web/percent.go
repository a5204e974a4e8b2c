package web

import (
	"net/http"
	"strconv"
	"strings"
	"techbridge/market/msgs"

	"techbridge/market"
)

// People read and type rates as percentages; the market keeps basis
// points (1% = 100), so the pages convert at the edge and never say "bps".

// percentText shows basis points as a percentage: 300 → "3%", 250 → "2.5%".
func percentText(bps int64) string { return percentInput(bps) + "%" }

// percentInput is percentText without the sign, as a form field holds it.
func percentInput(bps int64) string {
	return strconv.FormatFloat(float64(bps)/100, 'f', -1, 64)
}

// parsePercent reads a percentage with at most two decimals ("2.5", "3 %",
// "0.25") as basis points, within 0..100%.
func parsePercent(s string) (int64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(frac) > 2 {
		return 0, false
	}
	frac += strings.Repeat("0", 2-len(frac))
	if whole == "" {
		whole = "0"
	}
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w < 0 || f < 0 || w > 100 {
		return 0, false
	}
	bps := w*100 + f
	return bps, bps <= 10000
}

// fingerprint is the short form of a SHA-256 hex digest that people compare
// by eye: its first 16 hex digits in groups of four. The full digest stays
// in the forms that sign it and on the printable contract.
func fingerprint(hash string) string {
	if len(hash) < 16 {
		return hash
	}
	return hash[0:4] + " " + hash[4:8] + " " + hash[8:12] + " " + hash[12:16]
}

// siteURL is the scheme and host the visitor reached the site at.
func siteURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// feeFields are the inputs of a fee form (invitation or join request).
var feeFields = []string{"org_id", "fee_basis", "fee_percent", "fee_fixed", "fee_currency", "fee_payer"}

// feeTerms reads a fee form: a percentage of the contract price, or a fixed
// amount in CNY (before any offer the contract's currency is unknown, so a
// fixed fee is typed in the platform's default currency).
func feeTerms(f *form) (market.FeeTerms, error) {
	fee := market.FeeTerms{Basis: market.FeeBasisBPS, Payer: f.Value("fee_payer")}
	if f.Value("fee_basis") == market.FeeBasisFixed {
		// A fixed fee is agreed with its own currency (offers must then
		// be in it), typed in that currency's decimals.
		fee.Basis, fee.Currency = market.FeeBasisFixed, formCurrency(f.Value("fee_currency"))
		fixed, ok := parseAmount(f.Value("fee_fixed"), fee.Currency)
		if !ok {
			return fee, market.Invalid("fee_fixed", msgs.Text, amountHint(fee.Currency))
		}
		fee.Fixed = fixed
		return fee, nil
	}
	bps, ok := parsePercent(f.Value("fee_percent"))
	if !ok {
		return fee, market.Invalid("fee_percent", msgs.FeePercent)
	}
	fee.BPS = bps
	return fee, nil
}
