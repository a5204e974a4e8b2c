package market

import (
	"context"
	"crypto/sha256"
	"strings"
	"techbridge/market/msgs"
)

// importCodeChars are the characters of a credit code's body that
// PlaceholderCreditCode draws from (the code alphabet without I, O, S, V, Z).
const importCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// PlaceholderCreditCode derives a valid-looking unified social credit code
// from a name, for organisations the admin CLI creates on import before
// their real code is known. Its registration-authority digits "99" mark it
// as a placeholder that an admin should replace.
func PlaceholderCreditCode(name string) string {
	sum := sha256.Sum256([]byte(name))
	var b strings.Builder
	b.WriteString("99")
	for i := 0; i < 15; i++ {
		b.WriteByte(importCodeChars[int(sum[i])%len(importCodeChars)])
	}
	first := b.String()
	return first + string(CreditCodeCheckChar(first))
}

// ImportOrganization finds the organisation an admin import writes to, by
// id or exact Chinese or English name. With create, a missing one is made
// (verified, with a placeholder credit code) as kind.
func (s *Service) ImportOrganization(ctx context.Context, actor Actor, name, kind string, create bool) (*Organization, bool, error) {
	if !actor.IsAdmin() {
		return nil, false, Errorf(EFORBIDDEN, msgs.OnlyAdminsPickImportOrganisationsBy)
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, false, Invalid("org", msgs.Required)
	}
	var found *Organization
	err := s.Store.View(ctx, func(tx Tx) error {
		if o, err := tx.OrganizationByID(name); err == nil {
			found = o
			return nil
		}
		after := ""
		for {
			page, err := tx.ListOrganizations(OrgFilter{After: after, Limit: MaxPageSize})
			if err != nil {
				return err
			}
			for i := range page {
				if page[i].NameZH == name || page[i].NameEN == name {
					found = &page[i]
					return nil
				}
			}
			if len(page) < MaxPageSize {
				return nil
			}
			after = page[len(page)-1].ID
		}
	})
	if err != nil || found != nil {
		return found, false, err
	}
	if !create {
		return nil, false, Errorf(ENOTFOUND, msgs.NoOrganisationNamedXPassCreate, name)
	}
	in := NewOrganization{Kind: kind, NameZH: name, NameEN: name, CreditCode: PlaceholderCreditCode(name)}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, false, err
	}
	now := s.now()
	o := &Organization{ID: NewID(), Kind: in.Kind, NameZH: in.NameZH, NameEN: in.NameEN, CreditCode: in.CreditCode,
		Verification: VerificationVerified, CreatedAt: now, UpdatedAt: now, Version: 1}
	err = s.Store.Update(ctx, func(tx Tx) error {
		if err := tx.CreateOrganization(o); err != nil {
			return err
		}
		e := NewEvent(EventOrgCreated, actor.AccountID, "organization", o.ID,
			map[string]string{"kind": o.Kind, "credit_code": o.CreditCode, "source": "import"}, now)
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, false, err
	}
	return o, true, nil
}
