package web

import (
	"context"
	"net/url"
	"testing"

	"techbridge/market"
)

// TestFixedFeeFormTakesItsCurrency is issue 11's fixed broker fee typed in
// CNY whatever the contract's currency: the invitation form now takes the
// fee's currency (prefilled with the latest offer's), reads the amount in
// that currency's decimals, and the room shows it in that currency; a
// JPY fee of "5000" was stored as 500000 CNY fen before.
func TestFixedFeeFormTakesItsCurrency(t *testing.T) {
	s := newSite(t)
	s.dealParty("seller@u.cn", market.OrgUniversity, "00001")
	buyer := s.dealParty("buyer@e.cn", market.OrgEnterprise, "00002")
	s.dealParty("broker@i.cn", market.OrgIntermediary, "00004")
	o := s.publishedOutcome(t, "seller@u.cn", "储能材料")
	id := inquire(t, buyer, o.ID)
	room := "/deals/" + id
	ctx := context.Background()
	if _, err := s.svc.ActOnDeal(ctx, s.actor("seller@u.cn"), id, market.AcceptInquiry{}); err != nil {
		t.Fatal(err)
	}
	if p := buyer.get(room); !p.has(`name="fee_currency"`) || !p.has(`value="CNY"`) {
		t.Fatal("the invitation form has no currency for a fixed fee")
	}
	p := buyer.submit(room+"/act", url.Values{"action": {"invite"}, "org_id": {s.actor("broker@i.cn").Memberships[0].OrgID},
		"fee_basis": {"fixed"}, "fee_fixed": {"5000"}, "fee_currency": {"jpy"}, "fee_payer": {"seller"}})
	dv, err := s.svc.Deal(ctx, s.actor("buyer@e.cn"), id)
	if err != nil {
		t.Fatal(err)
	}
	if f := dv.Deal.Intermediary; f == nil || f.Fee.Fixed != 5000 || f.Fee.Currency != "JPY" {
		t.Fatalf("stored fee: %+v (status %d)", dv.Deal.Intermediary, p.status)
	}
	if p := buyer.get(room); !p.has("JP¥5,000") {
		t.Fatal("the room does not show the fee in yen")
	}
}
