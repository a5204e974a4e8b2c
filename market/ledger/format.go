package ledger

import (
	"strconv"
	"strings"
	"techbridge/market/msgs"
)

// Display languages of Format.
const (
	LangZH = "zh"
	LangEN = "en"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// decimal renders minor units as a decimal with the currency's exponent and
// thousands separators when grouped: 150000000 CNY → "1,500,000.00".
func decimal(amount int64, exp int, grouped bool) string {
	sign := ""
	u := uint64(amount)
	if amount < 0 {
		sign, u = "-", -u
	}
	s := strconv.FormatUint(u, 10)
	if len(s) <= exp {
		s = strings.Repeat("0", exp-len(s)+1) + s
	}
	whole, frac := s[:len(s)-exp], s[len(s)-exp:]
	if grouped {
		var b strings.Builder
		for i, r := range whole {
			if i > 0 && (len(whole)-i)%3 == 0 {
				b.WriteByte(',')
			}
			b.WriteRune(r)
		}
		whole = b.String()
	}
	if exp == 0 {
		return sign + whole
	}
	return sign + whole + "." + frac
}

// Plain renders minor units as "1234.50 CNY" (no grouping), for logs, API
// details and error messages: not for people's pages, which use Format.
func Plain(amount int64, currency string) string {
	exp := 0
	if c, err := Lookup(currency); err == nil {
		exp = c.MinorUnits
	}
	return decimal(amount, exp, false) + " " + currency
}

// Major renders minor units for an input field, ungrouped and without the
// currency: 100000 CNY → "1000.00", 1000 JPY → "1000", 1500 KWD → "1.500".
func Major(amount int64, currency string) string {
	exp := 0
	if c, err := Lookup(currency); err == nil {
		exp = c.MinorUnits
	}
	return decimal(amount, exp, false)
}

// Format is the one way pages show an amount, one format per language:
// Chinese puts the currency's sign before the grouped decimal
// ("¥1,500,000.00", "JP¥1,000"; the code and a space where the currency
// has no sign, "KWD 1.500"), English the code ("CNY 1,500,000.00").
func Format(amount int64, currency, lang string) string {
	c, err := Lookup(currency)
	if err != nil {
		return decimal(amount, 0, true) + " " + currency
	}
	n := decimal(amount, c.MinorUnits, true)
	if lang == LangZH && c.Symbol != "" && strings.HasPrefix(n, "-") {
		return "-" + c.Symbol + n[1:] // "-¥5.00", not "¥-5.00"
	}
	return prefix(c, lang) + n
}

// FormatRange shows a range of amounts the way Format shows one, the sign
// or code written once: zh "¥800,000.00–1,500,000.00", en
// "CNY 800,000.00–1,500,000.00". Equal bounds show one amount. Ranges are
// prices and budgets, never negative.
func FormatRange(lo, hi int64, currency, lang string) string {
	if lo == hi {
		return Format(lo, currency, lang)
	}
	c, err := Lookup(currency)
	if err != nil {
		return decimal(lo, 0, true) + "–" + decimal(hi, 0, true) + " " + currency
	}
	return prefix(c, lang) + decimal(lo, c.MinorUnits, true) + "–" + decimal(hi, c.MinorUnits, true)
}

// prefix is what comes before the number in lang: the sign in Chinese
// where the currency has one, otherwise the code and a space.
func prefix(c Currency, lang string) string {
	if lang == LangZH && c.Symbol != "" {
		return c.Symbol
	}
	return c.Code + " "
}

// Parse reads an amount typed in major units ("1,500,000.5", "1000") as
// minor units of currency, exactly: no more decimals than the currency has
// (JPY none, CNY two, KWD three), no sign, and within 0..Max. Refusals are
// ErrCurrency, ErrInvalid (not a number, too many decimals) or
// ErrOutOfBounds.
func Parse(s, currency string) (int64, error) {
	c, err := Lookup(currency)
	if err != nil {
		return 0, err
	}
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || !digits(whole) || dot && (frac == "" || !digits(frac)) {
		return 0, refuse(ErrInvalid, "amount", msgs.XNotAmount, s)
	}
	if len(frac) > c.MinorUnits {
		return 0, refuse(ErrInvalid, "amount", msgs.XHasNDecimalsAtMost, currency, c.MinorUnits)
	}
	frac += strings.Repeat("0", c.MinorUnits-len(frac))
	whole = strings.TrimLeft(whole, "0")
	if len(whole)+len(frac) > 18 { // beyond 10^18: out of bounds whatever the digits
		return 0, refuse(ErrOutOfBounds, "amount", msgs.AtMostAmount, Money{c.Max, currency})
	}
	v, err := strconv.ParseInt("0"+whole+frac, 10, 64)
	if err != nil || v > c.Max {
		return 0, refuse(ErrOutOfBounds, "amount", msgs.AtMostAmount, Money{c.Max, currency})
	}
	return v, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
