package sqlstore

import (
	"context"

	"techbridge/market"
)

// OutcomeListSQL, ScenarioListSQL and ProposalListSQL return the one
// statement a list runs, for the plan tests.
// A region stands for two of its organisations, or for more than can be
// named when broad is set.
func OutcomeListSQL(f market.OutcomeFilter, dialect string, broad bool) (string, []any) {
	var orgs []string
	if f.Region != "" {
		orgs = []string{"org-1", "org-2"}
		for broad && len(orgs) <= maxRegionOrgs {
			orgs = append(orgs, "org-x")
		}
	}
	return outcomeList(f, orgs, dialect, "").build(dialect)
}

// OutcomeListThroughSQL is the statement of an outcome list read through
// the given price bound's index, as a SQLite list matching few prices is.
func OutcomeListThroughSQL(f market.OutcomeFilter, dialect, index string) (string, []any) {
	return outcomeList(f, nil, dialect, index).build(dialect)
}

func ScenarioListSQL(f market.ScenarioFilter, dialect string) (string, []any) {
	return scenarioList(f, dialect, "").build(dialect)
}

// BoundIndex is the index a list of status with price bounds min and max
// reads through ("" = in id order).
func BoundIndex(ctx context.Context, db *DB, status string, min, max int64) (string, error) {
	var index string
	err := db.Read(ctx, func(tx market.Tx) (err error) {
		index, err = tx.(*Tx).boundIndex("outcomes", status, priceBounds("outcomes", "price", min, max))
		return err
	})
	return index, err
}

// SparseBound is the probe's bound (boundIndex).
const SparseBound = sparseBound

func ProposalListSQL(f market.ProposalFilter, dialect string) (string, []any) {
	return proposalList(f).build(dialect)
}

// PreparedStatements counts the statements the read pool keeps prepared.
func PreparedStatements(db *DB) int {
	db.stmts.mu.RLock()
	defer db.stmts.mu.RUnlock()
	return len(db.stmts.m)
}

// OpenThrough opens the store through the registered database/sql driver
// named driver, which wraps the engine's own.
func OpenThrough(ctx context.Context, databaseURL, dataDir, driver string) (*DB, error) {
	return OpenWith(ctx, databaseURL, dataDir, Options{driver: driver})
}

// ReaderPragma reads a PRAGMA's value on a connection of the read pool.
func ReaderPragma(ctx context.Context, db *DB, name string) (int64, error) {
	var v int64
	err := db.read.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v)
	return v, err
}
