package sqlstore

import "techbridge/market"

// OutcomeListSQL, ScenarioListSQL and ProposalListSQL return the one
// statement a list runs, for the plan tests.
func OutcomeListSQL(f market.OutcomeFilter) (string, []any) { return outcomeList(f).build() }

func ScenarioListSQL(f market.ScenarioFilter) (string, []any) { return scenarioList(f).build() }

func ProposalListSQL(f market.ProposalFilter) (string, []any) { return proposalList(f).build() }
