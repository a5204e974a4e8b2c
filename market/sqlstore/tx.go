package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"techbridge/market"
)

// Tx is a market.Tx over one database/sql transaction.
type Tx struct {
	ctx     context.Context
	tx      *sql.Tx
	dialect string
}

var _ market.Tx = (*Tx)(nil)

func (t *Tx) exec(query string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(t.ctx, query, args...)
	return res, mapErr(err)
}

func (t *Tx) query(query string, args ...any) (*sql.Rows, error) {
	rows, err := t.tx.QueryContext(t.ctx, query, args...)
	return rows, mapErr(err)
}

func (t *Tx) queryRow(query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(t.ctx, query, args...)
}

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
			return &market.Error{Code: market.ECONFLICT, Message: "already exists"}
		case "40001", "40P01":
			return &market.Error{Code: market.ECONFLICT, Message: "concurrent update; retry"}
		}
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &market.Error{Code: market.ECONFLICT, Message: "already exists"}
		}
	}
	return err
}

// notFound converts sql.ErrNoRows into ENOTFOUND naming what was missing.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return &market.Error{Code: market.ENOTFOUND, Message: what + " not found"}
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
	return &market.Error{Code: market.ECONFLICT, Message: what + " was changed by someone else; reload and try again"}
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
