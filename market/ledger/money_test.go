package ledger

import (
	"errors"
	"math"
	"testing"
)

func TestLookup(t *testing.T) {
	for cur, want := range map[string]int{"JPY": 0, "KRW": 0, "CNY": 2, "USD": 2, "EUR": 2, "KWD": 3, "IQD": 3} {
		if c, err := Lookup(cur); c.MinorUnits != want || err != nil {
			t.Errorf("%s: %d %v", cur, c.MinorUnits, err)
		}
	}
	// Issue 11: offers in BTC or XXX were signable; neither is a currency here.
	for _, code := range []string{"BTC", "XXX", "XTS", "XAU", "cny", ""} {
		if _, err := Lookup(code); !errors.Is(err, ErrCurrency) {
			t.Errorf("%q: %v, want ErrCurrency", code, err)
		}
	}
}

func TestAddIsChecked(t *testing.T) {
	if _, err := Add(math.MaxInt64, 1); !errors.Is(err, ErrOverflow) {
		t.Errorf("MaxInt64+1: %v", err)
	}
	if _, err := Add(math.MinInt64, -1); !errors.Is(err, ErrOverflow) {
		t.Errorf("MinInt64-1: %v", err)
	}
	if _, err := Add(MaxBalance, 1); !errors.Is(err, ErrOutOfBounds) {
		t.Errorf("MaxBalance+1: %v", err)
	}
	if _, err := Sub(0, math.MinInt64); !errors.Is(err, ErrOverflow) {
		t.Errorf("0-MinInt64: %v", err)
	}
	if v, err := Sum(MaxBalance, -MaxBalance, 5); v != 5 || err != nil {
		t.Errorf("Sum: %d %v", v, err)
	}
	if _, err := (Money{1, "CNY"}).Add(Money{1, "JPY"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("mixed currencies: %v", err)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		amount     int64
		cur        string
		zh, en     string
		plain, maj string
	}{
		{150000000, "CNY", "¥1,500,000.00", "CNY 1,500,000.00", "1500000.00 CNY", "1500000.00"},
		{1000, "JPY", "JP¥1,000", "JPY 1,000", "1000 JPY", "1000"},
		{1500, "KWD", "KWD 1.500", "KWD 1.500", "1.500 KWD", "1.500"},
		{5, "CNY", "¥0.05", "CNY 0.05", "0.05 CNY", "0.05"},
		{-123456, "USD", "-US$1,234.56", "USD -1,234.56", "-1234.56 USD", "-1234.56"},
		{0, "EUR", "€0.00", "EUR 0.00", "0.00 EUR", "0.00"},
		{math.MinInt64, "USD", "-US$92,233,720,368,547,758.08", "USD -92,233,720,368,547,758.08", "-92233720368547758.08 USD", "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := Format(tt.amount, tt.cur, LangZH); got != tt.zh {
			t.Errorf("zh %d %s: %q, want %q", tt.amount, tt.cur, got, tt.zh)
		}
		if got := Format(tt.amount, tt.cur, LangEN); got != tt.en {
			t.Errorf("en %d %s: %q, want %q", tt.amount, tt.cur, got, tt.en)
		}
		if got := Plain(tt.amount, tt.cur); got != tt.plain {
			t.Errorf("plain %d %s: %q, want %q", tt.amount, tt.cur, got, tt.plain)
		}
		if got := Major(tt.amount, tt.cur); got != tt.maj {
			t.Errorf("major %d %s: %q, want %q", tt.amount, tt.cur, got, tt.maj)
		}
	}
}

func TestFormatRange(t *testing.T) {
	tests := []struct {
		lo, hi int64
		cur    string
		zh, en string
	}{
		{80000000, 150000000, "CNY", "¥800,000.00–1,500,000.00", "CNY 800,000.00–1,500,000.00"},
		{800000, 1500000, "JPY", "JP¥800,000–1,500,000", "JPY 800,000–1,500,000"},
		{1500, 2500, "KWD", "KWD 1.500–2.500", "KWD 1.500–2.500"},
		{100000, 100000, "CNY", "¥1,000.00", "CNY 1,000.00"},
		{100, 200, "XXX", "100–200 XXX", "100–200 XXX"},
	}
	for _, tt := range tests {
		if got := FormatRange(tt.lo, tt.hi, tt.cur, LangZH); got != tt.zh {
			t.Errorf("zh %d–%d %s: %q, want %q", tt.lo, tt.hi, tt.cur, got, tt.zh)
		}
		if got := FormatRange(tt.lo, tt.hi, tt.cur, LangEN); got != tt.en {
			t.Errorf("en %d–%d %s: %q, want %q", tt.lo, tt.hi, tt.cur, got, tt.en)
		}
	}
}

func TestParse(t *testing.T) {
	ok := []struct {
		in, cur string
		want    int64
	}{
		{"1000", "JPY", 1000}, // issue 11: a JPY "1000" was stored ×100
		{"1,000", "CNY", 100000},
		{"1000.5", "CNY", 100050},
		{"1.234", "KWD", 1234}, // three decimals typed in full
		{"0.001", "KWD", 1},
		{"10,000,000,000,000", "CNY", MaxAmount},
		{"1000000000000000", "JPY", MaxAmount},
	}
	for _, tt := range ok {
		if got, err := Parse(tt.in, tt.cur); got != tt.want || err != nil {
			t.Errorf("Parse(%q, %s) = %d, %v; want %d", tt.in, tt.cur, got, err, tt.want)
		}
	}
	bad := []struct {
		in, cur string
		kind    error
	}{
		{"1000.5", "JPY", ErrInvalid}, // JPY has no decimals
		{"1.2345", "KWD", ErrInvalid},
		{"1.", "CNY", ErrInvalid},
		{"-1", "CNY", ErrInvalid},
		{"+1", "CNY", ErrInvalid},
		{"1e3", "CNY", ErrInvalid},
		{"", "CNY", ErrInvalid},
		{"10,000,000,000,000.01", "CNY", ErrOutOfBounds},
		{"92233720368547758.07", "CNY", ErrOutOfBounds},
		{"99999999999999999999999", "JPY", ErrOutOfBounds},
		{"1", "BTC", ErrCurrency},
	}
	for _, tt := range bad {
		if got, err := Parse(tt.in, tt.cur); !errors.Is(err, tt.kind) {
			t.Errorf("Parse(%q, %s) = %d, %v; want %v", tt.in, tt.cur, got, err, tt.kind)
		}
	}
}

// TestCheckPayable is the offer check of issue 11: what it passes, Split
// passes for every milestone; what it refuses carries a name.
func TestCheckPayable(t *testing.T) {
	seller := func(fixed int64, cur string) FeeTerms {
		return FeeTerms{Basis: FeeBasisFixed, Fixed: fixed, Currency: cur, Payer: FeePayerSeller}
	}
	tests := []struct {
		name       string
		cur        string
		price      int64
		milestones []int64
		terms      FeeTerms
		bps        int64
		kind       error // nil = payable
	}{
		{"plain", "CNY", 100000, []int64{40000, 60000}, FeeTerms{}, 200, nil},
		{"BTC", "BTC", 1000, []int64{1000}, FeeTerms{}, 200, ErrCurrency},
		{"XXX", "XXX", 1000, []int64{1000}, FeeTerms{}, 200, ErrCurrency},
		{"int64 max", "CNY", math.MaxInt64, []int64{math.MaxInt64}, FeeTerms{}, 200, ErrOutOfBounds},
		{"just above the bound", "JPY", MaxAmount + 1, []int64{MaxAmount + 1}, FeeTerms{}, 0, ErrOutOfBounds},
		{"at the bound", "JPY", MaxAmount, []int64{MaxAmount}, FeeTerms{Basis: FeeBasisBPS, BPS: MaxBPS, Payer: FeePayerBuyer}, MaxBPS, nil},
		{"fixed fee 1e15 on 1000", "CNY", 1000, []int64{1000}, FeeTerms{Basis: FeeBasisFixed, Fixed: 1e15, Currency: "CNY", Payer: FeePayerBuyer}, 200, ErrUnpayable},
		{"fixed fee equal to the price, seller pays, no platform fee", "CNY", 1000, []int64{1000}, seller(1000, "CNY"), 0, nil},
		{"fixed fee equal to the price plus a platform fee", "CNY", 1000, []int64{1000}, seller(1000, "CNY"), 200, ErrUnpayable},
		{"a fixed CNY fee on a JPY contract", "JPY", 100000, []int64{100000}, seller(5000, "CNY"), 200, ErrCurrency},
		{"a fixed JPY fee on a JPY contract", "JPY", 100000, []int64{100000}, seller(5000, "JPY"), 200, nil},
		{"a fixed fee without its currency", "JPY", 100000, []int64{100000}, seller(5000, ""), 200, ErrInvalid},
		{"platform and broker together above 100%", "CNY", 100000, []int64{100000}, FeeTerms{Basis: FeeBasisBPS, BPS: 9900, Payer: FeePayerSeller}, 200, ErrUnpayable},
		{"a fixed fee that leaves the platform fee no room", "KWD", 1000, []int64{500, 500}, seller(995, "KWD"), 100, ErrUnpayable},
		{"milestones do not add up", "CNY", 1000, []int64{400, 500}, FeeTerms{}, 0, ErrInvalid},
		{"milestone sum overflows", "CNY", MaxAmount, []int64{MaxAmount, math.MaxInt64}, FeeTerms{}, 0, ErrOutOfBounds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPayable(tt.cur, tt.price, tt.milestones, tt.terms, tt.bps)
			if tt.kind == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.kind) {
				t.Fatalf("got %v, want %v", err, tt.kind)
			}
		})
	}
}
