package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"techbridge/market"
)

// inquire opens a deal on the outcome from its page as the buyer and
// returns the deal's id.
func inquire(t *testing.T, buyer *browser, outcomeID string) string {
	t.Helper()
	buyer.get("/deals/new?outcome=" + outcomeID)
	p := buyer.submit("/deals", url.Values{"outcome_id": {outcomeID}, "message": {"请报价"}})
	m := dealPathRE.FindStringSubmatch(p.path)
	if m == nil {
		t.Fatalf("no deal: %s", p.path)
	}
	return m[1]
}

// TestOfferFormCurrencies is issue 11's "currency decimals ignored in
// pages": a JPY offer of "1000" was stored as 100000 and KWD could not be
// typed to three decimals. The offer form now reads amounts by the
// currency's minor units (JPY 0, CNY 2, KWD 3), refuses more decimals than
// the currency has at the field, and the offer table prints them back in
// the page's one format.
func TestOfferFormCurrencies(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	seller := s.dealParty("seller@u.cn", market.OrgUniversity, "00001")
	buyer := s.dealParty("buyer@e.cn", market.OrgEnterprise, "00002")
	o := s.publishedOutcome(t, "seller@u.cn", "储能材料")
	sa := s.actor("seller@u.cn")
	id := inquire(t, buyer, o.ID)
	room := "/deals/" + id
	act := func(b *browser, vals url.Values) *page {
		t.Helper()
		b.get(room)
		return b.submit(room+"/act", vals)
	}
	act(seller, url.Values{"action": {"accept"}})
	due := time.Now().UTC().AddDate(0, 1, 0).Format(time.DateOnly)
	offer := func(currency, price string) url.Values {
		return url.Values{"action": {"propose"}, "contract_type": {"transfer"}, "price": {price}, "currency": {currency},
			"milestones[0].title": {"交付"}, "milestones[0].deliverable": {"docs"}, "milestones[0].amount": {price}, "milestones[0].due_date": {due}}
	}
	latest := func() market.OfferTerms {
		t.Helper()
		dv, err := s.svc.Deal(ctx, sa, id)
		if err != nil {
			t.Fatal(err)
		}
		return dv.Deal.LatestOffer().Terms
	}
	for _, c := range []struct {
		currency, typed string
		minor           int64
		shown           string // in the zh offer table
	}{
		{"JPY", "1000", 1000, "JP¥1,000"},
		{"CNY", "1,500,000.50", 150000050, "¥1,500,000.50"},
		{"KWD", "1.234", 1234, "KWD 1.234"},
	} {
		p := act(seller, offer(c.currency, c.typed))
		if got := latest(); p.status != 200 || got.Currency != c.currency || got.Price != c.minor || got.Milestones[0].Amount != c.minor {
			t.Fatalf("%s %q: %d, stored %d %s", c.currency, c.typed, p.status, got.Price, got.Currency)
		}
		if !p.has(c.shown) {
			t.Errorf("%s: the offer table does not show %q", c.currency, c.shown)
		}
	}
	for _, c := range []struct{ currency, typed string }{
		{"JPY", "1000.5"}, // yen have no decimals
		{"CNY", "1000.505"},
		{"KWD", "1.2345"},
		{"CNY", "10000000000000.01"}, // beyond 10^15 fen
	} {
		p := act(seller, offer(c.currency, c.typed))
		if p.status != 422 || !strings.Contains(p.field(t, "o-price"), "field-error") {
			t.Errorf("%s %q: %d, want refused at the price field", c.currency, c.typed, p.status)
		}
	}
	if p := act(seller, offer("BTC", "1")); p.status != 422 || !strings.Contains(p.field(t, "o-currency"), "field-error") {
		t.Errorf("BTC: %d, want refused at the currency field", p.status)
	}
}
