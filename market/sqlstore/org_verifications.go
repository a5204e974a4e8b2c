package sqlstore

import "techbridge/market"

// AddOrgVerification appends a decision to an organisation's history.
func (t *Tx) AddOrgVerification(v *market.OrgVerification) error {
	_, err := t.exec(`INSERT INTO org_verifications (id, org_id, decision, reason, decided_by, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, v.ID, v.OrgID, v.Decision, v.Reason, v.DecidedBy, v.DecidedAt.UTC())
	return err
}

// OrgVerifications lists an organisation's decisions, oldest first.
func (t *Tx) OrgVerifications(orgID string) ([]market.OrgVerification, error) {
	rows, err := t.query(`SELECT id, org_id, decision, reason, decided_by, decided_at FROM org_verifications
		WHERE org_id = $1 ORDER BY decided_at, id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.OrgVerification
	for rows.Next() {
		var v market.OrgVerification
		if err := rows.Scan(&v.ID, &v.OrgID, &v.Decision, &v.Reason, &v.DecidedBy, &v.DecidedAt); err != nil {
			return nil, err
		}
		v.DecidedAt = v.DecidedAt.UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}
