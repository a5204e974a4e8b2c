package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"techbridge/market/msgs"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"techbridge/market"
)

// Tx is a market.Tx over one database/sql transaction, or, for Read, over
// the pool itself (tx nil): each statement then runs on its own.
type Tx struct {
	ctx     context.Context
	tx      *sql.Tx
	pool    *sql.DB
	stmts   *stmtCache // SQLite: statements prepared once per connection; nil on PostgreSQL
	dialect string
	keys    *keyBatchers // Read: concurrent reads by key are batched (key_batch.go); nil in a transaction
}

var _ market.Tx = (*Tx)(nil)

// querier is what a transaction and the pool have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// on returns where query runs: its cached prepared statement (bound to the
// transaction when there is one), else the transaction or the pool.
func (t *Tx) on(query string, nargs int) querier {
	if st := t.stmts.get(t.ctx, query, nargs, t.tx == nil); st != nil {
		if t.tx != nil {
			return stmtQuerier{t.tx.StmtContext(t.ctx, st)}
		}
		return stmtQuerier{st}
	}
	if t.tx != nil {
		return t.tx
	}
	return t.pool
}

func (t *Tx) exec(query string, args ...any) (sql.Result, error) {
	res, err := t.on(query, len(args)).ExecContext(t.ctx, query, args...)
	return res, mapErr(err)
}

func (t *Tx) query(query string, args ...any) (*sql.Rows, error) {
	rows, err := t.on(query, len(args)).QueryContext(t.ctx, query, args...)
	return rows, mapErr(err)
}

func (t *Tx) queryRow(query string, args ...any) *sql.Row {
	return t.on(query, len(args)).QueryRowContext(t.ctx, query, args...)
}

// scanner is what a one-row read returns (a *sql.Row, *sql.Rows, or a read
// that did not run) and what every scan function reads.
type scanner interface{ Scan(...any) error }

// keyRow reads one row by its primary or unique key. Outside a transaction
// on SQLite the statement does not watch the request's context: a key
// lookup in a local file takes microseconds, and watching costs two
// goroutines per statement (database/sql's and the driver's), a fifth of
// the read's CPU (BenchmarkOutcomeByID). A context already done still stops
// it. PostgreSQL reads cross a network, so they keep watching.
func (t *Tx) keyRow(query string, args ...any) scanner {
	if t.tx != nil || t.dialect != SQLite {
		return t.queryRow(query, args...)
	}
	if err := t.ctx.Err(); err != nil {
		return errRow{err}
	}
	return t.on(query, len(args)).QueryRowContext(context.WithoutCancel(t.ctx), query, args...)
}

// errRow is a read that did not run.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// mapErr turns driver errors into market errors: uniqueness violations are
// ECONFLICT, matched by SQLSTATE or SQLite extended code, never by text.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505":
			return market.Errorf(market.ECONFLICT, msgs.AlreadyExists)
		case "40001", "40P01":
			return market.Errorf(market.ECONFLICT, msgs.ConcurrentUpdate)
		}
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return market.Errorf(market.ECONFLICT, msgs.AlreadyExists)
		}
	}
	return err
}

// notFound converts sql.ErrNoRows into ENOTFOUND naming what was missing.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return market.Errorf(market.ENOTFOUND, msgs.NotFoundWhat, what)
	}
	return mapErr(err)
}

// expectOne checks that an update touched one row; otherwise the object is
// missing (ENOTFOUND) or was changed by someone else (ECONFLICT).
func (t *Tx) expectOne(res sql.Result, table, id, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	var one int
	err = t.queryRow(fmt.Sprintf("SELECT 1 FROM %s WHERE id = $1", table), id).Scan(&one)
	if err != nil {
		return notFound(err, what)
	}
	return market.Errorf(market.ECONFLICT, msgs.ChangedBySomeoneElse, what)
}

// optTime maps a nil time to SQL NULL; times are always written in UTC.
func optTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// timePtr returns a pointer for a scanned nullable time.
func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}
