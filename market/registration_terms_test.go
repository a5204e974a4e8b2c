package market

import (
	"testing"
	"time"
)

// TestRegistrationTermsValidate is the form's field table: each row breaks
// one answer and names the field that must be reported.
func TestRegistrationTermsValidate(t *testing.T) {
	transfer := func(o *OfferTerms) {
		o.ContractType = ContractTransfer
		o.Registration.SubType = "patent_right"
		o.Registration.ExpectedInvestment, o.Registration.ExpectedOutput = 5_000_000_00, 20_000_000_00
	}
	tests := []struct {
		name  string
		edit  func(*OfferTerms)
		field string // "" = valid
	}{
		{"complete development", func(*OfferTerms) {}, ""},
		{"complete licence", func(o *OfferTerms) { *o = licenceTerms() }, ""},
		{"complete transfer", transfer, ""},
		{"complete consulting", func(o *OfferTerms) { o.ContractType = ContractConsulting; o.Registration.SubType = "feasibility" }, ""},
		{"complete service", func(o *OfferTerms) { o.ContractType = ContractService; o.Registration.SubType = "training" }, ""},
		{"know-how without patents", func(o *OfferTerms) { o.Registration.IPType, o.Registration.PatentNumbers = IPKnowHow, nil }, ""},
		{"no sub-type", func(o *OfferTerms) { o.Registration.SubType = "" }, "registration.sub_type"},
		{"sub-type of another contract type", func(o *OfferTerms) { o.Registration.SubType = "patent_right" }, "registration.sub_type"},
		{"licence sub-type against the scope", func(o *OfferTerms) { *o = licenceTerms(); o.Registration.SubType = "non_exclusive" }, "registration.sub_type"},
		{"sole licence is exclusive", func(o *OfferTerms) { *o = licenceTerms(); o.Registration.SubType = "sole" }, ""},
		{"no technology field", func(o *OfferTerms) { o.Registration.TechField = "" }, "registration.tech_field"},
		{"listing field instead of the form's", func(o *OfferTerms) { o.Registration.TechField = "energy_storage" }, "registration.tech_field"},
		{"no IP type", func(o *OfferTerms) { o.Registration.IPType = "" }, "registration.ip_type"},
		{"unknown IP type", func(o *OfferTerms) { o.Registration.IPType = "trademark" }, "registration.ip_type"},
		{"patent without its number", func(o *OfferTerms) { o.Registration.PatentNumbers = nil }, "registration.patent_numbers"},
		{"bad patent number", func(o *OfferTerms) { o.Registration.PatentNumbers = []string{"CN1"} }, "registration.patent_numbers"},
		{"no start of the term", func(o *OfferTerms) { o.Registration.ValidFrom = time.Time{} }, "registration.valid_from"},
		{"no end of the term", func(o *OfferTerms) { o.Registration.ValidUntil = time.Time{} }, "registration.valid_until"},
		{"term ends before it starts", func(o *OfferTerms) { o.Registration.ValidUntil = day(-1) }, "registration.valid_until"},
		{"no place of signing", func(o *OfferTerms) { o.Registration.SigningPlace = " " }, "registration.signing_place"},
		{"no socio-economic objective", func(o *OfferTerms) { o.Registration.SocioEconomicGoal = "" }, "registration.socio_economic_goal"},
		{"unknown socio-economic objective", func(o *OfferTerms) { o.Registration.SocioEconomicGoal = "fun" }, "registration.socio_economic_goal"},
		{"transfer without expected investment", func(o *OfferTerms) { transfer(o); o.Registration.ExpectedInvestment = 0 }, "registration.expected_investment"},
		{"transfer without expected output", func(o *OfferTerms) { transfer(o); o.Registration.ExpectedOutput = 0 }, "registration.expected_output"},
		{"expected output on a development", func(o *OfferTerms) { o.Registration.ExpectedOutput = 100 }, "registration.expected_output"},
		{"expected investment beyond any amount", func(o *OfferTerms) { transfer(o); o.Registration.ExpectedInvestment = 1e15 + 1 }, "registration.expected_investment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := devTerms()
			tt.edit(&o)
			o.Normalize()
			err := o.Validate(t0)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("valid terms refused: %v", err)
				}
				return
			}
			if !hasField(err, tt.field) {
				t.Fatalf("%v does not name %s", err, tt.field)
			}
		})
	}
}

// TestSigningNeedsRegistrationAnswers: a contract drafted from an offer
// without the form's answers cannot be signed, and the error names them.
func TestSigningNeedsRegistrationAnswers(t *testing.T) {
	d := apply(t, openDealT(t, false), asSeller, AcceptInquiry{}, t0)
	terms := devTerms()
	terms.Registration = nil
	d = apply(t, d, asSeller, ProposeOffer{Terms: terms}, t0)
	d = apply(t, d, asBuyer, AcceptOffer{Number: 1, Contract: contractIn(false)}, t0)
	_, _, err := ApplyDeal(d, asBuyer, SignContract{Hash: d.Contract.Hash}, t0)
	if !hasField(err, "registration") {
		t.Fatalf("signing without the form's answers: %v", err)
	}
}

// TestListingContractTypes is the type-versus-listing rule: a contract must
// be of a type the outcome is offered under.
func TestListingContractTypes(t *testing.T) {
	tests := []struct {
		modes   []string
		typ     string
		allowed bool
	}{
		{[]string{TransferExclusiveLicence}, ContractTransfer, false}, // the old demo's mistake
		{[]string{TransferExclusiveLicence}, ContractLicence, true},
		{[]string{TransferNonExclusive}, ContractLicence, true},
		{[]string{TransferAssignment}, ContractTransfer, true},
		{[]string{TransferAssignment}, ContractLicence, false},
		{[]string{TransferEquity}, ContractTransfer, true},
		{[]string{TransferJointDevelopment}, ContractDevelopment, true},
		{[]string{TransferJointDevelopment}, ContractConsulting, false},
		{[]string{TransferAssignment, TransferJointDevelopment}, ContractDevelopment, true},
		{nil, ContractService, true}, // a listing that names no mode leaves the type to negotiation
	}
	for _, tt := range tests {
		err := CheckListingContractType(tt.typ, tt.modes)
		if (err == nil) != tt.allowed {
			t.Errorf("%s on %v: %v, want allowed=%v", tt.typ, tt.modes, err, tt.allowed)
		}
		if err != nil && !hasField(err, "contract_type") {
			t.Errorf("%s on %v: %v does not name contract_type", tt.typ, tt.modes, err)
		}
	}
}

func TestRegistrationFieldFor(t *testing.T) {
	for _, f := range TechFields {
		code := RegistrationFieldFor(f.Code)
		if _, ok := CodeIn(RegistrationTechFields, code); !ok && f.Code != FieldOther {
			t.Errorf("listing field %s maps to %q, not a field of the form", f.Code, code)
		}
	}
	if RegistrationFieldFor(FieldOther) != "" {
		t.Error("'other' must be chosen by hand")
	}
}

// TestOrgProfileValidate is the organisation part of the form's table.
func TestOrgProfileValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*OrgProfile)
		field string
	}{
		{"complete", func(*OrgProfile) {}, ""},
		{"foreign without a Chinese region", func(p *OrgProfile) { p.Country, p.RegionCode = "DE", "" }, ""},
		{"no address", func(p *OrgProfile) { p.Address = "" }, "x.address"},
		{"no legal representative", func(p *OrgProfile) { p.LegalRepresentative = "" }, "x.legal_representative"},
		{"no contact", func(p *OrgProfile) { p.ContactPerson = "" }, "x.contact_person"},
		{"no phone", func(p *OrgProfile) { p.ContactPhone = "" }, "x.contact_phone"},
		{"phone of letters", func(p *OrgProfile) { p.ContactPhone = "call me" }, "x.contact_phone"},
		{"no country", func(p *OrgProfile) { p.Country = "" }, "x.country"},
		{"not a country", func(p *OrgProfile) { p.Country = "ZZ" }, "x.country"},
		{"a continent", func(p *OrgProfile) { p.Country = "150" }, "x.country"},
		{"China without a region", func(p *OrgProfile) { p.RegionCode = "" }, "x.region_code"},
		{"region not in GB/T 2260", func(p *OrgProfile) { p.RegionCode = "310199" }, "x.region_code"},
		{"region of five digits", func(p *OrgProfile) { p.RegionCode = "31011" }, "x.region_code"},
		{"Chinese region abroad", func(p *OrgProfile) { p.Country = "US" }, "x.region_code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fullProfile("310110")
			tt.edit(&p)
			p.Normalize()
			var f Fields
			p.Complete(&f, "x.")
			if tt.field == "" {
				if err := f.Err(); err != nil {
					t.Fatalf("complete profile refused: %v", err)
				}
				return
			}
			if !f.Has(tt.field) {
				t.Fatalf("%v does not name %s", f, tt.field)
			}
		})
	}
}
