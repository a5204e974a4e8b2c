package sqlstore

import (
	"techbridge/market"
)

const proposalColumns = `id, scenario_id, org_id, outcome_id, title, summary, price_min, price_max, currency,
	negotiable, status, reason, created_by, created_at, updated_at, version`

func scanProposal(row scanner) (*market.Proposal, error) {
	var p market.Proposal
	err := row.Scan(&p.ID, &p.ScenarioID, &p.OrgID, &p.OutcomeID, &p.Title, &p.Summary, &p.Price.Min, &p.Price.Max,
		&p.Price.Currency, &p.Price.Negotiable, &p.Status, &p.Reason, &p.CreatedBy, &p.CreatedAt, &p.UpdatedAt, &p.Version)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, err
}

// CreateProposal inserts a proposal; ECONFLICT when the same outcome is
// already proposed to the scenario by the organisation.
func (t *Tx) CreateProposal(p *market.Proposal) error {
	_, err := t.exec(`INSERT INTO proposals (`+proposalColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
		$11, $12, $13, $14, $15, $16)`,
		p.ID, p.ScenarioID, p.OrgID, p.OutcomeID, p.Title, p.Summary, p.Price.Min, p.Price.Max, p.Price.Currency,
		p.Price.Negotiable, p.Status, p.Reason, p.CreatedBy, p.CreatedAt.UTC(), p.UpdatedAt.UTC(), p.Version)
	return err
}

// ProposalByID loads a proposal.
func (t *Tx) ProposalByID(id string) (*market.Proposal, error) {
	p, err := scanProposal(t.keyRow(`SELECT `+proposalColumns+` FROM proposals WHERE id = $1`, id))
	return p, notFound(err, "proposal")
}

// UpdateProposal writes p's status and text when the stored version is p.Version-1.
func (t *Tx) UpdateProposal(p *market.Proposal) error {
	res, err := t.exec(`UPDATE proposals SET title = $1, summary = $2, price_min = $3, price_max = $4, currency = $5,
		negotiable = $6, status = $7, reason = $8, updated_at = $9, version = $10
		WHERE id = $11 AND version = $12`,
		p.Title, p.Summary, p.Price.Min, p.Price.Max, p.Price.Currency, p.Price.Negotiable, p.Status, p.Reason,
		p.UpdatedAt.UTC(), p.Version, p.ID, p.Version-1)
	if err != nil {
		return err
	}
	return t.expectOne(res, "proposals", p.ID, "proposal")
}

// ListProposals returns a page, newest first, with the kept total when one
// covers the filter (see market.Page).
func (t *Tx) ListProposals(f market.ProposalFilter) (market.Page[market.Proposal], error) {
	return listPage(t, proposalList(f), scanProposal, func(p *market.Proposal) string { return p.ID })
}

// proposalList is the statement of a proposal list.
func proposalList(f market.ProposalFilter) listQuery {
	w := &where{}
	if f.ScenarioID != "" {
		w.add("scenario_id = ?", f.ScenarioID)
	}
	if f.OrgID != "" {
		w.add("org_id = ?", f.OrgID)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	c := coverage("proposal", one(f.Status), false, map[string][]string{
		"scenario": one(f.ScenarioID), "org": one(f.OrgID)})
	return listQuery{from: "proposals", columns: proposalColumns, idCol: "id", w: w, after: f.After,
		limit: f.Limit, count: c}
}
