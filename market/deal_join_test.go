package market

import "testing"

// TestRequestToBroker: a broker asks to join; until both parties agree it
// is no participant (the deal is not visible to it); both agreeing makes it
// active; one refusing removes it.
func TestRequestToBroker(t *testing.T) {
	d := apply(t, openDealT(t, false), asSeller, AcceptInquiry{}, t0)
	fee := FeeTerms{Basis: FeeBasisBPS, BPS: 300, Payer: FeePayerSplit}
	req := JoinRequest{OrgID: brokerOrg, Fee: fee}
	asker := DealActor{OrgID: brokerOrg, AccountID: "acc-broker", Role: DealRoleOther}

	if _, _, err := RequestToBroker(d, asker, JoinRequest{OrgID: brokerOrg}, t0); ErrorCode(err) != EINVALID {
		t.Fatalf("no fee: %v", err)
	}
	if _, _, err := RequestToBroker(d, asker, JoinRequest{OrgID: buyerOrg, Fee: fee}, t0); ErrorCode(err) != ECONFLICT {
		t.Fatalf("a party asking: %v", err)
	}
	n, evs, err := RequestToBroker(d, asker, req, t0)
	if err != nil || len(evs) != 1 || evs[0].Type != EventDealIntermediaryRequested || n.Version != d.Version+1 {
		t.Fatalf("request: %v %+v", err, evs)
	}
	if n.RoleOf(brokerOrg) != DealRoleOther || n.VisibleTo(DealActor{OrgID: brokerOrg, AccountID: "acc-broker", Role: DealRoleIntermediary}) {
		t.Fatal("a broker that only asked takes part in the deal")
	}
	if _, _, err := RequestToBroker(n, asker, req, t0); ErrorCode(err) != ECONFLICT {
		t.Fatalf("asking twice: %v", err)
	}
	// Both parties agree: the broker is active.
	a := apply(t, n, asBuyer, AgreeIntermediaryFee{Agree: true}, t0)
	if a.RoleOf(brokerOrg) != DealRoleOther {
		t.Fatal("one agreement let the broker in")
	}
	a = apply(t, a, asSeller, AgreeIntermediaryFee{Agree: true}, t0)
	if !a.Intermediary.Active() || a.RoleOf(brokerOrg) != DealRoleIntermediary {
		t.Fatalf("after both agreed: %+v", a.Intermediary)
	}
	// One refusal removes the request.
	if r := apply(t, n, asSeller, AgreeIntermediaryFee{Agree: false}, t0); r.Intermediary != nil {
		t.Fatalf("after a refusal: %+v", r.Intermediary)
	}
	// After the contract is drafted no broker may ask.
	drafted := d
	drafted.State = DealContractDrafted
	if _, _, err := RequestToBroker(drafted, asker, req, t0); ErrorCode(err) != ECONFLICT {
		t.Fatalf("asking on a drafted deal: %v", err)
	}
}
