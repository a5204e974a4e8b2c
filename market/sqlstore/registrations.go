package sqlstore

import (
	"encoding/json"
	"techbridge/market/msgs"

	"techbridge/market"
)

const registrationColumns = `deal_id, version, state, submitted_by_role, submitted_by_account, submitted_at,
	return_reason, registrar_account, record, updated_at`

func scanRegistration(row scanner) (*market.ContractRegistration, error) {
	var r market.ContractRegistration
	var record string
	if err := row.Scan(&r.DealID, &r.Version, &r.State, &r.SubmittedByRole, &r.SubmittedByAccount, &r.SubmittedAt,
		&r.ReturnReason, &r.RegistrarAccount, &record, &r.UpdatedAt); err != nil {
		return nil, err
	}
	r.SubmittedAt, r.UpdatedAt = r.SubmittedAt.UTC(), r.UpdatedAt.UTC()
	return &r, json.Unmarshal([]byte(record), &r.Record)
}

// RegistrationByDeal returns a deal's registration.
func (t *Tx) RegistrationByDeal(dealID string) (*market.ContractRegistration, error) {
	r, err := scanRegistration(t.keyRow(`SELECT `+registrationColumns+` FROM contract_registrations WHERE deal_id = $1`, dealID))
	return r, notFound(err, "registration")
}

// SaveRegistration inserts or updates a registration by its version; the
// columns the export filters on are copied out of the record.
func (t *Tx) SaveRegistration(r *market.ContractRegistration) error {
	record, err := json.Marshal(r.Record)
	if err != nil {
		return err
	}
	rec := r.Record
	args := []any{r.DealID, r.Version, r.State, r.SubmittedByRole, r.SubmittedByAccount, r.SubmittedAt.UTC(),
		r.ReturnReason, rec.RegistrationNumber, rec.RegisteredOn, r.RegistrarAccount, rec.ContractType, rec.TechField,
		rec.Buyer.RegionCode, rec.Seller.RegionCode, rec.SigningDate, string(record), r.UpdatedAt.UTC()}
	if r.Version == 1 {
		_, err := t.exec(`INSERT INTO contract_registrations (deal_id, version, state, submitted_by_role,
			submitted_by_account, submitted_at, return_reason, number, registered_on, registrar_account,
			contract_type, tech_field, buyer_region, seller_region, signed_on, record, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`, args...)
		return err
	}
	res, err := t.exec(`UPDATE contract_registrations SET version = $2, state = $3, submitted_by_role = $4,
		submitted_by_account = $5, submitted_at = $6, return_reason = $7, number = $8, registered_on = $9,
		registrar_account = $10, contract_type = $11, tech_field = $12, buyer_region = $13, seller_region = $14,
		signed_on = $15, record = $16, updated_at = $17
		WHERE deal_id = $1 AND version = $18`, append(args, r.Version-1)...)
	if err != nil {
		return err
	}
	// expectOne looks rows up by an id column; this table's key is deal_id,
	// and a registration at version > 1 was read, so no row means a stale write.
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	return market.Errorf(market.ECONFLICT, msgs.ChangedBySomeoneElse, "registration")
}

// ListRegistrations pages registrations newest deal first; the region
// matches a code prefix of either party.
func (t *Tx) ListRegistrations(f market.RegistrationFilter) ([]market.ContractRegistration, error) {
	rows, err := t.query(`SELECT `+registrationColumns+` FROM contract_registrations
		WHERE ($1 = '' OR signed_on >= $1) AND ($2 = '' OR signed_on <= $2) AND ($3 = '' OR state = $3)
		AND ($4 = '' OR contract_type = $4) AND ($5 = '' OR tech_field = $5)
		AND ($6 = '' OR buyer_region LIKE $6 || '%' OR seller_region LIKE $6 || '%')
		AND ($7 = '' OR deal_id < $7)
		ORDER BY deal_id DESC LIMIT $8`,
		f.From, f.To, f.State, f.ContractType, f.TechField, f.Region, f.After, market.ClampLimit(f.Limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.ContractRegistration
	for rows.Next() {
		r, err := scanRegistration(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}
