package api

import (
	"net/http"
	"strings"
	"testing"

	"techbridge/api/kv"
	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/payments/manual"
)

// signAndPay takes deal path from an offer of the seller to one released
// milestone: the buyer accepts and both sign, then between signing and
// funding raise runs (the platform fee in force changes), and the buyer
// funds, the admin confirms, the seller delivers and the buyer accepts and
// releases. It answers the deal's money view after the release.
func signAndPay(e *testEnv, path string, seller, buyer, admin tokenResponse, offer offerRequest, raise func()) dealPaymentsResponse {
	e.t.Helper()
	e.expect(e.do("POST", path+"/offers", seller.AccessToken, offer), 200)
	var d dealResponse
	e.expect(e.do("POST", path+"/offers/1/accept", buyer.AccessToken, nil), 200).json(&d)
	for _, tok := range []tokenResponse{buyer, seller} {
		e.expect(e.do("POST", path+"/contract/signatures", tok.AccessToken, hashRequest{Hash: d.Contract.Hash}), 200).json(&d)
	}
	if d.State != market.DealSigned {
		e.t.Fatalf("deal %s after both signatures", d.State)
	}
	raise()
	var ms listResponse[milestoneMoneyResponse]
	e.expect(e.do("GET", path+"/milestones", buyer.AccessToken, nil), 200).json(&ms)
	mid := "/api/v1/milestones/" + ms.Items[0].ID
	e.expect(e.do("POST", mid+"/fund", buyer.AccessToken, milestoneRequest{Version: 1, Reference: "TB-REF"}), 202)
	var m milestoneMoneyResponse
	e.expect(e.do("POST", mid+"/fund/confirm", admin.AccessToken, milestoneRequest{Version: 1}), 200).json(&m)
	e.expect(e.do("POST", mid+"/deliver", seller.AccessToken, milestoneRequest{Version: m.Version, Note: "done"}), 200).json(&m)
	e.expect(e.do("POST", mid+"/accept", buyer.AccessToken, milestoneRequest{Version: m.Version}), 200).json(&m)
	e.expect(e.do("POST", mid+"/release", buyer.AccessToken, milestoneRequest{Version: m.Version}), 200)
	var dp dealPaymentsResponse
	e.expect(e.do("GET", path+"/payments", buyer.AccessToken, nil), 200).json(&dp)
	return dp
}

// bankDealParties is a service on db paying by bank transfer with a 2%
// platform fee, an admin, and a seller, a buyer and a broker with their
// verified organisations.
func bankDealParties(t *testing.T, db *sqlstore.DB) (e *testEnv, admin, seller, buyer, broker tokenResponse, sellerOrg, buyerOrg, brokerOrg orgResponse) {
	e = newEnvOn(t, db, kv.NewMemory(), Config{})
	e.svc.Payments = market.Payments{Provider: manual.Provider{}, PlatformBPS: 200}
	admin = e.admin()
	_, seller = e.user("seller@m.example.cn")
	_, buyer = e.user("buyer@m.example.cn")
	_, broker = e.user("broker@m.example.cn")
	sellerOrg, buyerOrg, brokerOrg = e.org(seller.AccessToken, "university"), e.org(buyer.AccessToken, "enterprise"), e.org(broker.AccessToken, "intermediary")
	return
}

// TestPlatformFeeFixedAtSigning is issue 11's "the platform fee is fixed
// at the first funding, not at signing": the contract records the fee in
// force when it is drafted and signed, and raising the setting between
// signing and funding changes nothing for that deal. Before, the raised
// fee (20%) with the broker's seller-borne 90% made the signed deal
// unpayable at funding.
func TestPlatformFeeFixedAtSigning(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		e, admin, seller, buyer, broker, sellerOrg, buyerOrg, brokerOrg := bankDealParties(t, db)
		path := moneyDeal(e, seller, buyer, broker, sellerOrg.ID, buyerOrg.ID, brokerOrg.ID,
			inviteIntermediaryRequest{FeeBasis: "bps", FeeBPS: 9000, FeePayer: "seller"})
		dp := signAndPay(e, path, seller, buyer, admin, pricedOffer(100000, "CNY"), func() { e.svc.Payments.PlatformBPS = 2000 })
		if dp.PlatformBPS != 200 || dp.Platform != 2000 || dp.Intermediary != 90000 || dp.Seller != 8000 || dp.Funded != 100000 {
			t.Fatalf("after raising the platform fee to 20%% between signing and funding: %+v", dp)
		}
		var doc contractDocumentResponse
		e.expect(e.do("GET", path+"/contract", buyer.AccessToken, nil), 200).json(&doc)
		if !strings.Contains(doc.Contract.Document, "platform_bps: 200\n") || !strings.Contains(doc.Contract.Document, "format: techbridge-contract/2\n") ||
			doc.Contract.Format != market.ContractFormat2 || doc.Contract.PlatformBPS == nil || *doc.Contract.PlatformBPS != 200 {
			t.Fatalf("the signed contract does not state its platform fee:\n%s", doc.Contract.Document)
		}
	})
}

// TestFixedFeeJPYDeal is issue 11's fixed broker fee read as CNY whatever
// the contract's currency: the fee is agreed with its currency (JPY 5,000
// here); a CNY offer is refused naming fee_currency, and a JPY deal is
// signed, paid and divided in yen, the broker getting exactly ¥5,000.
func TestFixedFeeJPYDeal(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		e, admin, seller, buyer, broker, sellerOrg, buyerOrg, brokerOrg := bankDealParties(t, db)

		// A fixed fee without its currency is not an agreement.
		plain := moneyDeal(e, seller, buyer, broker, sellerOrg.ID, buyerOrg.ID, brokerOrg.ID, inviteIntermediaryRequest{})
		p := e.expect(e.do("POST", plain+"/intermediary", buyer.AccessToken,
			inviteIntermediaryRequest{OrgID: brokerOrg.ID, FeeBasis: "fixed", FeeFixed: 5000, FeePayer: "seller"}), http.StatusBadRequest).problem()
		if len(p.Errors) == 0 || p.Errors[0].Field != "fee_currency" {
			t.Fatalf("a fixed fee without a currency: %+v", p)
		}

		path := moneyDeal(e, seller, buyer, broker, sellerOrg.ID, buyerOrg.ID, brokerOrg.ID,
			inviteIntermediaryRequest{FeeBasis: "fixed", FeeFixed: 5000, FeeCurrency: "JPY", FeePayer: "seller"})
		p = e.expect(e.do("POST", path+"/offers", seller.AccessToken, pricedOffer(100000, "CNY")), http.StatusBadRequest).problem()
		if len(p.Errors) == 0 || p.Errors[0].Field != "fee_currency" || !strings.Contains(p.Detail, "agreed in JPY") {
			t.Fatalf("a CNY offer on a JPY fee: %+v", p)
		}
		dp := signAndPay(e, path, seller, buyer, admin, pricedOffer(100000, "JPY"), func() {})
		if dp.Currency != "JPY" || dp.Intermediary != 5000 || dp.Platform != 2000 || dp.Seller != 93000 {
			t.Fatalf("the JPY deal's money: %+v", dp)
		}
		var d dealResponse
		e.expect(e.do("GET", path, buyer.AccessToken, nil), 200).json(&d)
		if d.Intermediary == nil || d.Intermediary.Fee.Currency != "JPY" || d.Intermediary.Fee.Fixed != 5000 {
			t.Fatalf("the deal's fee terms: %+v", d.Intermediary)
		}
	})
}
