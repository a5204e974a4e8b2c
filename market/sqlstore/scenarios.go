package sqlstore

import (
	"database/sql"

	"techbridge/market"
)

const scenarioColumns = `id, org_id, kind, title, description, field, keywords, ipc, min_trl, budget_min, budget_max,
	currency, negotiable, bounty, criteria, deadline, region, status, reject_reason, created_by, created_at,
	updated_at, published_at, version, languages, title_alt, summary_alt`

func scanScenario(row interface{ Scan(...any) error }) (*market.Scenario, error) {
	var s market.Scenario
	var keywords, ipc, langs string
	var deadline, published sql.NullTime
	err := row.Scan(&s.ID, &s.OrgID, &s.Kind, &s.Title, &s.Description, &s.Field, &keywords, &ipc, &s.MinTRL,
		&s.Budget.Min, &s.Budget.Max, &s.Budget.Currency, &s.Budget.Negotiable, &s.Bounty, &s.Criteria, &deadline,
		&s.Region, &s.Status, &s.RejectReason, &s.CreatedBy, &s.CreatedAt, &s.UpdatedAt, &published, &s.Version,
		&langs, &s.TitleAlt, &s.SummaryAlt)
	if err != nil {
		return nil, err
	}
	if s.Keywords, err = listJSON(keywords); err != nil {
		return nil, err
	}
	if s.IPC, err = listJSON(ipc); err != nil {
		return nil, err
	}
	if s.Languages, err = listJSON(langs); err != nil {
		return nil, err
	}
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	s.Deadline, s.PublishedAt = timePtr(deadline), timePtr(published)
	return &s, nil
}

// CreateScenario inserts a scenario.
func (t *Tx) CreateScenario(s *market.Scenario) error {
	_, err := t.exec(`INSERT INTO scenarios (`+scenarioColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
		$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)`,
		s.ID, s.OrgID, s.Kind, s.Title, s.Description, s.Field, jsonList(s.Keywords), jsonList(s.IPC), s.MinTRL,
		s.Budget.Min, s.Budget.Max, s.Budget.Currency, s.Budget.Negotiable, s.Bounty, s.Criteria, optTime(s.Deadline),
		s.Region, s.Status, s.RejectReason, s.CreatedBy, s.CreatedAt.UTC(), s.UpdatedAt.UTC(), optTime(s.PublishedAt), s.Version,
		jsonList(s.Languages), s.TitleAlt, s.SummaryAlt)
	return err
}

// ScenarioByID loads a scenario.
func (t *Tx) ScenarioByID(id string) (*market.Scenario, error) {
	s, err := scanScenario(t.queryRow(`SELECT `+scenarioColumns+` FROM scenarios WHERE id = $1`, id))
	return s, notFound(err, "scenario")
}

// ScenariosByIDs loads the scenarios with ids; unknown ids are left out.
func (t *Tx) ScenariosByIDs(ids []string) ([]market.Scenario, error) {
	return byIDs(t, "scenarios", scenarioColumns, ids, scanScenario)
}

// UpdateScenario writes s when the stored version is s.Version-1.
func (t *Tx) UpdateScenario(s *market.Scenario) error {
	res, err := t.exec(`UPDATE scenarios SET kind = $1, title = $2, description = $3, field = $4, keywords = $5,
		ipc = $6, min_trl = $7, budget_min = $8, budget_max = $9, currency = $10, negotiable = $11, bounty = $12,
		criteria = $13, deadline = $14, region = $15, status = $16, reject_reason = $17, updated_at = $18,
		published_at = $19, version = $20, languages = $23, title_alt = $24, summary_alt = $25
		WHERE id = $21 AND version = $22`,
		s.Kind, s.Title, s.Description, s.Field, jsonList(s.Keywords), jsonList(s.IPC), s.MinTRL, s.Budget.Min,
		s.Budget.Max, s.Budget.Currency, s.Budget.Negotiable, s.Bounty, s.Criteria, optTime(s.Deadline), s.Region,
		s.Status, s.RejectReason, s.UpdatedAt.UTC(), optTime(s.PublishedAt), s.Version, s.ID, s.Version-1,
		jsonList(s.Languages), s.TitleAlt, s.SummaryAlt)
	if err != nil {
		return err
	}
	return t.expectOne(res, "scenarios", s.ID, "scenario")
}

// ListScenarios returns a page, newest first, with the kept total when one
// covers the filter (see market.Page).
func (t *Tx) ListScenarios(f market.ScenarioFilter) (market.Page[market.Scenario], error) {
	index, err := t.boundIndex("scenarios", f.Status, priceBounds("scenarios", "budget", f.BudgetMin, f.BudgetMax))
	if err != nil {
		return market.Page[market.Scenario]{}, err
	}
	return listPage(t, scenarioList(f, t.dialect, index), scanScenario, func(s *market.Scenario) string { return s.ID })
}

// scenarioList is the statement of a scenario list; index is a budget
// bound's index to read through (boundIndex).
func scenarioList(f market.ScenarioFilter, dialect, index string) listQuery {
	w := &where{}
	if f.OrgID != "" {
		w.add("org_id = ?", f.OrgID)
	}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	w.in("status", f.Statuses)
	if f.Field != "" {
		w.add("field = ?", f.Field)
	}
	if f.TRLMin > 0 {
		w.add("min_trl >= ?", f.TRLMin)
	}
	if f.TRLMax > 0 {
		w.add("min_trl <= ?", f.TRLMax)
	}
	from := addBounds(w, "scenarios", "", dialect, f.Status, index, priceBounds("scenarios", "budget", f.BudgetMin, f.BudgetMax))
	if f.Region != "" {
		w.add(`region LIKE ? ESCAPE '\'`, likePrefix(f.Region))
	}
	other := f.BudgetMin > 0 || f.BudgetMax > 0 || f.Region != ""
	c := coverage("scenario", statusList(f.Status, f.Statuses), other, map[string][]string{
		"field": one(f.Field), "kind": one(f.Kind), "trl": trlVals(f.TRLMin, f.TRLMax), "org": one(f.OrgID)})
	return listQuery{from: from, columns: scenarioColumns, idCol: "id", w: w, after: f.After,
		limit: f.Limit, count: c}
}
