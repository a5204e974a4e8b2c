package main

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"techbridge/api/client"
)

// TestE2EAPIDealToSignatures drives the deal journey of
// TestE2EDealToSignatures through the public API instead of the pages:
// the real serve command over HTTP, called by the typed client generated
// from the served document (api/client), every exchange checked against
// that document. Inquiry, acceptance, offer, acceptance, both signatures
// on one contract hash, and the registration record.
func TestE2EAPIDealToSignatures(t *testing.T) {
	base, outcome := serveDealMarket(t)

	// The document the server serves is the one both sides go by.
	c, err := client.NewClientWithResponses(base, client.WithHTTPClient(apiHTTP(t, base)))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	login := func(email string) client.RequestEditorFn {
		res, err := c.LogInWithResponse(ctx, client.LogInJSONRequestBody{Email: email, Password: "correct horse battery"})
		if err != nil || res.JSON200 == nil {
			t.Fatalf("log in %s: %v %s", email, err, body(res))
		}
		token := res.JSON200.AccessToken
		return func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		}
	}
	buyer, seller := login("e2e-buyer@example.com"), login("e2e-seller@example.edu.cn")

	me, err := c.GetMeWithResponse(ctx, buyer)
	if err != nil || me.JSON200 == nil || len(me.JSON200.Memberships) != 1 {
		t.Fatalf("me: %v %s", err, body(me))
	}
	buyerOrg := me.JSON200.Memberships[0].OrgId

	opened, err := c.OpenDealWithResponse(ctx, client.OpenDealJSONRequestBody{OutcomeId: &outcome, OrgId: &buyerOrg,
		Message: "我们希望了解技术许可条件"}, buyer)
	if err != nil || opened.JSON201 == nil {
		t.Fatalf("open: %v %s", err, body(opened))
	}
	deal := opened.JSON201.Id
	if loc := opened.HTTPResponse.Header.Get("Location"); loc != "/api/v1/deals/"+deal {
		t.Fatalf("Location %q", loc)
	}

	acc, err := c.AcceptDealInquiryWithResponse(ctx, deal, nil, seller)
	if err != nil || acc.JSON200 == nil || acc.JSON200.State != "negotiation" {
		t.Fatalf("accept inquiry: %v %s", err, body(acc))
	}
	day := func(months int) openapi_types.Date {
		return openapi_types.Date{Time: time.Now().UTC().AddDate(0, months, 0)}
	}
	offer, err := c.ProposeOfferWithResponse(ctx, deal, nil, client.OfferTerms{ContractType: "development", Price: 100000, Currency: "CNY",
		Milestones: []client.MilestoneTerms{
			{Title: "样机", Deliverable: "prototype", Amount: 40000, DueDate: day(1)},
			{Title: "验收", Deliverable: "acceptance", Amount: 60000, DueDate: day(3)}},
		Registration: &client.RegistrationTerms{SubType: ptr("commissioned"), TechField: ptr("new_energy"), ValidFrom: ptr(day(0)),
			ValidUntil: ptr(day(12)), SigningPlace: ptr("上海市"), SocioEconomicGoal: ptr("energy")}}, seller)
	if err != nil || offer.JSON200 == nil || len(offer.JSON200.Offers) != 1 {
		t.Fatalf("offer: %v %s", err, body(offer))
	}
	// The buyer accepts the offer as read: the deal's ETag pins the version.
	pinned := offer.HTTPResponse.Header.Get("ETag")
	drafted, err := c.AcceptOfferWithResponse(ctx, deal, offer.JSON200.Offers[0].Number, &client.AcceptOfferParams{IfMatch: &pinned}, buyer)
	if err != nil || drafted.JSON200 == nil || drafted.JSON200.State != "contract_drafted" {
		t.Fatalf("accept offer: %v %s", err, body(drafted))
	}
	contract, err := c.GetContractWithResponse(ctx, deal, nil, buyer)
	if err != nil || contract.JSON200 == nil {
		t.Fatalf("contract: %v %s", err, body(contract))
	}
	hash := contract.JSON200.Contract.Hash
	for _, who := range []client.RequestEditorFn{seller, buyer} {
		signed, err := c.SignContractWithResponse(ctx, deal, nil, client.SignContractJSONRequestBody{Hash: hash}, who)
		if err != nil || signed.JSON200 == nil {
			t.Fatalf("sign: %v %s", err, body(signed))
		}
	}
	final, err := c.GetDealWithResponse(ctx, deal, buyer)
	if err != nil || final.JSON200 == nil || final.JSON200.State != "signed" || len(final.JSON200.Signatures) != 2 ||
		final.JSON200.SignedAt == nil {
		t.Fatalf("after both signatures: %v %s", err, body(final))
	}
	if etag := final.HTTPResponse.Header.Get("ETag"); etag != fmt.Sprintf("%q", fmt.Sprint(final.JSON200.Version)) {
		t.Fatalf("deal ETag %q, version %d", etag, final.JSON200.Version)
	}
	reg, err := c.GetRegistrationWithResponse(ctx, deal, nil, seller)
	if err != nil || reg.JSON200 == nil || reg.JSON200.ContractHash != hash {
		t.Fatalf("registration: %v %s", err, body(reg))
	}
	list, err := c.ListDealsWithResponse(ctx, nil, buyer)
	if err != nil || list.JSON200 == nil || len(list.JSON200.Items) != 1 || list.JSON200.Items[0].Id != deal {
		t.Fatalf("list: %v %s", err, body(list))
	}
}

// body shows a generated response in a failure.
func body(res interface{ Status() string }) (s string) {
	defer func() {
		if recover() != nil { // a nil *XResponse after a transport error
			s = "<no response>"
		}
	}()
	return res.Status()
}

// ptr returns a pointer to v, for the generated client's optional fields.
func ptr[T any](v T) *T { return &v }
