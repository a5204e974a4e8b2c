package sqlstore

import (
	"techbridge/market"
)

const orgColumns = "id, kind, name_zh, name_en, region, credit_code, verification, payout_ref, created_at, updated_at, version, verification_details, address, legal_representative, contact_person, contact_phone, region_code, country"

func scanOrg(row scanner) (*market.Organization, error) {
	var o market.Organization
	err := row.Scan(&o.ID, &o.Kind, &o.NameZH, &o.NameEN, &o.Region, &o.CreditCode, &o.Verification,
		&o.PayoutRef, &o.CreatedAt, &o.UpdatedAt, &o.Version, &o.VerificationDetails,
		&o.Address, &o.LegalRepresentative, &o.ContactPerson, &o.ContactPhone, &o.RegionCode, &o.Country)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return &o, err
}

// CreateOrganization inserts an organisation; ECONFLICT on a duplicate credit code.
func (t *Tx) CreateOrganization(o *market.Organization) error {
	_, err := t.exec(`INSERT INTO organizations (`+orgColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		o.ID, o.Kind, o.NameZH, o.NameEN, o.Region, o.CreditCode, o.Verification, o.PayoutRef,
		o.CreatedAt.UTC(), o.UpdatedAt.UTC(), o.Version, o.VerificationDetails,
		o.Address, o.LegalRepresentative, o.ContactPerson, o.ContactPhone, o.RegionCode, o.Country)
	return err
}

// OrganizationByID loads an organisation.
func (t *Tx) OrganizationByID(id string) (*market.Organization, error) {
	o, err := scanOrg(t.keyRow(`SELECT `+orgColumns+` FROM organizations WHERE id = $1`, id))
	return o, notFound(err, "organization")
}

// UpdateOrganization writes o when the stored version is o.Version-1.
func (t *Tx) UpdateOrganization(o *market.Organization) error {
	res, err := t.exec(`UPDATE organizations SET kind = $1, name_zh = $2, name_en = $3, region = $4,
		verification = $5, payout_ref = $6, updated_at = $7, version = $8, verification_details = $11,
		address = $12, legal_representative = $13, contact_person = $14, contact_phone = $15, region_code = $16, country = $17
		WHERE id = $9 AND version = $10`,
		o.Kind, o.NameZH, o.NameEN, o.Region, o.Verification, o.PayoutRef, o.UpdatedAt.UTC(), o.Version,
		o.ID, o.Version-1, o.VerificationDetails,
		o.Address, o.LegalRepresentative, o.ContactPerson, o.ContactPhone, o.RegionCode, o.Country)
	if err != nil {
		return err
	}
	return t.expectOne(res, "organizations", o.ID, "organization")
}

// ListOrganizations lists organisations by id (creation order, as ids are UUIDv7).
func (t *Tx) ListOrganizations(f market.OrgFilter) ([]market.Organization, error) {
	rows, err := t.query(`SELECT `+orgColumns+` FROM organizations
		WHERE ($1 = '' OR verification = $1) AND ($2 = '' OR kind = $2) AND id > $3
		ORDER BY id LIMIT $4`, f.Verification, f.Kind, f.After, market.ClampLimit(f.Limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.Organization
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}
