package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps SQLite statements prepared: parsing and planning a
// statement costs about as much as running a one-row read, and modernc's
// driver prepares afresh on every call. A *sql.Stmt is prepared once per
// connection of its pool and reused from then on; a transaction borrows it
// with Tx.StmtContext, which reuses the connection's prepared copy.
// PostgreSQL needs none: pgx caches prepared statements per connection.
type stmtCache struct {
	pool *sql.DB
	mu   sync.RWMutex
	m    map[string]*sql.Stmt
}

// Bounds: the cache keeps the store's fixed statements and the filter
// combinations of lists; statements with long IN lists (byIDs) vary in
// length and are run unprepared.
const (
	maxCachedStmts    = 512
	maxCachedStmtArgs = 32
)

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: map[string]*sql.Stmt{}}
}

// get returns query's prepared statement, preparing it on first use when
// prepare is set; nil (run it unprepared) when the cache is nil or full, or
// preparing fails. A transaction passes prepare false: preparing on the
// pool would wait for a second connection while it holds one.
func (c *stmtCache) get(ctx context.Context, query string, nargs int, prepare bool) *sql.Stmt {
	if c == nil || nargs > maxCachedStmtArgs {
		return nil
	}
	c.mu.RLock()
	st := c.m[query]
	c.mu.RUnlock()
	if st != nil {
		return st
	}
	if !prepare {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st = c.m[query]; st != nil || len(c.m) >= maxCachedStmts {
		return st
	}
	st, err := c.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil // the unprepared run reports the error
	}
	c.m[query] = st
	return st
}

// close closes every cached statement.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}

// stmtQuerier runs a prepared statement as a querier; the query text it is
// given is the statement's own.
type stmtQuerier struct{ st *sql.Stmt }

func (s stmtQuerier) ExecContext(ctx context.Context, _ string, args ...any) (sql.Result, error) {
	return s.st.ExecContext(ctx, args...)
}

func (s stmtQuerier) QueryContext(ctx context.Context, _ string, args ...any) (*sql.Rows, error) {
	return s.st.QueryContext(ctx, args...)
}

func (s stmtQuerier) QueryRowContext(ctx context.Context, _ string, args ...any) *sql.Row {
	return s.st.QueryRowContext(ctx, args...)
}
