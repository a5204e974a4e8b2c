package market

import (
	"math"
	"slices"
	"testing"
	"time"
)

func TestOfferTermsValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*OfferTerms)
		field string // "" = valid; else a field that must be named
	}{
		{"valid development", func(*OfferTerms) {}, ""},
		{"valid licence", func(o *OfferTerms) { *o = licenceTerms() }, ""},
		{"due today is not past", func(o *OfferTerms) { o.Milestones[0].Due = t0.Add(-time.Hour) }, ""},
		{"unknown contract type", func(o *OfferTerms) { o.ContractType = "equity" }, "contract_type"},
		{"zero price", func(o *OfferTerms) { o.Price = 0 }, "price"},
		{"negative price", func(o *OfferTerms) { o.Price = -100000 }, "price"},
		{"lower-case currency", func(o *OfferTerms) { o.Currency = "cny" }, "currency"},
		{"no milestones", func(o *OfferTerms) { o.Milestones = nil }, "milestones"},
		{"milestones short of the price", func(o *OfferTerms) { o.Milestones[1].Amount = 59999 }, "milestones"},
		{"milestones over the price", func(o *OfferTerms) { o.Milestones[0].Amount = 40001 }, "milestones"},
		{"milestone sum overflows", func(o *OfferTerms) {
			o.Price = 1 << 62
			o.Milestones[0].Amount, o.Milestones[1].Amount = 1<<62, 1<<62
		}, "price"},
		// Issue 11: price = amount = MaxInt64 was accepted and poisoned the ledger.
		{"int64 maximum", func(o *OfferTerms) {
			o.Price, o.Milestones = math.MaxInt64, o.Milestones[:1]
			o.Milestones[0].Amount = math.MaxInt64
		}, "milestones[0].amount"},
		{"above the platform maximum", func(o *OfferTerms) {
			o.Price, o.Milestones = 1e15+1, o.Milestones[:1]
			o.Milestones[0].Amount = 1e15 + 1
		}, "price"},
		{"bitcoin", func(o *OfferTerms) { o.Currency = "BTC" }, "currency"},
		{"ISO test code", func(o *OfferTerms) { o.Currency = "XXX" }, "currency"},
		{"negative milestone amount", func(o *OfferTerms) { o.Milestones[1].Amount = -60000 }, "milestones[1].amount"},
		{"zero milestone amount", func(o *OfferTerms) { o.Milestones[0].Amount = 0 }, "milestones[0].amount"},
		{"milestone due yesterday", func(o *OfferTerms) { o.Milestones[1].Due = day(-1) }, "milestones[1].due_date"},
		{"milestone without due date", func(o *OfferTerms) { o.Milestones[0].Due = time.Time{} }, "milestones[0].due_date"},
		{"milestone without title", func(o *OfferTerms) { o.Milestones[1].Title = "" }, "milestones[1].title"},
		{"milestone without deliverable", func(o *OfferTerms) { o.Milestones[0].Deliverable = "" }, "milestones[0].deliverable"},
		{"licence without scope", func(o *OfferTerms) { o.ContractType = ContractLicence }, "licence"},
		{"scope on a service contract", func(o *OfferTerms) {
			l := licenceTerms()
			o.ContractType, o.Licence = ContractService, l.Licence
		}, "licence"},
		{"licence without territory", func(o *OfferTerms) { *o = licenceTerms(); o.Licence.Territory = "" }, "licence.territory"},
		{"licence without field of use", func(o *OfferTerms) { *o = licenceTerms(); o.Licence.FieldOfUse = "" }, "licence.field_of_use"},
		{"licence of zero months", func(o *OfferTerms) { *o = licenceTerms(); o.Licence.TermMonths = 0 }, "licence.term_months"},
		{"royalty over 100%", func(o *OfferTerms) { o.RoyaltyBPS = MaxBPS + 1 }, "royalty_bps"},
		{"negative royalty", func(o *OfferTerms) { o.RoyaltyBPS = -1 }, "royalty_bps"},
		{"non-technical part over the price", func(o *OfferTerms) { o.NonTechnicalAmount = 100001 }, "non_technical_amount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			terms := devTerms()
			tt.edit(&terms)
			err := terms.Validate(t0)
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("valid terms refused: %v", err)
			case tt.field != "" && codeOf(err) != EINVALID:
				t.Fatalf("code = %q, want invalid", codeOf(err))
			case tt.field != "" && !slices.Contains(fieldsOf(err), tt.field):
				t.Fatalf("fields = %v, want %q among them", fieldsOf(err), tt.field)
			}
		})
	}
}

// A bad amount is named once, not again as a wrong sum.
func TestOfferBadAmountNotReportedAsSum(t *testing.T) {
	terms := devTerms()
	terms.Milestones[0].Amount = -1
	got := fieldsOf(terms.Validate(t0))
	if !slices.Equal(got, []string{"milestones[0].amount"}) {
		t.Fatalf("fields = %v", got)
	}
}

func TestOfferTermsNormalize(t *testing.T) {
	terms := licenceTerms()
	terms.Currency = " cny "
	terms.Milestones[0].Due = time.Date(2026, 4, 1, 23, 30, 0, 0, time.FixedZone("CST", 8*3600))
	terms.Licence.Territory = " 中国大陆 "
	orig := terms.Milestones[0].Due
	n := terms
	n.Normalize()
	if n.Currency != "CNY" || n.Licence.Territory != "中国大陆" {
		t.Fatalf("normalised = %q %q", n.Currency, n.Licence.Territory)
	}
	if want := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC); !n.Milestones[0].Due.Equal(want) {
		t.Fatalf("due = %v, want %v (the UTC date of 23:30 in UTC+8)", n.Milestones[0].Due, want)
	}
	if !terms.Milestones[0].Due.Equal(orig) || terms.Licence.Territory != " 中国大陆 " {
		t.Fatal("Normalize changed the caller's milestones or licence")
	}
}

func TestCounterOfferLifecycle(t *testing.T) {
	d := dealIn(t, DealNegotiation) // seller's offer 1 open
	d = apply(t, d, asBuyer, ProposeOffer{Terms: licenceTerms()}, t0)
	if d.Offers[0].Status != OfferCountered || d.Offers[1].Status != OfferOpen || d.Offers[1].Number != 2 {
		t.Fatalf("statuses = %s, %s", d.Offers[0].Status, d.Offers[1].Status)
	}
	if _, _, err := ApplyDeal(d, asBuyer, AcceptOffer{Number: 1, Contract: contractIn(false)}, t0); codeOf(err) != ECONFLICT {
		t.Fatalf("accepting a countered offer: %v, want conflict", err)
	}
	if _, _, err := ApplyDeal(d, asBuyer, AcceptOffer{Number: 2, Contract: contractIn(false)}, t0); codeOf(err) != EFORBIDDEN {
		t.Fatalf("buyer accepting own counter-offer: %v, want forbidden", err)
	}
	d = apply(t, d, asSeller, RejectOffer{Number: 2, Reason: "exclusivity too broad"}, t0)
	if _, _, err := ApplyDeal(d, asSeller, AcceptOffer{Number: 2, Contract: contractIn(false)}, t0); codeOf(err) != ECONFLICT {
		t.Fatalf("accepting a rejected offer: %v, want conflict", err)
	}
	d = apply(t, d, asSeller, ProposeOffer{Terms: licenceTerms()}, t0)
	d = apply(t, d, asBuyer, AcceptOffer{Number: 3, Contract: contractIn(false)}, t0)
	if d.State != DealContractDrafted || d.Contract.OfferNumber != 3 || d.Contract.Terms.ContractType != ContractLicence {
		t.Fatalf("drafted from offer %d (%s), state %s", d.Contract.OfferNumber, d.Contract.Terms.ContractType, d.State)
	}
	if d.Offers[2].Status != OfferAccepted {
		t.Fatalf("offer 3 status = %s", d.Offers[2].Status)
	}
}

// The offer's terms are stored normalised, so the contract gets clean text.
func TestProposeOfferStoresNormalisedTerms(t *testing.T) {
	d := dealIn(t, DealNegotiation)
	terms := devTerms()
	terms.Currency = "cny"
	terms.Milestones[0].Title = "  样机  "
	d = apply(t, d, asBuyer, ProposeOffer{Terms: terms}, t0)
	got := d.LatestOffer().Terms
	if got.Currency != "CNY" || got.Milestones[0].Title != "样机" {
		t.Fatalf("stored terms = %q %q", got.Currency, got.Milestones[0].Title)
	}
}
