package sqlstore

import "techbridge/market"

// OutcomeListSQL, ScenarioListSQL and ProposalListSQL return the one
// statement a list runs, for the plan tests.
func OutcomeListSQL(f market.OutcomeFilter) (string, []any) { return outcomeList(f).build() }

func ScenarioListSQL(f market.ScenarioFilter) (string, []any) { return scenarioList(f).build() }

func ProposalListSQL(f market.ProposalFilter) (string, []any) { return proposalList(f).build() }

// PreparedStatements counts the statements the read pool keeps prepared.
func PreparedStatements(db *DB) int {
	db.stmts.mu.RLock()
	defer db.stmts.mu.RUnlock()
	return len(db.stmts.m)
}
