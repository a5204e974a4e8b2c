package market

import (
	"strings"
	"testing"

	"techbridge/market/ledger"
)

func TestEscrowCode(t *testing.T) {
	for _, tt := range []struct {
		in, want string
	}{
		{"TB-0A1B2C3D4E5F", "0A1B2C3D4E5F"},
		{"货款 tb 0a1b2c3d4e5f 第一期", "0A1B2C3D4E5F"},
		{"TB0A1B2C3D4E5F,", "0A1B2C3D4E5F"},
		{"STB-123 then TB-FFFFFFFFFFFF", "FFFFFFFFFFFF"},
		{"TB-0A1B2C3D4E5F0", ""}, // thirteen hex digits: not a reference
		{"TB-0A1B2C3D4E", ""},
		{"no reference", ""},
	} {
		got, ok := escrowCode(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("escrowCode(%q) = %q %v, want %q", tt.in, got, ok, tt.want)
		}
	}
	if code, _ := escrowCode(EscrowReference("01a24b4a-dc73-746e-a52a-bc62815afaec")); code != "A52ABC62815AFAEC"[4:] {
		t.Errorf("the reference of a UUIDv7 does not read back: %s", code)
	}
}

// FuzzParseBankStatement: whatever the file, the parser answers without
// panicking, and every line it keeps is either readable (a date, a known
// currency, an amount within bounds) or marked unreadable with its reason.
func FuzzParseBankStatement(f *testing.F) {
	f.Add("date,amount,currency,reference,payer\n2026-03-01,\"1,000.00\",CNY,TB-0A1B2C3D4E5F,X\n")
	f.Add("\ufeff日期,金额,币种,附言,付款人\n2026/03/01,38200,JPY,\"a, \"\"b\"\"\",某某\n")
	f.Add("date,amount,currency,reference,payer\n\"unterminated,1,CNY,x,y\n")
	f.Fuzz(func(t *testing.T, file string) {
		rows, err := parseBankStatement(strings.NewReader(file))
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("a refusal that is not EINVALID: %v", err)
			}
			return
		}
		for _, r := range rows {
			l := r.line
			if l.Status == BankLineInvalid {
				if l.Reason != BankReasonUnreadable || l.Detail == "" {
					t.Fatalf("an unreadable line without its reason: %+v", l)
				}
				continue
			}
			if len(l.BookedOn) != 10 || l.Amount < 1 || ledger.CheckAmount("amount", l.Amount, l.Currency, false) != nil {
				t.Fatalf("a line kept as readable: %+v", l)
			}
		}
	})
}
