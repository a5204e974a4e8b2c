package market

import (
	"strings"
	"techbridge/market/msgs"
	"time"
	"unicode/utf8"
)

// Organisation kinds.
const (
	OrgUniversity   = "university"
	OrgInstitute    = "institute"
	OrgEnterprise   = "enterprise"
	OrgIntermediary = "intermediary"
	OrgPublicBody   = "public_body"
)

// OrgKinds lists every organisation kind in display order.
var OrgKinds = []string{OrgUniversity, OrgInstitute, OrgEnterprise, OrgIntermediary, OrgPublicBody}

// Verification states of an organisation.
const (
	VerificationPending  = "pending"
	VerificationVerified = "verified"
	VerificationRejected = "rejected"
)

// Organization is a university, institute, enterprise, intermediary or public body.
type Organization struct {
	ID           string
	Kind         string
	NameZH       string
	NameEN       string
	Region       string // region or park, free text such as "上海市 / 张江科学城"
	CreditCode   string // unified social credit code, 18 characters
	Verification string
	PayoutRef    string // payout account reference (bank account or Stripe account id)
	// VerificationDetails is what the owners tell the reviewing admin:
	// the documents' details (licence number, issuing office …) as text.
	VerificationDetails string
	OrgProfile          // what contract registration asks of a party
	CreatedAt           time.Time
	UpdatedAt           time.Time
	Version             int64
}

// Name returns the organisation's name in lang ("zh" or "en"), falling back
// to the other language.
func (o *Organization) Name(lang string) string {
	if lang == "en" && o.NameEN != "" || o.NameZH == "" {
		return o.NameEN
	}
	return o.NameZH
}

// Supplies reports whether the organisation lists outcomes by nature.
func (o *Organization) Supplies() bool {
	return o.Kind == OrgUniversity || o.Kind == OrgInstitute
}

// NewOrganization is what a caller supplies to create an organisation; status
// fields (verification, ids) are never taken from input.
type NewOrganization struct {
	Kind       string
	NameZH     string
	NameEN     string
	Region     string
	CreditCode string
	Details    string // documents' details for the verification, as text
	OrgProfile
}

// Normalize trims spaces and upper-cases the credit code.
func (n *NewOrganization) Normalize() {
	n.Kind = strings.TrimSpace(n.Kind)
	n.NameZH = strings.TrimSpace(n.NameZH)
	n.NameEN = strings.TrimSpace(n.NameEN)
	n.Region = strings.TrimSpace(n.Region)
	n.CreditCode = strings.ToUpper(strings.TrimSpace(n.CreditCode))
	n.Details = strings.TrimSpace(n.Details)
	n.OrgProfile.Normalize()
}

// Validate names every field that is wrong.
func (n NewOrganization) Validate() error {
	var f Fields
	if !oneOf(n.Kind, OrgKinds) {
		f.Add("kind", msgs.OneOf, strings.Join(OrgKinds, ", "))
	}
	if n.NameZH == "" && n.NameEN == "" {
		f.Add("name_zh", msgs.NameInChineseOrEnglishRequired)
	}
	checkLen(&f, "name_zh", n.NameZH, 200)
	checkLen(&f, "name_en", n.NameEN, 200)
	checkLen(&f, "region", n.Region, 100)
	checkLen(&f, "details", n.Details, MaxVerificationDetails)
	n.OrgProfile.validate(&f)
	if !ValidCreditCode(n.CreditCode) {
		f.Add("credit_code", msgs.CreditCode18)
	}
	return f.Err()
}

func oneOf(s string, set []string) bool {
	for _, v := range set {
		if s == v {
			return true
		}
	}
	return false
}

// checkLen records a field error when s is longer than max characters.
func checkLen(f *Fields, field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		f.Add(field, msgs.AtMostNChars, max)
	}
}
