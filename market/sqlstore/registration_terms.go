package sqlstore

import (
	"time"

	"techbridge/market"
)

// registrationTermsJSON is an offer's registration answers inside the
// offers and contract JSON columns.
type registrationTermsJSON struct {
	SubType            string    `json:"sub_type"`
	TechField          string    `json:"tech_field"`
	IPType             string    `json:"ip_type"`
	PatentNumbers      []string  `json:"patent_numbers"`
	ValidFrom          time.Time `json:"valid_from"`
	ValidUntil         time.Time `json:"valid_until"`
	SigningPlace       string    `json:"signing_place"`
	SocioEconomicGoal  string    `json:"socio_economic_goal"`
	ExpectedInvestment int64     `json:"expected_investment"`
	ExpectedOutput     int64     `json:"expected_output"`
}

func toRegistrationTermsJSON(r *market.RegistrationTerms) *registrationTermsJSON {
	if r == nil {
		return nil
	}
	return &registrationTermsJSON{SubType: r.SubType, TechField: r.TechField, IPType: r.IPType,
		PatentNumbers: r.PatentNumbers, ValidFrom: r.ValidFrom.UTC(), ValidUntil: r.ValidUntil.UTC(),
		SigningPlace: r.SigningPlace, SocioEconomicGoal: r.SocioEconomicGoal,
		ExpectedInvestment: r.ExpectedInvestment, ExpectedOutput: r.ExpectedOutput}
}

func (j *registrationTermsJSON) domain() *market.RegistrationTerms {
	if j == nil {
		return nil
	}
	return &market.RegistrationTerms{SubType: j.SubType, TechField: j.TechField, IPType: j.IPType,
		PatentNumbers: j.PatentNumbers, ValidFrom: j.ValidFrom.UTC(), ValidUntil: j.ValidUntil.UTC(),
		SigningPlace: j.SigningPlace, SocioEconomicGoal: j.SocioEconomicGoal,
		ExpectedInvestment: j.ExpectedInvestment, ExpectedOutput: j.ExpectedOutput}
}
