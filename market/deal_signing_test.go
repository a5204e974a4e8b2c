package market

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSignStaleHashRejected(t *testing.T) {
	d := dealIn(t, DealContractDrafted)
	old := d.Contract.Hash
	// The seller counters and the buyer accepts again: a new contract.
	d = apply(t, d, asSeller, ProposeOffer{Terms: licenceTerms()}, t0)
	d = apply(t, d, asBuyer, AcceptOffer{Number: 2, Contract: contractIn(false)}, t0)
	if d.Contract.Hash == old {
		t.Fatal("fixture: new terms kept the hash")
	}
	_, _, err := ApplyDeal(d, asSeller, SignContract{Hash: old}, t0)
	if codeOf(err) != ECONFLICT {
		t.Fatalf("signing the old hash: %v, want conflict", err)
	}
}

func TestSecondSignatureSignsDeal(t *testing.T) {
	d := dealIn(t, DealContractDrafted)
	hash := d.Contract.Hash
	d = apply(t, d, asSeller, SignContract{Hash: hash}, t0)
	if d.State != DealContractDrafted || len(d.Signatures) != 1 || !d.SignedAt.IsZero() {
		t.Fatalf("after one signature: state %s, %d signatures", d.State, len(d.Signatures))
	}
	if _, _, err := ApplyDeal(d, asSeller, SignContract{Hash: hash}, t0); codeOf(err) != ECONFLICT {
		t.Fatalf("seller signing twice: %v, want conflict", err)
	}
	signedAt := t0.Add(time.Hour)
	n, evs, err := ApplyDeal(d, asBuyer, SignContract{Hash: hash}, signedAt)
	if err != nil {
		t.Fatal(err)
	}
	if n.State != DealSigned || !n.SignedAt.Equal(signedAt) {
		t.Fatalf("state %s signed at %v", n.State, n.SignedAt)
	}
	b, s := n.SignatureOf(DealRoleBuyer), n.SignatureOf(DealRoleSeller)
	if b == nil || s == nil || b.Hash != hash || s.Hash != hash || b.AccountID != "acc-buyer" || b.OrgID != buyerOrg {
		t.Fatalf("signatures = %+v", n.Signatures)
	}
	if len(evs) != 2 || evs[0].Type != EventDealContractSigned || evs[1].Type != EventDealSigned {
		t.Fatalf("events = %v", eventTypes(evs))
	}
}

func TestSignedContractIsImmutable(t *testing.T) {
	d := dealIn(t, DealSigned)
	frozen := *d.Contract
	for _, act := range []DealAction{
		ProposeOffer{Terms: licenceTerms()}, SignContract{Hash: d.Contract.Hash},
		AcceptOffer{Number: 1, Contract: contractIn(false)}, CancelDeal{},
		InviteIntermediary{OrgID: brokerOrg, Fee: FeeTerms{Basis: FeeBasisBPS, BPS: 1, Payer: FeePayerBuyer}},
	} {
		for _, a := range []DealActor{asBuyer, asSeller} {
			if _, _, err := ApplyDeal(d, a, act, t0); codeOf(err) != ECONFLICT {
				t.Errorf("%s by %s on a signed deal: %v, want conflict", act.Name(), a.Role, err)
			}
		}
	}
	if !reflect.DeepEqual(*d.Contract, frozen) || !d.Contract.Verify() {
		t.Fatal("the signed contract changed")
	}
}

func TestNewOfferVoidsFirstSignature(t *testing.T) {
	d := dealIn(t, DealContractDrafted)
	d = apply(t, d, asBuyer, SignContract{Hash: d.Contract.Hash}, t0)
	n, evs, err := ApplyDeal(d, asSeller, ProposeOffer{Terms: licenceTerms()}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if n.State != DealNegotiation || n.Contract != nil || len(n.Signatures) != 0 {
		t.Fatalf("state %s, contract %v, %d signatures", n.State, n.Contract != nil, len(n.Signatures))
	}
	if n.Offers[0].Status != OfferVoided || n.Offers[1].Status != OfferOpen {
		t.Fatalf("offers = %s, %s", n.Offers[0].Status, n.Offers[1].Status)
	}
	if evs[0].Type != EventDealContractVoided || !strings.Contains(string(evs[0].Payload), `"voided_signatures":["buyer"]`) {
		t.Fatalf("first event = %s %s", evs[0].Type, evs[0].Payload)
	}
	if len(d.Signatures) != 1 || d.Contract == nil {
		t.Fatal("the input deal lost its signature")
	}
	// The buyer's earlier signature cannot complete the new contract.
	n = apply(t, n, asBuyer, AcceptOffer{Number: 2, Contract: contractIn(false)}, t0)
	n = apply(t, n, asSeller, SignContract{Hash: n.Contract.Hash}, t0)
	if n.State != DealContractDrafted {
		t.Fatalf("state = %s: one fresh signature signed the deal", n.State)
	}
}

func eventTypes(evs []Event) []string {
	var ts []string
	for _, e := range evs {
		ts = append(ts, e.Type)
	}
	return ts
}

// TestPlatformFeeFixedWithTheContract: a /2 contract carries the fee in
// force when drafted, and the second signature leaves it alone whatever
// the fee is then; a /1 contract (drafted before fees were recorded) gets
// the fee in force at its second signature, and is refused when that fee
// would leave its terms unpayable.
func TestPlatformFeeFixedWithTheContract(t *testing.T) {
	d := withBroker(t, dealIn(t, DealNegotiation))
	d = apply(t, d, asBuyer, ProposeOffer{Terms: licenceTerms(), PlatformBPS: 200}, t0)
	d = apply(t, d, asSeller, AcceptOffer{Number: d.LatestOffer().Number, Contract: contractIn(true), PlatformBPS: 200}, t0)
	if d.Contract.PlatformBPS == nil || *d.Contract.PlatformBPS != 200 || d.Contract.Format != ContractFormat2 {
		t.Fatalf("drafted: %+v", d.Contract.PlatformBPS)
	}
	hash := d.Contract.Hash
	d = apply(t, d, asSeller, SignContract{Hash: hash, PlatformBPS: 9000}, t0)
	signed := apply(t, d, asBuyer, SignContract{Hash: hash, PlatformBPS: 9000}, t0)
	if *signed.Contract.PlatformBPS != 200 || signed.Contract.Hash != hash || !signed.Contract.Verify() {
		t.Fatalf("a later fee changed the signed contract: %d", *signed.Contract.PlatformBPS)
	}

	// The same contract as /1, stored before the fee was recorded.
	legacy := d.clone()
	c := *legacy.Contract
	c.Format, c.PlatformBPS = ContractFormat1, nil
	c.Document = c.Canonical()
	c.Hash = ContractHash(c.Document)
	legacy.Contract, legacy.Signatures = &c, []Signature{{Role: DealRoleSeller, OrgID: sellerOrg, Hash: c.Hash, SignedAt: t0}}
	n := apply(t, legacy, asBuyer, SignContract{Hash: c.Hash, PlatformBPS: 250}, t0)
	if n.Contract.PlatformBPS == nil || *n.Contract.PlatformBPS != 250 || !n.Contract.Verify() {
		t.Fatalf("a /1 contract's second signature: %v, verifies %v", n.Contract.PlatformBPS, n.Contract.Verify())
	}
	// 97% platform fee beside the broker's 3%, split: the seller's share would be negative.
	if _, _, err := ApplyDeal(legacy, asBuyer, SignContract{Hash: c.Hash, PlatformBPS: 9900}, t0); codeOf(err) != ECONFLICT ||
		!strings.Contains(ErrorMessage(err), "platform fee changed") {
		t.Fatalf("signing a /1 contract the fee in force leaves unpayable: %v", err)
	}
}
