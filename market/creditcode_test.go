package market

import (
	"strings"
	"testing"
)

func TestValidCreditCode(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"91350100M000100Y43", true},  // a published example
		{"91110000600037341L", true},  // a published example
		{"91350100M000100Y44", false}, // wrong check character
		{"91350100M000100Y4", false},  // 17 characters
		{"91350100M000100Y433", false},
		{"91350100I000100Y43", false}, // I is not in the alphabet
		{"91350100m000100Y43", false}, // lower case
		{"", false},
		{"锂电池锂电池", false},
	}
	for _, tt := range tests {
		if got := ValidCreditCode(tt.code); got != tt.want {
			t.Errorf("ValidCreditCode(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestCreditCodeCheckCharRoundTrip(t *testing.T) {
	base := "91310000MA1FL0000"
	code := base + string(CreditCodeCheckChar(base))
	if !ValidCreditCode(code) {
		t.Fatalf("%s built with its check char is not valid", code)
	}
	// Changing any one character must break the check.
	for i := 0; i < 17; i++ {
		b := []byte(code)
		b[i] = creditCodeAlphabet[(strings.IndexByte(creditCodeAlphabet, b[i])+1)%31]
		if ValidCreditCode(string(b)) {
			t.Errorf("changing position %d still validates: %s", i, b)
		}
	}
}

func FuzzValidCreditCode(f *testing.F) {
	f.Add("91350100M000100Y43")
	f.Add("91110000600037341L")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		ok := ValidCreditCode(s)
		if ok && len(s) != 18 {
			t.Fatalf("accepted %q of length %d", s, len(s))
		}
		if ok && s[17] != CreditCodeCheckChar(s[:17]) {
			t.Fatalf("accepted %q with a wrong check character", s)
		}
	})
}
