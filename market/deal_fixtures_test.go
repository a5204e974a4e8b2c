package market

import (
	"testing"
	"time"
)

// t0 is the fixed "now" of deal tests.
var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

const (
	buyerOrg    = "org-buyer"
	sellerOrg   = "org-seller"
	brokerOrg   = "org-broker"
	strangerOrg = "org-stranger"
)

var (
	asBuyer    = DealActor{OrgID: buyerOrg, AccountID: "acc-buyer", Role: DealRoleBuyer, Signatory: true}
	asSeller   = DealActor{OrgID: sellerOrg, AccountID: "acc-seller", Role: DealRoleSeller, Signatory: true}
	asBroker   = DealActor{OrgID: brokerOrg, AccountID: "acc-broker", Role: DealRoleIntermediary, Signatory: true}
	asAdmin    = DealActor{AccountID: "acc-admin", Role: DealRoleAdmin}
	asSystem   = DealActor{Role: DealRoleSystem}
	asStranger = DealActor{OrgID: strangerOrg, AccountID: "acc-x", Role: DealRoleOther}
)

// day returns midnight UTC n days after t0's date.
func day(n int) time.Time { return offerDate(t0).AddDate(0, 0, n) }

// devTerms is a valid development offer of CNY 1000.00 in two milestones,
// with every answer the registration form needs.
func devTerms() OfferTerms {
	return OfferTerms{ContractType: ContractDevelopment, Price: 100000, Currency: "CNY",
		Milestones: []MilestoneTerms{
			{Title: "样机", Deliverable: "prototype and test report", Amount: 40000, Due: day(30)},
			{Title: "验收", Deliverable: "final acceptance", Amount: 60000, Due: day(90)},
		},
		Registration: regTerms("commissioned")}
}

// regTerms are complete registration answers with the sub-type sub.
func regTerms(sub string) *RegistrationTerms {
	return &RegistrationTerms{SubType: sub, TechField: "new_energy", IPType: IPInventionPatent,
		PatentNumbers: []string{"CN114081026A"}, ValidFrom: day(0), ValidUntil: day(365),
		SigningPlace: "上海市杨浦区", SocioEconomicGoal: "energy"}
}

// licenceTerms is a valid licence offer with a royalty.
func licenceTerms() OfferTerms {
	t := devTerms()
	t.ContractType = ContractLicence
	t.Licence = &LicenceScope{Exclusive: true, Territory: "中国大陆", FieldOfUse: "新能源汽车电池", TermMonths: 36}
	t.RoyaltyBPS = 250
	t.Registration = regTerms("exclusive")
	return t
}

func party(org, zh, en, code, region string) ContractParty {
	return ContractParty{OrgID: org, NameZH: zh, NameEN: en, CreditCode: code, Region: region}
}

// contractIn is the ContractInput for the fixture parties; withBroker adds the intermediary.
func contractIn(withBroker bool) ContractInput {
	in := ContractInput{Subject: "固态电池隔膜",
		Buyer:  party(buyerOrg, "上海某某新能源有限公司", "Shanghai Example New Energy Co., Ltd.", "91310000MA1FL0000X", "上海市 / 临港新片区"),
		Seller: party(sellerOrg, "某某大学", "Example University", "12100000400000000X", "上海市 / 杨浦区")}
	if withBroker {
		p := party(brokerOrg, "某某技术转移中心", "Example Transfer Office", "52310000MJ0000000X", "上海市 / 张江")
		in.Intermediary = &p
	}
	return in
}

// apply runs a transition that must succeed.
func apply(t *testing.T, d Deal, a DealActor, act DealAction, now time.Time) Deal {
	t.Helper()
	n, _, err := ApplyDeal(d, a, act, now)
	if err != nil {
		t.Fatalf("%s by %s in %s: %v", act.Name(), a.Role, d.State, err)
	}
	return n
}

// openDealT opens a deal on an outcome; confidential adds the seller's NDA.
func openDealT(t *testing.T, confidential bool) Deal {
	t.Helper()
	in := OutcomeInquiry{OutcomeID: "outcome-1", SellerOrgID: sellerOrg, Published: true,
		BuyerKind: OrgEnterprise, Message: "我们对贵校的隔膜技术感兴趣"}
	if confidential {
		nda, err := NewNDA(sellerOrg, 2, "保密协议全文 / full NDA text", t0)
		if err != nil {
			t.Fatal(err)
		}
		in.Confidential, in.NDA = true, &nda
	}
	d, _, err := OpenOutcomeDeal(in, DealActor{OrgID: buyerOrg, AccountID: "acc-buyer"}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// dealIn returns a deal in state, reached through the real transitions; in
// negotiation the seller's offer 1 is open.
func dealIn(t *testing.T, state string) Deal {
	t.Helper()
	switch state {
	case DealInquiry:
		return openDealT(t, false)
	case DealNDA:
		return apply(t, openDealT(t, true), asSeller, AcceptInquiry{}, t0)
	case DealNegotiation:
		d := apply(t, openDealT(t, false), asSeller, AcceptInquiry{}, t0)
		return apply(t, d, asSeller, ProposeOffer{Terms: devTerms()}, t0)
	case DealContractDrafted:
		return apply(t, dealIn(t, DealNegotiation), asBuyer, AcceptOffer{Number: 1, Contract: contractIn(false)}, t0)
	case DealSigned:
		d := dealIn(t, DealContractDrafted)
		d = apply(t, d, asBuyer, SignContract{Hash: d.Contract.Hash}, t0)
		return apply(t, d, asSeller, SignContract{Hash: d.Contract.Hash}, t0)
	case DealDeclined:
		return apply(t, openDealT(t, false), asSeller, DeclineInquiry{Reason: "not for sale"}, t0)
	case DealCancelled:
		return apply(t, dealIn(t, DealNegotiation), asBuyer, CancelDeal{}, t0)
	case DealExpired:
		return apply(t, dealIn(t, DealNegotiation), asSystem, ExpireDeal{IdleFor: 24 * time.Hour}, t0.Add(48*time.Hour))
	case DealInProgress, DealCompleted, DealDisputed:
		d := dealIn(t, DealSigned)
		d.State = state // the payments module's states; no rules here yet
		return d
	}
	t.Fatalf("no fixture for state %q", state)
	return Deal{}
}

// withBroker adds an active intermediary invited by the buyer, before any offer.
func withBroker(t *testing.T, d Deal) Deal {
	t.Helper()
	d = apply(t, d, asBuyer, InviteIntermediary{OrgID: brokerOrg,
		Fee: FeeTerms{Basis: FeeBasisBPS, BPS: 300, Payer: FeePayerSplit}}, t0)
	d = apply(t, d, asBroker, RespondIntermediary{Accept: true}, t0)
	return apply(t, d, asSeller, AgreeIntermediaryFee{Agree: true}, t0)
}

// codeOf returns the error code of err, "" for nil.
func codeOf(err error) string { return ErrorCode(err) }

// fieldsOf returns the field names of an EINVALID error.
func fieldsOf(err error) []string {
	e, ok := err.(*Error)
	if !ok {
		return nil
	}
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Field)
	}
	return names
}
