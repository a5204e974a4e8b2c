package web

import (
	"strings"
	"testing"

	"techbridge/market"
)

// TestFundingPageShowsTheEscrowAccount is issue 11's "nothing on the
// funding page says where to transfer": the buyer sees the platform's
// escrow account from the settings and the reference to quote; without
// settings the page says so instead of leaving the buyer guessing; and the
// seller is not offered to confirm receipt.
func TestFundingPageShowsTheEscrowAccount(t *testing.T) {
	ps := newPaySite(t)
	path := "/deals/" + ps.dealID + "/payments"
	if sec := ps.section(ps.buyer.get(path), 0); !strings.Contains(sec, "escrow-missing") || strings.Contains(sec, "escrow-number") {
		t.Fatal("without escrow settings the buyer is not told to ask the platform")
	}
	ps.svc.Payments.Escrow = market.EscrowBank{Bank: "中国工商银行上海张江支行", Name: "技术桥平台有限公司", Number: "1001 2345 6789 0001"}
	sec := ps.section(ps.buyer.get(path), 0)
	ref := market.EscrowReference(ps.ms[0].ID)
	for _, want := range []string{"中国工商银行上海张江支行", "技术桥平台有限公司", "1001 2345 6789 0001", `class="escrow-reference">` + ref} {
		if !strings.Contains(sec, want) {
			t.Errorf("the funding form lacks %q", want)
		}
	}
	if !strings.HasPrefix(ref, "TB-") || len(ref) != 15 {
		t.Errorf("reference %q", ref)
	}
	// The seller's page: no fund form, no escrow details, no confirm.
	if sec := ps.section(ps.seller.get(path), 0); strings.Contains(sec, "act-confirm") || strings.Contains(sec, "escrow-number") {
		t.Error("the seller is offered to confirm receipt or shown the funding form")
	}
}
