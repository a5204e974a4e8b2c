package market

import (
	"slices"
	"testing"
)

func TestInviteIntermediaryFeeValidation(t *testing.T) {
	fee := func(basis string, bps, fixed int64, payer string) FeeTerms {
		t := FeeTerms{Basis: basis, BPS: bps, Fixed: fixed, Payer: payer}
		if basis == FeeBasisFixed {
			t.Currency = "CNY"
		}
		return t
	}
	tests := []struct {
		name  string
		org   string
		fee   FeeTerms
		field string // "" = valid
	}{
		{"zero bps", brokerOrg, fee(FeeBasisBPS, 0, 0, FeePayerBuyer), ""},
		{"all of it", brokerOrg, fee(FeeBasisBPS, 10000, 0, FeePayerSeller), ""},
		{"fixed zero", brokerOrg, fee(FeeBasisFixed, 0, 0, FeePayerSplit), ""},
		{"fixed", brokerOrg, fee(FeeBasisFixed, 0, 500000, FeePayerSplit), ""},
		{"over 100%", brokerOrg, fee(FeeBasisBPS, 10001, 0, FeePayerBuyer), "fee_bps"},
		{"negative bps", brokerOrg, fee(FeeBasisBPS, -1, 0, FeePayerBuyer), "fee_bps"},
		{"negative fixed", brokerOrg, fee(FeeBasisFixed, 0, -1, FeePayerBuyer), "fee_fixed"},
		{"both bases", brokerOrg, fee(FeeBasisBPS, 100, 5, FeePayerBuyer), "fee_fixed"},
		{"unknown payer", brokerOrg, fee(FeeBasisBPS, 100, 0, "platform"), "fee_payer"},
		{"no payer", brokerOrg, fee(FeeBasisFixed, 0, 100, ""), "fee_payer"},
		{"unknown basis", brokerOrg, fee("percent", 3, 0, FeePayerBuyer), "fee_basis"},
		{"no fee terms", brokerOrg, FeeTerms{}, "fee_basis"},
		{"no organisation", "", fee(FeeBasisBPS, 100, 0, FeePayerBuyer), "org_id"},
		{"the seller as broker", sellerOrg, fee(FeeBasisBPS, 100, 0, FeePayerBuyer), "org_id"},
	}
	d := dealIn(t, DealNegotiation)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, _, err := ApplyDeal(d, asBuyer, InviteIntermediary{OrgID: tt.org, Fee: tt.fee}, t0)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if n.Intermediary.Fee != tt.fee || n.Intermediary.Status != IntermediaryInvited {
					t.Fatalf("intermediary = %+v", n.Intermediary)
				}
				return
			}
			if codeOf(err) != EINVALID || !slices.Contains(fieldsOf(err), tt.field) {
				t.Fatalf("err = %v (fields %v), want invalid naming %s", err, fieldsOf(err), tt.field)
			}
		})
	}
}

func TestIntermediaryAgreement(t *testing.T) {
	d := dealIn(t, DealNegotiation)
	d = apply(t, d, asSeller, InviteIntermediary{OrgID: brokerOrg,
		Fee: FeeTerms{Basis: FeeBasisFixed, Fixed: 20000, Currency: "CNY", Payer: FeePayerSeller}}, t0)
	if !d.Intermediary.SellerAgreed || d.Intermediary.BuyerAgreed {
		t.Fatal("the inviting seller should have agreed, the buyer not yet")
	}
	if _, _, err := ApplyDeal(d, asBuyer, InviteIntermediary{OrgID: "org-2",
		Fee: FeeTerms{Basis: FeeBasisBPS, Payer: FeePayerBuyer}}, t0); codeOf(err) != ECONFLICT {
		t.Fatalf("a second intermediary: %v, want conflict", err)
	}
	// Invited: can read, cannot act.
	if !d.VisibleTo(asBroker) {
		t.Fatal("the invited intermediary cannot read the deal")
	}
	if _, _, err := ApplyDeal(d, asBroker, PostMessage{Body: "hello"}, t0); codeOf(err) != EFORBIDDEN {
		t.Fatalf("invited intermediary posting: %v, want forbidden", err)
	}
	if _, _, err := ApplyDeal(d, asBuyer, AcceptOffer{Number: 1, Contract: contractIn(false)}, t0); codeOf(err) != ECONFLICT {
		t.Fatalf("accepting while the intermediary is unsettled: %v, want conflict", err)
	}
	d = apply(t, d, asBroker, RespondIntermediary{Accept: true}, t0)
	if _, _, err := ApplyDeal(d, asBroker, RespondIntermediary{Accept: false}, t0); codeOf(err) != ECONFLICT {
		t.Fatalf("answering twice: %v, want conflict", err)
	}
	if d.Intermediary.Active() {
		t.Fatal("active before the buyer agreed to the fee")
	}
	if _, _, err := ApplyDeal(d, asSeller, AgreeIntermediaryFee{Agree: true}, t0); codeOf(err) != ECONFLICT {
		t.Fatalf("the inviter agreeing again: %v, want conflict", err)
	}
	d = apply(t, d, asBuyer, AgreeIntermediaryFee{Agree: true}, t0)
	if !d.Intermediary.Active() || d.RoleOf(brokerOrg) != DealRoleIntermediary {
		t.Fatal("not active after both parties agreed")
	}
}

func TestIntermediaryRemoved(t *testing.T) {
	invite := InviteIntermediary{OrgID: brokerOrg, Fee: FeeTerms{Basis: FeeBasisBPS, BPS: 200, Payer: FeePayerBuyer}}
	for _, tt := range []struct {
		name  string
		actor DealActor
		act   DealAction
		event string
	}{
		{"intermediary declines", asBroker, RespondIntermediary{Accept: false}, EventDealIntermediaryDeclined},
		{"seller refuses the fee", asSeller, AgreeIntermediaryFee{Agree: false}, EventDealIntermediaryFeeRefused},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := apply(t, dealIn(t, DealNegotiation), asBuyer, invite, t0)
			n, evs, err := ApplyDeal(d, tt.actor, tt.act, t0)
			if err != nil {
				t.Fatal(err)
			}
			if n.Intermediary != nil || n.VisibleTo(asBroker) || evs[0].Type != tt.event {
				t.Fatalf("intermediary %+v still there, event %s", n.Intermediary, evs[0].Type)
			}
			if d.Intermediary == nil {
				t.Fatal("the input deal lost its intermediary")
			}
			// The deal can invite again.
			apply(t, n, asSeller, invite, t0)
		})
	}
}

func TestActiveIntermediaryPowers(t *testing.T) {
	d := withBroker(t, dealIn(t, DealNegotiation)) // seller's offer 1 open
	d = apply(t, d, asBroker, PostMessage{Body: "双方可考虑分期付款"}, t0)
	d = apply(t, d, asBroker, ProposeOffer{Terms: licenceTerms()}, t0)
	if o := d.LatestOffer(); o.ProposedByRole != DealRoleIntermediary || o.Number != 2 || d.Offers[0].Status != OfferCountered {
		t.Fatalf("broker's offer = %+v", o)
	}
	for _, act := range []DealAction{
		AcceptOffer{Number: 2, Contract: contractIn(true)}, RejectOffer{Number: 2},
		SignContract{Hash: "x"}, CancelDeal{},
	} {
		if _, _, err := ApplyDeal(d, asBroker, act, t0); codeOf(err) != EFORBIDDEN {
			t.Errorf("broker %s: %v, want forbidden", act.Name(), err)
		}
	}
	// Either party may accept the broker's offer; then only they sign.
	n := apply(t, d, asSeller, AcceptOffer{Number: 2, Contract: contractIn(true)}, t0)
	if n.Contract.Intermediary == nil || n.Contract.IntermediaryFee.BPS != 300 {
		t.Fatalf("contract does not name the broker and its fee: %+v", n.Contract.Intermediary)
	}
	if _, _, err := ApplyDeal(n, asBroker, SignContract{Hash: n.Contract.Hash}, t0); codeOf(err) != EFORBIDDEN {
		t.Fatalf("broker signing: %v, want forbidden", err)
	}
	// The broker withdraws its own offer, not the seller's.
	w := apply(t, d, asBroker, WithdrawOffer{Number: 2}, t0)
	if w.Offers[1].Status != OfferWithdrawn {
		t.Fatalf("status = %s", w.Offers[1].Status)
	}
	s := apply(t, w, asSeller, ProposeOffer{Terms: devTerms()}, t0)
	if _, _, err := ApplyDeal(s, asBroker, WithdrawOffer{Number: 3}, t0); codeOf(err) != EFORBIDDEN {
		t.Fatalf("broker withdrawing the seller's offer: %v, want forbidden", err)
	}
}
