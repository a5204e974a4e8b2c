package market

import (
	"context"
	"regexp"
	"strings"
	"techbridge/market/msgs"

	"golang.org/x/text/language"

	"techbridge/market/gbt2260"
)

// OrgProfile is what the technology-contract registration form asks of a
// contract party besides its name and credit code.
type OrgProfile struct {
	Address             string
	LegalRepresentative string // 法定代表人
	ContactPerson       string
	ContactPhone        string
	RegionCode          string // six-digit GB/T 2260 code; required when Country is CN
	Country             string // ISO 3166-1 alpha-2, upper case
}

var phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{4,29}$`)

// Normalize trims the fields and upper-cases the country code.
func (p *OrgProfile) Normalize() {
	p.Address = strings.TrimSpace(p.Address)
	p.LegalRepresentative = strings.TrimSpace(p.LegalRepresentative)
	p.ContactPerson = strings.TrimSpace(p.ContactPerson)
	p.ContactPhone = strings.TrimSpace(p.ContactPhone)
	p.RegionCode = strings.TrimSpace(p.RegionCode)
	p.Country = strings.ToUpper(strings.TrimSpace(p.Country))
}

// validate names the fields that are wrong; empty fields are allowed here
// (a profile is filled in over time) and required by Complete.
func (p OrgProfile) validate(f *Fields) {
	checkLen(f, "address", p.Address, 200)
	checkLen(f, "legal_representative", p.LegalRepresentative, 100)
	checkLen(f, "contact_person", p.ContactPerson, 100)
	if p.ContactPhone != "" && !phonePattern.MatchString(p.ContactPhone) {
		f.Add("contact_phone", msgs.TelephoneNumber)
	}
	if p.Country != "" && !ValidCountry(p.Country) {
		f.Add("country", msgs.ISO3166Country)
	}
	if p.RegionCode != "" {
		if _, ok := gbt2260.Lookup(p.RegionCode); !ok {
			f.Add("region_code", msgs.SixDigitDivisionCode)
		} else if p.Country != "" && p.Country != "CN" {
			f.Add("region_code", msgs.OnlyInChina)
		}
	}
}

// Complete names, under prefix ("buyer." …), every field the registration
// form requires and the profile lacks, and every wrong one.
func (p OrgProfile) Complete(f *Fields, prefix string) {
	var own Fields
	p.validate(&own)
	f.AddPrefixed(prefix, own)
	for _, r := range []struct{ field, value string }{{"address", p.Address},
		{"legal_representative", p.LegalRepresentative}, {"contact_person", p.ContactPerson},
		{"contact_phone", p.ContactPhone}, {"country", p.Country}} {
		if r.value == "" {
			f.Add(prefix+r.field, msgs.RequiredForRegistration)
		}
	}
	if p.Country == "CN" && p.RegionCode == "" {
		f.Add(prefix+"region_code", msgs.RequiredForRegistration)
	}
}

// ValidCountry reports whether code is an ISO 3166-1 alpha-2 country.
func ValidCountry(code string) bool {
	if len(code) != 2 {
		return false
	}
	r, err := language.ParseRegion(code)
	return err == nil && r.IsCountry() && r.String() == code
}

// RegionName is the full name of a GB/T 2260 code ("上海市 杨浦区"), or ""
// for an unknown one.
func RegionName(code string) string {
	d, _ := gbt2260.Lookup(code)
	return d.FullName
}

// EventOrgProfileUpdated records a change of an organisation's registration profile.
const EventOrgProfileUpdated = "organization.profile_updated"

// UpdateOrgProfile replaces an organisation's registration profile; owners
// and admins may. version is the organisation's version as the caller read
// it (0 = any).
func (s *Service) UpdateOrgProfile(ctx context.Context, actor Actor, orgID string, version int64, p OrgProfile) (*Organization, error) {
	if !actor.OwnerOf(orgID) && !actor.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyOwnersChangeProfile)
	}
	p.Normalize()
	var f Fields
	p.validate(&f)
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var o *Organization
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if o, err = tx.OrganizationByID(orgID); err != nil {
			return err
		}
		if version != 0 && version != o.Version {
			return StaleVersion(msgs.XAtVersionNNotN, "organisation", o.Version, version)
		}
		o.OrgProfile, o.UpdatedAt = p, now
		o.Version++
		if err := tx.UpdateOrganization(o); err != nil {
			return err
		}
		e := NewEvent(EventOrgProfileUpdated, actor.AccountID, "organization", o.ID, map[string]string{"region_code": p.RegionCode, "country": p.Country}, now)
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}
