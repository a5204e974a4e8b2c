package ledger

import (
	"testing"

	"techbridge/market/msgs"
)

// The refusal behind "amounts add up to 90000000, the price is 100000000":
// its amounts read in the reader's units, by the currency's minor units.
func TestRefusalAmountsInTheReadersUnits(t *testing.T) {
	err := CheckPayable("CNY", 100000000, []int64{50000000, 40000000}, FeeTerms{}, 0)
	es := Errors(err)
	if len(es) != 1 || es[0].Code != msgs.AmountsAddUpToNPrice {
		t.Fatalf("got %v", err)
	}
	if got, want := msgs.Render(msgs.ZH, es[0].Code, es[0].Args...), "各里程碑金额合计 ¥900,000.00，与价款 ¥1,000,000.00 不符"; got != want {
		t.Errorf("zh: %q, want %q", got, want)
	}
	if got, want := es[0].Message, "amounts add up to CNY 900,000.00, the price is CNY 1,000,000.00"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
	jpy := Money{Amount: 1500, Currency: "JPY"}
	if got := jpy.Localize(msgs.EN); got != "JPY 1,500" {
		t.Errorf("JPY: %q", got)
	}
}
