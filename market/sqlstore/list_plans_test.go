package sqlstore_test

import (
	"context"
	"database/sql"
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
		out["proposals "+name] = func() (string, []any) { return sqlstore.ProposalListSQL(f, dialect) }
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
				// The plan cache may keep a generic plan (build writes the
				// limit in), which must not read every match either.
				plan = append(plan, postgresGenericPlan(t, db, query, args)...)
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
	return explainLines(t, tx, "EXPLAIN "+query, args...)
}

// postgresGenericPlan returns the lines of the generic plan PostgreSQL's
// plan cache would keep for query (planned without its arguments' values),
// with sequential scans priced out.
func postgresGenericPlan(t *testing.T, db *sqlstore.DB, query string, args []any) []string {
	t.Helper()
	ctx := context.Background()
	tx, err := db.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, stmt := range []string{"SET LOCAL enable_seqscan = off", "SET LOCAL plan_cache_mode = force_generic_plan", "PREPARE tb_generic AS " + query} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	defer tx.ExecContext(ctx, "DEALLOCATE tb_generic") // a prepared statement outlives a rollback
	return append([]string{"(generic plan)"}, explainLines(t, tx, "EXPLAIN "+execute("tb_generic", args))...)
}

// querier runs EXPLAIN: a transaction or a pinned connection.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// explainLines runs an EXPLAIN statement and returns its lines, trimmed.
func explainLines(t *testing.T, q querier, explain string, args ...any) []string {
	t.Helper()
	rows, err := q.QueryContext(context.Background(), explain, args...)
	if err != nil {
		t.Fatalf("%s: %v", explain, err)
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

// execute is an EXECUTE of the prepared statement name with args written as
// SQL string literals (PostgreSQL coerces each to its parameter's type).
func execute(name string, args []any) string {
	if len(args) == 0 {
		return "EXECUTE " + name
	}
	literals := make([]string, len(args))
	for i, a := range args {
		literals[i] = "'" + strings.ReplaceAll(fmt.Sprint(a), "'", "''") + "'"
	}
	return "EXECUTE " + name + "(" + strings.Join(literals, ", ") + ")"
}

// TestListStatementsKeepAGenericPlan: on PostgreSQL a list's statement,
// run again and again on one connection as pgx runs it (prepared once,
// cached), is planned a few times and then run from the plan cache's
// generic plan, unless its best plan depends on its values (a price or TRL
// range, a region), which is planned for every page. With the limit a
// parameter, no list kept a generic plan: every page was planned afresh;
// with it written into every list, a rare price after common ones walked
// every listing in id order by the generic plan kept for the common ones.
func TestListStatementsKeepAGenericPlan(t *testing.T) {
	db := sqltest.MustOpenPostgres(t)
	ctx := context.Background()
	org := listingOrg(t, db, 54, market.OrgUniversity, "上海市")
	if err := update(t, db, func(tx market.Tx) error { return tx.CreateOutcome(sampleOutcome(org, "GP-0")) }); err != nil {
		t.Fatal(err)
	}
	// 6,000 copies of it, enough that a tenth of the table outprices a
	// page (with 2,000 even a tenth was cheap enough to keep).
	var cols []string
	rows, err := db.DB().QueryContext(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'outcomes' AND is_generated = 'NEVER' ORDER BY ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	rows.Close()
	from := make([]string, len(cols))
	for i, c := range cols {
		switch c {
		case "id":
			from[i] = "o.id || '-' || g"
		case "external_id":
			from[i] = "'GP-' || g"
		case "price_min", "price_max": // prices and TRLs of every kind, so a generic plan can be chosen for them
			from[i] = "g * 1000"
		case "trl":
			from[i] = "1 + g % 9"
		default:
			from[i] = "o." + c
		}
	}
	if _, err := db.DB().ExecContext(ctx, `INSERT INTO outcomes (`+strings.Join(cols, ", ")+`) SELECT `+strings.Join(from, ", ")+
		` FROM outcomes o, generate_series(1, 6000) g WHERE o.external_id = 'GP-0'`); err != nil {
		t.Fatal(err)
	}
	// A review queue: 30 pending among 6,001 published.
	if _, err := db.DB().ExecContext(ctx, `UPDATE outcomes SET status = 'pending_review' WHERE id IN (SELECT id FROM outcomes ORDER BY id LIMIT 30)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.DB().ExecContext(ctx, "ANALYZE outcomes"); err != nil {
		t.Fatal(err)
	}
	conn, err := db.DB().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	run := func(q string, args []any) { // as pgx runs it: prepared once on conn, cached
		t.Helper()
		rows, err := conn.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		rows.Close()
	}
	pub := market.ListingPublished
	for _, c := range []struct {
		name    string
		filter  market.OutcomeFilter
		generic bool
	}{
		{"first pages", market.OutcomeFilter{Status: pub}, true},
		{"a field", market.OutcomeFilter{Status: pub, Field: "energy_storage"}, true},
		{"an owner", market.OutcomeFilter{OrgID: org}, true},
		{"a price", market.OutcomeFilter{Status: pub, PriceMin: 1000}, false},
		{"a TRL range", market.OutcomeFilter{Status: pub, TRLMin: 2, TRLMax: 8}, false},
	} {
		var query string
		for i := range 12 {
			f := c.filter
			f.After, f.Limit = fmt.Sprintf("z%03d", 999-i), 20
			if f.PriceMin > 0 { // other values each time, all common
				f.PriceMin *= int64(i + 1)
			}
			if f.TRLMin > 0 {
				f.TRLMin = 1 + i%3
			}
			q, args := sqlstore.OutcomeListSQL(f, sqlstore.Postgres, false)
			query = q
			run(q, args)
		}
		var generic, custom int64
		err = conn.QueryRowContext(ctx, `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1`, query).Scan(&generic, &custom)
		if err != nil {
			t.Fatalf("%s: the list statement is not among the connection's prepared statements: %v", c.name, err)
		}
		if c.generic && (generic == 0 || custom > 5) {
			t.Errorf("%s: 12 runs, %d generic and %d custom plans; want the generic plan kept after the first runs", c.name, generic, custom)
		}
		// Whether PostgreSQL would keep a generic plan for these depends on
		// the data (with the bench's 20,000 listings it kept one after
		// eight common prices, and a rare price then took 5–39 ms against
		// 0.1 ms planned for its value); what keeps it from one is the
		// limit left a parameter.
		if !c.generic && (generic != 0 || !regexp.MustCompile(`LIMIT \$\d+$`).MatchString(query)) {
			t.Errorf("%s: 12 runs, %d generic and %d custom plans, statement ending %q; want each planned for its values",
				c.name, generic, custom, query[max(0, len(query)-40):])
		}
	}
	// The review queue after the public pages (which keep a generic plan
	// for published pages): its pending listings are read through the
	// status index, not by walking the published ones in id order.
	pending := market.OutcomeFilter{Status: market.ListingPendingReview, After: "z999", Limit: 20}
	q, args := sqlstore.OutcomeListSQL(pending, sqlstore.Postgres, false)
	published := pending
	published.Status = pub
	if shared, _ := sqlstore.OutcomeListSQL(published, sqlstore.Postgres, false); shared == q {
		// Whether PostgreSQL keeps the published pages' generic plan with
		// the status a parameter depends on the data: with 19,970 published
		// and 30 pending at 20k it did, and the queue's page took 11 ms.
		t.Errorf("the review queue shares the public pages' statement, and so the plan kept for them: %s", q)
	}
	for range 8 {
		run(q, args)
	}
	var name string
	if err := conn.QueryRowContext(ctx, `SELECT name FROM pg_prepared_statements WHERE statement = $1`, q).Scan(&name); err != nil {
		t.Fatalf("the pending list's statement is not prepared: %v", err)
	}
	plan := explainLines(t, conn, "EXPLAIN (ANALYZE, COSTS OFF) "+execute(`"`+name+`"`, args))
	for _, line := range plan {
		var removed int
		if _, err := fmt.Sscanf(line, "Rows Removed by Filter: %d", &removed); err == nil && removed > 100 {
			t.Errorf("the review queue after the public pages passes over %d listings:\n  %s", removed, strings.Join(plan, "\n  "))
		}
	}
}
