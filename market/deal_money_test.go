package market

import (
	"errors"
	"strings"
	"testing"

	"techbridge/market/ledger"
)

// priced returns devTerms with one milestone carrying the whole price.
func priced(price int64, currency string) OfferTerms {
	o := devTerms()
	o.Price, o.Currency = price, currency
	o.Milestones = o.Milestones[:1]
	o.Milestones[0].Amount = price
	return o
}

// brokered is a deal in negotiation (no offer yet) with an active
// intermediary on the given fee.
func brokered(t *testing.T, fee FeeTerms) Deal {
	t.Helper()
	d := apply(t, openDealT(t, false), asSeller, AcceptInquiry{}, t0)
	d = apply(t, d, asBuyer, InviteIntermediary{OrgID: brokerOrg, Fee: fee}, t0)
	d = apply(t, d, asBroker, RespondIntermediary{Accept: true}, t0)
	return apply(t, d, asSeller, AgreeIntermediaryFee{Agree: true}, t0)
}

// TestOffersCheckedWhenMade is issue 11's "contracts that can be signed but
// never paid": each offer below was accepted and signed before, and funding
// then refused it. Now it is refused when made, with a named field.
func TestOffersCheckedWhenMade(t *testing.T) {
	huge := FeeTerms{Basis: FeeBasisFixed, Fixed: 1e15, Currency: "CNY", Payer: FeePayerBuyer}
	tests := []struct {
		name  string
		deal  func(t *testing.T) Deal
		terms OfferTerms
		bps   int64
		field string
		cause error
	}{
		{"BTC", func(t *testing.T) Deal {
			return brokered(t, FeeTerms{Basis: FeeBasisBPS, BPS: 300, Payer: FeePayerSplit})
		},
			priced(1000, "BTC"), 200, "currency", nil},
		{"XXX", func(t *testing.T) Deal {
			return brokered(t, FeeTerms{Basis: FeeBasisBPS, BPS: 300, Payer: FeePayerSplit})
		},
			priced(1000, "XXX"), 200, "currency", nil},
		{"int64 maximum", func(t *testing.T) Deal {
			return brokered(t, FeeTerms{Basis: FeeBasisBPS, BPS: 300, Payer: FeePayerSplit})
		},
			priced(9223372036854775807, "CNY"), 200, "price", nil},
		{"fixed fee 1e15 on a price of 1000", func(t *testing.T) Deal { return brokered(t, huge) },
			priced(1000, "CNY"), 200, "fee_fixed", ledger.ErrUnpayable},
		{"platform fee and seller's fee above the price", func(t *testing.T) Deal {
			return brokered(t, FeeTerms{Basis: FeeBasisBPS, BPS: 9900, Payer: FeePayerSeller})
		}, priced(100000, "CNY"), 200, "milestones[0].amount", ledger.ErrUnpayable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.deal(t)
			_, _, err := ApplyDeal(d, asSeller, ProposeOffer{Terms: tt.terms, PlatformBPS: tt.bps}, t0)
			if codeOf(err) != EINVALID || !contains(fieldsOf(err), tt.field) {
				t.Fatalf("got %v (fields %v), want EINVALID on %s", err, fieldsOf(err), tt.field)
			}
			if tt.cause != nil && !errors.Is(err, tt.cause) {
				t.Fatalf("cause %v, want %v", err, tt.cause)
			}
		})
	}
}

// TestAcceptRechecksPayability: an offer made before the intermediary's fee
// was agreed is checked again on acceptance, with the fee now in force.
func TestAcceptRechecksPayability(t *testing.T) {
	d := apply(t, openDealT(t, false), asSeller, AcceptInquiry{}, t0)
	d = apply(t, d, asSeller, ProposeOffer{Terms: priced(1000, "CNY"), PlatformBPS: 200}, t0)
	// The fee is invited and agreed after the offer; an invited fee is
	// checked at propose time only for later offers.
	d.Intermediary = &Intermediary{OrgID: brokerOrg, Fee: FeeTerms{Basis: FeeBasisFixed, Fixed: 1e15, Currency: "CNY", Payer: FeePayerSeller},
		Status: IntermediaryAccepted, BuyerAgreed: true, SellerAgreed: true}
	_, _, err := ApplyDeal(d, asBuyer, AcceptOffer{Number: 1, Contract: contractIn(true), PlatformBPS: 200}, t0)
	if codeOf(err) != ECONFLICT || !strings.Contains(ErrorMessage(err), "cannot be paid") {
		t.Fatalf("accepting an unpayable offer: %v", err)
	}
	// Without the fee the same offer is accepted: the refusal was the fee's.
	d.Intermediary = nil
	if _, _, err := ApplyDeal(d, asBuyer, AcceptOffer{Number: 1, Contract: contractIn(false), PlatformBPS: 200}, t0); err != nil {
		t.Fatalf("the plain offer: %v", err)
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// TestFixedFeeKeepsItsCurrency is issue 11's fixed broker fee typed in CNY
// whatever the contract's currency: a fixed fee is agreed with its
// currency, an offer in another currency is refused naming fee_currency
// (when made, and again when accepted), and a JPY deal with a JPY fee is
// signed and divides the fee in yen.
func TestFixedFeeKeepsItsCurrency(t *testing.T) {
	jpyFee := FeeTerms{Basis: FeeBasisFixed, Fixed: 5000, Currency: "JPY", Payer: FeePayerSeller}
	d := brokered(t, jpyFee)
	_, _, err := ApplyDeal(d, asSeller, ProposeOffer{Terms: priced(100000, "CNY"), PlatformBPS: 200}, t0)
	if codeOf(err) != EINVALID || !contains(fieldsOf(err), "fee_currency") || !errors.Is(err, ledger.ErrCurrency) {
		t.Fatalf("a CNY offer on a JPY fee: %v (fields %v)", err, fieldsOf(err))
	}
	if !strings.Contains(ErrorMessage(err), "agreed in JPY") {
		t.Fatalf("the refusal does not say why: %s", ErrorMessage(err))
	}
	d = apply(t, d, asSeller, ProposeOffer{Terms: priced(100000, "JPY"), PlatformBPS: 200}, t0)
	d = apply(t, d, asBuyer, AcceptOffer{Number: 1, Contract: contractIn(true), PlatformBPS: 200}, t0)
	if f := d.Contract.IntermediaryFee; f == nil || f.Currency != "JPY" || f.Fixed != 5000 {
		t.Fatalf("the contract's fee: %+v", d.Contract.IntermediaryFee)
	}
	if !strings.Contains(d.Contract.Document, "JP¥5,000") || !strings.Contains(d.Contract.Document, "JPY 5,000") {
		t.Fatalf("the document does not state the fee in yen:\n%s", d.Contract.Document)
	}
	sh, err := ledger.Split(ledger.SplitInput{Currency: "JPY", Amount: 100000, ContractValue: 100000,
		PlatformBPS: 200, Terms: *d.Contract.IntermediaryFee})
	if err != nil || sh.Intermediary != 5000 || sh.Platform != 2000 || sh.Seller != 93000 {
		t.Fatalf("split of the JPY deal: %+v %v", sh, err)
	}

	// A CNY fee agreed after a JPY offer was made: refused on acceptance.
	d = apply(t, openDealT(t, false), asSeller, AcceptInquiry{}, t0)
	d = apply(t, d, asSeller, ProposeOffer{Terms: priced(100000, "JPY"), PlatformBPS: 200}, t0)
	d.Intermediary = &Intermediary{OrgID: brokerOrg, Fee: FeeTerms{Basis: FeeBasisFixed, Fixed: 5000, Currency: "CNY", Payer: FeePayerSeller},
		Status: IntermediaryAccepted, BuyerAgreed: true, SellerAgreed: true}
	_, _, err = ApplyDeal(d, asBuyer, AcceptOffer{Number: 1, Contract: contractIn(true), PlatformBPS: 200}, t0)
	if codeOf(err) != ECONFLICT || !strings.Contains(ErrorMessage(err), "agreed in CNY") {
		t.Fatalf("accepting a JPY offer with a CNY fee: %v", err)
	}
	// Without a currency a fixed fee is not agreed at all.
	_, _, err = ApplyDeal(apply(t, openDealT(t, false), asSeller, AcceptInquiry{}, t0), asBuyer,
		InviteIntermediary{OrgID: brokerOrg, Fee: FeeTerms{Basis: FeeBasisFixed, Fixed: 5000, Payer: FeePayerSeller}}, t0)
	if !contains(fieldsOf(err), "fee_currency") {
		t.Fatalf("a fixed fee without a currency: %v", err)
	}
}
