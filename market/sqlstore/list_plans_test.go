package sqlstore_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// listStatements are the statements of every filter the API and the pages
// offer, as the public (published only) and owners (an organisation, any
// status) send them, on a first page and on a later one (by the API's
// cursor, and by the browse pages' offset).
func listStatements(dialect string) map[string]func() (string, []any) {
	pub := market.ListingPublished
	out := map[string]func() (string, []any){}
	outcomes := map[string]market.OutcomeFilter{
		"none":          {Status: pub},
		"field":         {Status: pub, Field: "ai"},
		"trl_min":       {Status: pub, TRLMin: 5},
		"trl range":     {Status: pub, TRLMin: 3, TRLMax: 6},
		"price_min":     {Status: pub, PriceMin: 1000},
		"price_max":     {Status: pub, PriceMax: 5000},
		"region":        {Status: pub, Region: "上海"},
		"field and trl": {Status: pub, Field: "ai", TRLMin: 7},
		"owner":         {OrgID: "org-1"},
		"owner status":  {OrgID: "org-1", Status: market.ListingDraft},
		"pending":       {Status: market.ListingPendingReview},
	}
	for name, f := range outcomes {
		for _, pg := range []struct {
			after  string
			offset int
		}{{"", 0}, {"0190f0f0-0000-7000-8000-000000000000", 0}, {"", 40}} {
			f := f
			f.After, f.Offset, f.Limit = pg.after, pg.offset, 20
			out[fmt.Sprintf("outcomes %s after=%q offset=%d", name, pg.after, pg.offset)] = func() (string, []any) { return sqlstore.OutcomeListSQL(f, dialect, false) }
			if f.Region != "" {
				out[fmt.Sprintf("outcomes %s (broad) after=%q offset=%d", name, pg.after, pg.offset)] = func() (string, []any) { return sqlstore.OutcomeListSQL(f, dialect, true) }
			}
		}
	}
	for name, f := range outcomes {
		for _, sort := range market.OutcomeSorts[1:] {
			for _, offset := range []int{0, 40} {
				f := f
				f.Sort, f.Offset, f.Limit = sort, offset, 20
				out[fmt.Sprintf("outcomes %s sort=%s offset=%d", name, sort, offset)] = func() (string, []any) { return sqlstore.OutcomeListSQL(f, dialect, false) }
			}
		}
	}
	scenarios := map[string]market.ScenarioFilter{
		"none":       {Status: pub},
		"field":      {Status: pub, Field: "ai"},
		"kind":       {Status: pub, Kind: market.ScenarioChallenge},
		"trl_min":    {Status: pub, TRLMin: 5},
		"budget_min": {Status: pub, BudgetMin: 1000},
		"budget_max": {Status: pub, BudgetMax: 5000},
		"region":     {Status: pub, Region: "上海"},
		"owner":      {OrgID: "org-1"},
	}
	for name, f := range scenarios {
		for _, offset := range []int{0, 40} {
			f := f
			f.Offset, f.Limit = offset, 20
			out[fmt.Sprintf("scenarios %s offset=%d", name, offset)] = func() (string, []any) { return sqlstore.ScenarioListSQL(f, dialect) }
		}
	}
	for name, f := range scenarios {
		for _, sort := range market.ScenarioSorts[1:] {
			for _, offset := range []int{0, 40} {
				f := f
				f.Sort, f.Offset, f.Limit = sort, offset, 20
				out[fmt.Sprintf("scenarios %s sort=%s offset=%d", name, sort, offset)] = func() (string, []any) { return sqlstore.ScenarioListSQL(f, dialect) }
			}
		}
	}
	for name, f := range map[string]market.ProposalFilter{
		"scenario": {ScenarioID: "s-1"}, "proposer": {OrgID: "org-1"}, "scenario status": {ScenarioID: "s-1", Status: market.ProposalSubmitted},
	} {
		f := f
		f.Limit = 20
		out["proposals "+name] = func() (string, []any) { return sqlstore.ProposalListSQL(f) }
	}
	return out
}

// Plans that read every matching row: a scan of a listings table, or a sort
// of all matches before the limit (an index read in id order stops at it).
var (
	sqliteFullRead   = regexp.MustCompile(`^(SCAN (o|g|outcomes|scenarios|proposals|organizations)\b|USE TEMP B-TREE FOR ORDER BY)`)
	postgresFullRead = regexp.MustCompile(`Seq Scan on (outcomes|scenarios|proposals|organizations)\b|\bSort\b`)
	// An owner's sorted list (an organisation's listings of every status)
	// reads them by org_id and sorts them: no (org_id, key) index is kept
	// per sort, so the plan is held to not scanning the table.
	fullScan = map[string]*regexp.Regexp{
		sqlstore.SQLite:   regexp.MustCompile(`^SCAN (o|outcomes|scenarios)\b`),
		sqlstore.Postgres: regexp.MustCompile(`Seq Scan on (outcomes|scenarios)\b`),
	}
)

// TestListPlansUseIndexes runs EXPLAIN (SQLite: EXPLAIN QUERY PLAN; on
// PostgreSQL with sequential scans priced out, so a missing index shows as
// one) for every list filter and fails on a plan that reads every match.
func TestListPlansUseIndexes(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		for name, stmt := range listStatements(db.Dialect()) {
			query, args := stmt()
			var plan []string
			switch db.Dialect() {
			case sqlstore.SQLite:
				plan = sqlitePlan(t, db, query, args)
			case sqlstore.Postgres:
				plan = postgresPlan(t, db, query, args)
			}
			re := sqliteFullRead
			if db.Dialect() == sqlstore.Postgres {
				re = postgresFullRead
			}
			if strings.HasPrefix(name, "outcomes owner sort=") || strings.HasPrefix(name, "scenarios owner sort=") {
				re = fullScan[db.Dialect()] // one organisation's listings, read by org_id and sorted
			}
			for _, step := range plan {
				if re.MatchString(step) {
					t.Errorf("%s reads every match (%s):\n  %s\n  %s", name, step, query, strings.Join(plan, "\n  "))
					break
				}
			}
		}
	})
}

// sqlitePlan returns the steps of SQLite's EXPLAIN QUERY PLAN of query.
func sqlitePlan(t *testing.T, db *sqlstore.DB, query string, args []any) []string {
	t.Helper()
	rows, err := db.DB().Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return plan
}

// postgresPlan returns the lines of PostgreSQL's EXPLAIN of query, with
// sequential scans priced out, so a missing index shows as one.
func postgresPlan(t *testing.T, db *sqlstore.DB, query string, args []any) []string {
	t.Helper()
	ctx := context.Background()
	tx, err := db.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	rows, err := tx.QueryContext(ctx, "EXPLAIN "+query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, strings.TrimSpace(line))
	}
	return plan
}
