package market

import (
	"slices"
	"techbridge/market/msgs"
	"time"
)

// registrationZone is UTC+8 without daylight saving, so a fixed zone is exact and
// needs no tzdata; registration dates are dates in China.
var registrationZone = time.FixedZone("CST", 8*60*60)

// dealSignedStates are the states whose contract is signed and can be registered.
var dealSignedStates = []string{DealSigned, DealInProgress, DealCompleted, DealDisputed}

// RegistrationRecord is one signed contract as China's technology-contract
// registration (技术合同认定登记表, form JJ-001) asks for it. It is an export
// format, so it carries its JSON names; amounts are minor units of Currency.
type RegistrationRecord struct {
	DealID string `json:"deal_id"`
	// State is the registration's state ("" before it was submitted);
	// RegistrationNumber (合同登记编号, 16 digits) and RegisteredOn are the
	// registry's, set once it registered the contract.
	State              string                  `json:"state"`
	RegistrationNumber string                  `json:"registration_number"`
	RegisteredOn       string                  `json:"registered_on"`
	ReturnReason       string                  `json:"return_reason,omitempty"`
	ContractHash       string                  `json:"contract_hash"` // SHA-256 of the signed text: its fingerprint
	ContractName       string                  `json:"contract_name"`
	ContractNameEN     string                  `json:"contract_name_en"`
	ContractType       string                  `json:"contract_type"`
	ContractTypeZH     string                  `json:"contract_type_zh"`
	SubType            string                  `json:"sub_type"`
	TechField          string                  `json:"tech_field"`
	IPType             string                  `json:"ip_type"`
	PatentNumbers      []string                `json:"patent_numbers"`
	SocioEconomicGoal  string                  `json:"socio_economic_goal"`
	Buyer              RegistrationParty       `json:"buyer"`
	Seller             RegistrationParty       `json:"seller"`
	Intermediary       *RegistrationParty      `json:"intermediary,omitempty"`
	SigningDate        string                  `json:"signing_date"` // YYYY-MM-DD in China
	SigningPlace       string                  `json:"signing_place"`
	ValidFrom          string                  `json:"valid_from"`
	ValidUntil         string                  `json:"valid_until"`
	Currency           string                  `json:"currency"`
	TotalAmount        int64                   `json:"total_amount"`
	TechnicalIncome    int64                   `json:"technical_income"`
	ExpectedInvestment int64                   `json:"expected_investment"`
	ExpectedOutput     int64                   `json:"expected_output"`
	RoyaltyBPS         int64                   `json:"royalty_bps"`
	Licence            *RegistrationLicence    `json:"licence,omitempty"`
	Milestones         []RegistrationMilestone `json:"milestones"`
}

// RegistrationParty is a contract party in a registration record: the
// name and credit code the contract names, the rest from its profile.
type RegistrationParty struct {
	OrgID               string `json:"org_id"`
	NameZH              string `json:"name_zh"`
	NameEN              string `json:"name_en"`
	CreditCode          string `json:"credit_code"`
	Kind                string `json:"kind"`              // organisation kind
	LegalPersonType     string `json:"legal_person_type"` // the form's 法人类型
	Region              string `json:"region"`            // free text, as the contract names it
	RegionCode          string `json:"region_code"`       // GB/T 2260
	RegionName          string `json:"region_name"`
	Country             string `json:"country"`
	Address             string `json:"address"`
	LegalRepresentative string `json:"legal_representative"`
	ContactPerson       string `json:"contact_person"`
	ContactPhone        string `json:"contact_phone"`
}

// RegistrationLicence is a licence's scope in a registration record.
type RegistrationLicence struct {
	Exclusive  bool   `json:"exclusive"`
	Territory  string `json:"territory"`
	FieldOfUse string `json:"field_of_use"`
	TermMonths int    `json:"term_months"`
}

// RegistrationMilestone is one milestone in a registration record.
type RegistrationMilestone struct {
	Title   string `json:"title"`
	Amount  int64  `json:"amount"`
	DueDate string `json:"due_date"`
}

// LegalPersonTypes are the form's legal-person types (买卖方性质) by
// organisation kind.
var LegalPersonTypes = []RegistrationCode{
	{"public_institution", "事业法人", "Public institution"},
	{"enterprise", "企业法人", "Enterprise"},
	{"social_organisation", "社团法人", "Social organisation"},
	{"government", "机关法人", "Government body"},
}

var legalPersonTypeOf = map[string]string{OrgUniversity: "public_institution", OrgInstitute: "public_institution",
	OrgEnterprise: "enterprise", OrgIntermediary: "social_organisation", OrgPublicBody: "government"}

// RegistrationFromDeal builds the registration record of a signed deal,
// with the parties' profiles from orgs (by id; a missing one leaves its
// profile blank). The validity is the agreed term; a contract signed
// before terms carried one runs from the signing date to the last
// milestone's due date, or to the end of a licence's term when that is later.
func RegistrationFromDeal(d Deal, orgs map[string]*Organization) (RegistrationRecord, error) {
	if !slices.Contains(dealSignedStates, d.State) || d.Contract == nil {
		return RegistrationRecord{}, Errorf(ECONFLICT, msgs.DealXXOnlySignedContracts, d.ID, msgs.Term{Kind: "deal.state", Value: d.State})
	}
	c := d.Contract
	t := c.Terms
	signed := d.SignedAt.In(registrationZone)
	until := signed
	r := RegistrationRecord{DealID: d.ID, ContractHash: c.Hash, ContractName: c.NameZH, ContractNameEN: c.NameEN,
		ContractType: t.ContractType, ContractTypeZH: Label(ContractTypeLabels, t.ContractType, "zh"),
		Buyer: registrationParty(c.Buyer, orgs), Seller: registrationParty(c.Seller, orgs),
		SigningDate: signed.Format(time.DateOnly), ValidFrom: signed.Format(time.DateOnly),
		Currency: t.Currency, TotalAmount: t.Price, TechnicalIncome: t.Price - t.NonTechnicalAmount,
		RoyaltyBPS: t.RoyaltyBPS, PatentNumbers: []string{}}
	if c.Intermediary != nil {
		p := registrationParty(*c.Intermediary, orgs)
		r.Intermediary = &p
	}
	for _, m := range t.Milestones {
		r.Milestones = append(r.Milestones, RegistrationMilestone{Title: m.Title, Amount: m.Amount,
			DueDate: m.Due.UTC().Format(time.DateOnly)})
		if due := offerDate(m.Due); due.After(until) {
			until = due
		}
	}
	if l := t.Licence; l != nil {
		r.Licence = &RegistrationLicence{Exclusive: l.Exclusive, Territory: l.Territory, FieldOfUse: l.FieldOfUse, TermMonths: l.TermMonths}
		if end := signed.AddDate(0, l.TermMonths, 0); end.After(until) {
			until = end
		}
	}
	r.ValidUntil = until.Format(time.DateOnly)
	if g := t.Registration; g != nil {
		r.SubType, r.TechField, r.IPType, r.SocioEconomicGoal = g.SubType, g.TechField, g.IPType, g.SocioEconomicGoal
		r.PatentNumbers = append(r.PatentNumbers, g.PatentNumbers...)
		r.SigningPlace = g.SigningPlace
		r.ValidFrom, r.ValidUntil = g.ValidFrom.Format(time.DateOnly), g.ValidUntil.Format(time.DateOnly)
		r.ExpectedInvestment, r.ExpectedOutput = g.ExpectedInvestment, g.ExpectedOutput
	}
	return r, nil
}

func registrationParty(p ContractParty, orgs map[string]*Organization) RegistrationParty {
	r := RegistrationParty{OrgID: p.OrgID, NameZH: p.NameZH, NameEN: p.NameEN, CreditCode: p.CreditCode, Region: p.Region}
	if o := orgs[p.OrgID]; o != nil {
		r.Kind, r.LegalPersonType = o.Kind, legalPersonTypeOf[o.Kind]
		r.RegionCode, r.RegionName, r.Country = o.RegionCode, RegionName(o.RegionCode), o.Country
		r.Address, r.LegalRepresentative = o.Address, o.LegalRepresentative
		r.ContactPerson, r.ContactPhone = o.ContactPerson, o.ContactPhone
	}
	return r
}

// registrationGaps names every field the registration form requires that
// the signed deal or its parties' profiles lack.
func registrationGaps(d Deal, orgs map[string]*Organization) error {
	var f Fields
	if g := d.Contract.Terms.Registration; g == nil {
		f.Add("registration", msgs.RegistrationNeverAgreed)
	} else {
		g.validate(&f, d.Contract.Terms)
	}
	for role, id := range dealPartyOrgs(d) {
		if o := orgs[id]; o != nil {
			o.OrgProfile.Complete(&f, role+".")
		}
	}
	return f.Err()
}

// dealPartyOrgs maps each contract party's role to its organisation id.
func dealPartyOrgs(d Deal) map[string]string {
	m := map[string]string{DealRoleBuyer: d.BuyerOrgID, DealRoleSeller: d.SellerOrgID}
	if d.Contract != nil && d.Contract.Intermediary != nil {
		m[DealRoleIntermediary] = d.Contract.Intermediary.OrgID
	}
	return m
}
