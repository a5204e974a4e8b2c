package api

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"techbridge/api/kv"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// moneyDeal opens a deal on a fresh outcome and takes it to negotiation,
// with an active broker on fee when fee.FeeBasis is set; it returns the
// deal's path.
func moneyDeal(e *testEnv, seller, buyer, broker tokenResponse, sellerOrg, buyerOrg, brokerOrg string, fee inviteIntermediaryRequest) string {
	e.t.Helper()
	outcome := e.publishedOutcome("seller@m.example.cn", sellerOrg, false)
	var d dealResponse
	e.expect(e.do("POST", "/api/v1/deals", buyer.AccessToken, openDealRequest{OutcomeID: outcome, OrgID: buyerOrg, Message: "询价"}), 201).json(&d)
	path := "/api/v1/deals/" + d.ID
	e.expect(e.do("POST", path+"/accept", seller.AccessToken, nil), 200)
	if fee.FeeBasis != "" {
		fee.OrgID = brokerOrg
		e.expect(e.do("POST", path+"/intermediary", buyer.AccessToken, fee), 200)
		e.expect(e.do("POST", path+"/intermediary/response", broker.AccessToken, respondRequest{Accept: true}), 200)
		e.expect(e.do("POST", path+"/intermediary/fee", seller.AccessToken, agreeRequest{Agree: true}), 200)
	}
	return path
}

func pricedOffer(price int64, currency string) offerRequest {
	o := validOffer() // its registration details, so it can be signed
	o.Price, o.Currency = price, currency
	o.Milestones = []milestoneTermsBody{{Title: "交付", Deliverable: "report", Amount: price, DueDate: futureDate(1)}}
	return o
}

// TestMoneyReproductions runs issue 11's API reproductions on both
// engines: offers that could be signed but not paid (int64 maximum, BTC,
// XXX, a fixed broker fee of 1e15 on a price of 1000) are refused when
// made, and an idle deal past its TTL refuses an offer before any sweep.
func TestMoneyReproductions(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		e := newEnvOn(t, db, kv.NewMemory(), Config{})
		e.svc.Payments.PlatformBPS = 200
		e.admin() // publishes the outcomes
		_, seller := e.user("seller@m.example.cn")
		_, buyer := e.user("buyer@m.example.cn")
		_, broker := e.user("broker@m.example.cn")
		sellerOrg, buyerOrg, brokerOrg := e.org(seller.AccessToken, "university"), e.org(buyer.AccessToken, "enterprise"), e.org(broker.AccessToken, "intermediary")

		plain := moneyDeal(e, seller, buyer, broker, sellerOrg.ID, buyerOrg.ID, brokerOrg.ID, inviteIntermediaryRequest{})
		for name, o := range map[string]offerRequest{
			"price = amount = 9223372036854775807": pricedOffer(math.MaxInt64, "CNY"),
			"one unit above 10^15":                 pricedOffer(1e15+1, "JPY"),
			"BTC":                                  pricedOffer(100000, "BTC"),
			"XXX":                                  pricedOffer(100000, "XXX"),
		} {
			if p := e.expect(e.do("POST", plain+"/offers", seller.AccessToken, o), http.StatusBadRequest).problem(); len(p.Errors) == 0 {
				t.Errorf("%s: refused without naming a field: %+v", name, p)
			}
		}
		huge := moneyDeal(e, seller, buyer, broker, sellerOrg.ID, buyerOrg.ID, brokerOrg.ID,
			inviteIntermediaryRequest{FeeBasis: "fixed", FeeFixed: 1e15, FeeCurrency: "CNY", FeePayer: "buyer"})
		p := e.expect(e.do("POST", huge+"/offers", seller.AccessToken, pricedOffer(1000, "CNY")), http.StatusBadRequest).problem()
		if len(p.Errors) == 0 || p.Errors[0].Field != "fee_fixed" {
			t.Fatalf("fixed fee 1e15 on 1000: %+v", p)
		}
		var d dealResponse
		e.expect(e.do("GET", huge, seller.AccessToken, nil), 200).json(&d)
		if len(d.Offers) != 0 {
			t.Fatalf("a refused offer was recorded: %+v", d.Offers)
		}
		// A payable offer passes on both deals, so the refusals were the amounts'.
		e.expect(e.do("POST", plain+"/offers", seller.AccessToken, pricedOffer(100000, "CNY")), 200)

		// Idle past the TTL: refused at once, before any sweep.
		e.svc.DealIdleTTL = 24 * time.Hour
		if _, err := db.DB().ExecContext(context.Background(), `UPDATE deals SET last_activity_at = $1 WHERE id = $2`,
			time.Now().UTC().Add(-25*time.Hour), d.ID); err != nil {
			t.Fatal(err)
		}
		e.expect(e.do("POST", huge+"/offers", seller.AccessToken, pricedOffer(1e15, "CNY")), http.StatusConflict)
		e.expect(e.do("POST", huge+"/messages", buyer.AccessToken, messageRequest{Body: "还在吗"}), http.StatusConflict)
		e.expect(e.do("POST", plain+"/offers/1/reject", buyer.AccessToken, nil), http.StatusOK) // the fresh deal still works
	})
}
