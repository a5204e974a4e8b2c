package sqlstore

import (
	"techbridge/market"
)

// scenarioTable binds the scenarios table to market.Scenario.
var scenarioTable = newListingTable("scenarios", "scenario", func(cs []col, s *market.Scenario) []col {
	cs = append(metaCols(cs, &s.ListingMeta), []col{{"kind", &s.Kind}, {"title", &s.Title},
		{"description", &s.Description}, {"field", &s.Field}, {"keywords", listCol{&s.Keywords}},
		{"ipc", listCol{&s.IPC}}, {"min_trl", &s.MinTRL}, {"budget_min", &s.Budget.Min}, {"budget_max", &s.Budget.Max},
		{"currency", &s.Budget.Currency}, {"negotiable", &s.Budget.Negotiable}, {"bounty", &s.Bounty},
		{"criteria", &s.Criteria}, {"deadline", optUTCCol{&s.Deadline}}, {"region", &s.Region}}...)
	return bilingualCols(cs, &s.Bilingual)
})

// CreateScenario inserts a scenario.
func (t *Tx) CreateScenario(s *market.Scenario) error { return scenarioTable.insert(t, s) }

// ScenarioByID loads a scenario.
func (t *Tx) ScenarioByID(id string) (*market.Scenario, error) { return scenarioTable.byID(t, id) }

// ScenariosByIDs loads the scenarios with ids; unknown ids are left out.
func (t *Tx) ScenariosByIDs(ids []string) ([]market.Scenario, error) {
	return scenarioTable.byIDs(t, ids)
}

// UpdateScenario writes s when the stored version is s.Version-1.
func (t *Tx) UpdateScenario(s *market.Scenario) error { return scenarioTable.update(t, s) }

// ListScenarios returns a page, newest first, with the kept total when one
// covers the filter (see market.Page).
func (t *Tx) ListScenarios(f market.ScenarioFilter) (market.Page[market.Scenario], error) {
	index, err := t.boundIndex("scenarios", f.Status, priceBounds("scenarios", "budget", f.BudgetMin, f.BudgetMax))
	if err != nil {
		return market.Page[market.Scenario]{}, err
	}
	return scenarioTable.list(t, scenarioList(f, t.dialect, index))
}

// scenarioListColumns are the scenario columns of a list.
var scenarioListColumns = scenarioTable.listColumns("")

// scenarioList is the statement of a scenario list; index is a budget
// bound's index to read through (boundIndex).
func scenarioList(f market.ScenarioFilter, dialect, index string) listQuery {
	w := &where{}
	walk := dialect == SQLite && scenarioOrders[f.Sort] != ""
	if f.Kind != "" {
		col := "kind"
		if walk {
			col = "+kind" // a filter, as the field is (listingConds.walk)
		}
		w.add(col+" = ?", f.Kind)
	}
	commonWhere(w, "", listingConds{org: f.OrgID, status: f.Status, statuses: f.Statuses, field: f.Field,
		trlCol: "min_trl", trlMin: f.TRLMin, trlMax: f.TRLMax, walk: walk, statusWritten: dialect == Postgres})
	from := addBounds(w, "scenarios", "", dialect, f.Status, index, priceBounds("scenarios", "budget", f.BudgetMin, f.BudgetMax))
	if f.Region != "" {
		w.add(`region LIKE ? ESCAPE '\'`, likePrefix(f.Region))
	}
	other := f.BudgetMin > 0 || f.BudgetMax > 0 || f.Region != ""
	c := coverage("scenario", statusList(f.Status, f.Statuses), other, map[string][]string{
		"field": one(f.Field), "kind": one(f.Kind), "trl": trlVals(f.TRLMin, f.TRLMax), "org": one(f.OrgID)})
	return listQuery{from: from, columns: scenarioListColumns.of(dialect), idCol: "id", order: scenarioOrders[f.Sort], w: w, after: f.After,
		offset: f.Offset, limit: f.Limit, count: c,
		valuePlanned: f.TRLMin > 0 || f.TRLMax > 0 || f.BudgetMin > 0 || f.BudgetMax > 0 || f.Region != ""}
}
