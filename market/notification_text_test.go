package market

import "testing"

func TestNoticeIn(t *testing.T) {
	text := DealNoticeText(EventDealOfferProposed, "A / B 电池")
	if got := NoticeIn(text, "en"); got != "New offer: A / B 电池" {
		t.Errorf("en: %q", got)
	}
	if got := NoticeIn(text, "zh"); got != "新的报价：A / B 电池" {
		t.Errorf("zh: %q", got)
	}
	if got := NoticeIn("free text / other", "en"); got != "free text / other" {
		t.Errorf("unknown format: %q", got)
	}
}
