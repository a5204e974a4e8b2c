package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"techbridge/market"
)

// markUnavailable wraps a failure of the database itself (unreachable,
// timed out, shutting down, out of space or busy) with
// market.ErrUnavailable, so the API answers 503 with Retry-After instead of
// 500. Errors the caller caused, and the domain's own errors, pass as they
// are; so does a cancellation, which is the caller's doing.
func markUnavailable(err error) error {
	if err == nil || market.ErrorCode(err) != market.EINTERNAL || errors.Is(err, context.Canceled) {
		return err
	}
	if databaseUnavailable(err) {
		return fmt.Errorf("%w: %w", market.ErrUnavailable, err)
	}
	return err
}

func databaseUnavailable(err error) bool {
	var ne net.Error
	var ce *pgconn.ConnectError
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) || errors.As(err, &ce) ||
		pgconn.Timeout(err) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, pgconn.ErrConnClosed) || pgconn.SafeToRetry(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 08: connection exceptions; 53: insufficient resources (disk full,
		// too many connections); 57: operator intervention (shutdown,
		// statement_timeout's query_canceled).
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "53") || strings.HasPrefix(pgErr.Code, "57")
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		switch liteErr.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_INTERRUPT:
			return true
		}
	}
	return false
}
