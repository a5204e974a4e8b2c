package sqlstore

import (
	"techbridge/market"
)

const milestoneColumns = `id, deal_id, seq, title, deliverable, due, amount, currency, state, funded, refunded,
	delivery_note, changes_note, dispute_note, disputed_from, version, created_at, updated_at`

func scanMilestone(row scanner) (*market.Milestone, error) {
	var m market.Milestone
	err := row.Scan(&m.ID, &m.DealID, &m.Seq, &m.Title, &m.Deliverable, &m.Due, &m.Amount, &m.Currency, &m.State,
		&m.Funded, &m.Refunded, &m.DeliveryNote, &m.ChangesNote, &m.DisputeNote, &m.DisputedFrom, &m.Version,
		&m.CreatedAt, &m.UpdatedAt)
	m.Due, m.CreatedAt, m.UpdatedAt = m.Due.UTC(), m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return &m, err
}

// CreateMilestone inserts a milestone; ECONFLICT on a duplicate (deal, seq).
func (t *Tx) CreateMilestone(m *market.Milestone) error {
	_, err := t.exec(`INSERT INTO milestones (`+milestoneColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
		$10, $11, $12, $13, $14, $15, $16, $17, $18)`,
		m.ID, m.DealID, m.Seq, m.Title, m.Deliverable, m.Due.UTC(), m.Amount, m.Currency, m.State, m.Funded, m.Refunded,
		m.DeliveryNote, m.ChangesNote, m.DisputeNote, m.DisputedFrom, m.Version, m.CreatedAt.UTC(), m.UpdatedAt.UTC())
	return err
}

// MilestoneByID loads a milestone.
func (t *Tx) MilestoneByID(id string) (*market.Milestone, error) {
	m, err := scanMilestone(t.keyRow(`SELECT `+milestoneColumns+` FROM milestones WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "milestone")
	}
	return m, nil
}

// DealMilestones returns a deal's milestones in contract order.
func (t *Tx) DealMilestones(dealID string) ([]market.Milestone, error) {
	rows, err := t.query(`SELECT `+milestoneColumns+` FROM milestones WHERE deal_id = $1 ORDER BY seq`, dealID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.Milestone
	for rows.Next() {
		m, err := scanMilestone(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// UpdateMilestone writes the mutable fields when the stored version is
// m.Version-1; the deal, order, terms and creation time never change.
func (t *Tx) UpdateMilestone(m *market.Milestone) error {
	res, err := t.exec(`UPDATE milestones SET state = $1, funded = $2, refunded = $3, delivery_note = $4,
		changes_note = $5, dispute_note = $6, disputed_from = $7, version = $8, updated_at = $9
		WHERE id = $10 AND version = $11`,
		m.State, m.Funded, m.Refunded, m.DeliveryNote, m.ChangesNote, m.DisputeNote, m.DisputedFrom, m.Version,
		m.UpdatedAt.UTC(), m.ID, m.Version-1)
	if err != nil {
		return err
	}
	return t.expectOne(res, "milestones", m.ID, "milestone")
}
