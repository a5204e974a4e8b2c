// Package sqlstore implements market.Store over database/sql for SQLite
// (modernc.org/sqlite, the embedded default) and PostgreSQL (pgx). Both run
// the same SQL: $n placeholders, explicit column lists, portable types.
package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers "sqlite"

	"techbridge/market"
	"techbridge/migrations"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is a market.Store.
type DB struct {
	dialect string
	write   *sql.DB // SQLite: one connection, BEGIN IMMEDIATE; Postgres: the pool
	read    *sql.DB // SQLite: a pool of readers (WAL lets them run beside the writer)
	stmts   *stmtCache
	keys    *keyBatchers
	dsn     string
}

// Options tune the connection pools; zero values get defaults.
type Options struct {
	// MaxConns bounds the PostgreSQL pool (default 16) and the SQLite
	// readers (default 4). Every connection is kept once opened (idle =
	// open), so a busy minute opens no new sessions.
	MaxConns int
	// ConnMaxLifetime recycles PostgreSQL connections (default 30 min), so
	// a fail-over or a pooler's rebalancing reaches every instance.
	ConnMaxLifetime time.Duration
	// driver names a registered database/sql driver that wraps the engine's
	// own ("sqlite", "pgx"); tests count statements through one.
	driver string
}

var _ market.Store = (*DB)(nil)

// Open connects to databaseURL ("postgres://…"), or, when it is empty, to
// the SQLite file techbridge.db in dataDir; it does not migrate.
func Open(ctx context.Context, databaseURL, dataDir string) (*DB, error) {
	return OpenWith(ctx, databaseURL, dataDir, Options{})
}

// OpenWith is Open with pool options.
func OpenWith(ctx context.Context, databaseURL, dataDir string, opt Options) (*DB, error) {
	if strings.HasPrefix(databaseURL, "postgres://") || strings.HasPrefix(databaseURL, "postgresql://") {
		pool, err := sql.Open(cmp.Or(opt.driver, "pgx"), databaseURL)
		if err != nil {
			return nil, err
		}
		conns := cmp.Or(opt.MaxConns, 16)
		pool.SetMaxOpenConns(conns)
		pool.SetMaxIdleConns(conns) // the default keeps 2: a busy pool would reconnect all the time
		pool.SetConnMaxLifetime(cmp.Or(opt.ConnMaxLifetime, 30*time.Minute))
		db := &DB{dialect: Postgres, write: pool, read: pool, dsn: databaseURL, keys: &keyBatchers{keyBatching: keyBatching{maxRunning: pgKeyBatchRunning, maxBatch: maxKeyBatch, watch: true, gather: runtime.Gosched}}}
		if err := db.Ping(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("postgres: %w", err)
		}
		return db, nil
	}
	if databaseURL != "" {
		return nil, fmt.Errorf("unsupported database URL %q: want postgres://… or empty for SQLite", redact(databaseURL))
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, err
	}
	return openSQLite(ctx, filepath.Join(dataDir, "techbridge.db"), cmp.Or(opt.MaxConns, 4), cmp.Or(opt.driver, "sqlite"))
}

// The SQLite readers' memory map and page cache (per connection).
const (
	readerMmapSize = 256 << 20
	readerCacheKiB = 16 << 10
)

func openSQLite(ctx context.Context, path string, readers int, driver string) (*DB, error) {
	// _time_format=sqlite stores times in a form read back as time.Time;
	// _txlock=immediate takes the write lock at BEGIN, avoiding SQLITE_BUSY
	// on lock upgrades.
	params := "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	write, err := sql.Open(driver, "file:"+path+"?"+params+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1) // SQLite has one writer; queueing here beats busy retries
	// Readers map the file (mmap_size) and keep a larger page cache: a
	// random detail read at 100k listings otherwise copies each page it
	// touches from the OS into the small default cache (2 MB) through a
	// read call, evicting another.
	read, err := sql.Open(driver, "file:"+path+"?"+params+"&_pragma=query_only(1)"+
		"&_pragma=mmap_size("+strconv.Itoa(readerMmapSize)+")&_pragma=cache_size(-"+strconv.Itoa(readerCacheKiB)+")")
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	db := &DB{dialect: SQLite, write: write, read: read, stmts: newStmtCache(read), dsn: path, keys: &keyBatchers{keyBatching: keyBatching{maxRunning: liteKeyBatchRunning, maxBatch: maxCachedStmtArgs, gather: runtime.Gosched}}}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	return db, nil
}

// Migrate applies every pending migration, each in its own transaction;
// on PostgreSQL an advisory lock keeps concurrent instances from racing.
func (db *DB) Migrate(ctx context.Context) error {
	dialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithExcludeNames(migrations.ExcludedFor(db.dialect))}
	if db.dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.write, migrations.FS(), opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	results, err := p.Up(ctx)
	for _, r := range results {
		slog.Debug("migrated", "version", r.Source.Version, "file", r.Source.Path)
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Dialect returns SQLite or Postgres.
func (db *DB) Dialect() string { return db.dialect }

// Ping checks both pools.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return markUnavailable(err)
	}
	return markUnavailable(db.read.PingContext(ctx))
}

// Close closes the pools.
func (db *DB) Close() error {
	db.stmts.close()
	err := db.write.Close()
	if db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Update runs fn in a read-write transaction.
func (db *DB) Update(ctx context.Context, fn func(market.Tx) error) error {
	return markUnavailable(db.run(ctx, db.write, false, fn))
}

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, fn func(market.Tx) error) error {
	return markUnavailable(db.run(ctx, db.read, true, fn))
}

// Read runs fn on the read pool without a transaction: no BEGIN and COMMIT
// (two more round trips on PostgreSQL, two more statements on SQLite), and
// on SQLite each statement runs prepared once per connection.
func (db *DB) Read(ctx context.Context, fn func(market.Tx) error) error {
	return markUnavailable(fn(&Tx{ctx: ctx, pool: db.read, stmts: db.stmts, dialect: db.dialect, keys: db.keys}))
}

// RefreshListingStats refreshes the planner's statistics of the listing
// tables (market.StatsRefresher) on PostgreSQL. SQLite's list plans are
// chosen by index shape alone and were checked without statistics
// (TestListPlansUseIndexes), so it does nothing there.
func (db *DB) RefreshListingStats(ctx context.Context) error {
	if db.dialect != Postgres {
		return nil
	}
	_, err := db.write.ExecContext(ctx, `ANALYZE outcomes, scenarios`)
	return markUnavailable(err)
}

// PoolStats reports the read pool's and the write pool's statistics (the
// same pool on PostgreSQL), for metrics.
func (db *DB) PoolStats() (read, write sql.DBStats) {
	return db.read.Stats(), db.write.Stats()
}

func (db *DB) run(ctx context.Context, pool *sql.DB, readOnly bool, fn func(market.Tx) error) error {
	var opts *sql.TxOptions
	if readOnly && db.dialect == Postgres {
		opts = &sql.TxOptions{ReadOnly: true}
	}
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer sqlTx.Rollback()
	tx := &Tx{ctx: ctx, tx: sqlTx, dialect: db.dialect}
	if pool == db.read {
		tx.stmts = db.stmts // reuses what Read prepared; never prepares itself
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return mapErr(err)
	}
	return nil
}

// DB returns the underlying write pool, for tools such as tests that edit
// rows behind the store's back.
func (db *DB) DB() *sql.DB { return db.write }

// redact hides a password in a URL for messages.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}

// BackupSQLite writes a consistent copy of the SQLite database to path
// with VACUUM INTO, while the database stays in use (it reads one
// snapshot). path must not exist.
func (db *DB) BackupSQLite(ctx context.Context, path string) error {
	if db.dialect != SQLite {
		return fmt.Errorf("backup: VACUUM INTO is SQLite's; use pg_dump for PostgreSQL")
	}
	// A reader connection, so writers are not held up (WAL); VACUUM INTO
	// writes only the new file, but query_only refuses it, so it is lifted
	// on this one connection for the copy.
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA query_only = 0`); err != nil {
		return err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA query_only = 1`)
	_, err = conn.ExecContext(ctx, `VACUUM INTO $1`, path)
	return err
}
