package sqlstore_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// countingDriver wraps an engine's database/sql driver and records what
// reaches the engine: every statement's text and every BEGIN and COMMIT,
// whichever way database/sql sends them (a query on the connection, a
// prepared statement, a transaction).
type countingDriver struct {
	inner driver.Driver
	log   *statementLog
}

type statementLog struct {
	mu          sync.Mutex
	on          bool
	statements  []string
	watched     []bool // whether each statement's context can be cancelled
	begins, end int
}

func (l *statementLog) statement(q string) { l.statementIn(context.Background(), q) }

func (l *statementLog) statementIn(ctx context.Context, q string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.on {
		l.statements = append(l.statements, strings.Join(strings.Fields(q), " "))
		l.watched = append(l.watched, ctx.Done() != nil)
	}
}

func (l *statementLog) count(begin bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.on {
		return
	}
	if begin {
		l.begins++
	} else {
		l.end++
	}
}

// watchedLast is, for each statement of the last record, whether its
// context could be cancelled.
func (l *statementLog) watchedLast() []bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.watched)
}

// record clears the log and records what fn sends.
func (l *statementLog) record(fn func()) (statements []string, begins, ends int) {
	l.mu.Lock()
	l.on, l.statements, l.watched, l.begins, l.end = true, nil, nil, 0, 0
	l.mu.Unlock()
	fn()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.statements, l.begins, l.end
}

func (d countingDriver) Open(dsn string) (driver.Conn, error) {
	c, err := d.inner.Open(dsn)
	if err != nil {
		return nil, err
	}
	return &countingConn{inner: c, log: d.log}, nil
}

type countingConn struct {
	inner driver.Conn
	log   *statementLog
}

func (c *countingConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

func (c *countingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	var st driver.Stmt
	var err error
	if p, ok := c.inner.(driver.ConnPrepareContext); ok {
		st, err = p.PrepareContext(ctx, q)
	} else {
		st, err = c.inner.Prepare(q)
	}
	if err != nil {
		return nil, err
	}
	return &countingStmt{inner: st, query: q, log: c.log}, nil
}

func (c *countingConn) Close() error { return c.inner.Close() }

func (c *countingConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	tx, err := c.inner.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	c.log.count(true)
	return countingTx{inner: tx, log: c.log}, nil
}

func (c *countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c.log.statementIn(ctx, q)
	return c.inner.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c *countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	c.log.statement(q)
	return c.inner.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (c *countingConn) CheckNamedValue(v *driver.NamedValue) error {
	if n, ok := c.inner.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(v)
	}
	return driver.ErrSkip
}

func (c *countingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.inner.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

type countingTx struct {
	inner driver.Tx
	log   *statementLog
}

func (t countingTx) Commit() error   { t.log.count(false); return t.inner.Commit() }
func (t countingTx) Rollback() error { t.log.count(false); return t.inner.Rollback() }

type countingStmt struct {
	inner driver.Stmt
	query string
	log   *statementLog
}

func (s *countingStmt) Close() error  { return s.inner.Close() }
func (s *countingStmt) NumInput() int { return s.inner.NumInput() }

func (s *countingStmt) Exec(args []driver.Value) (driver.Result, error) {
	s.log.statement(s.query)
	return s.inner.Exec(args)
}

func (s *countingStmt) Query(args []driver.Value) (driver.Rows, error) {
	s.log.statement(s.query)
	return s.inner.Query(args)
}

func (s *countingStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	s.log.statement(s.query)
	return s.inner.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s *countingStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	s.log.statementIn(ctx, s.query)
	return s.inner.(driver.StmtQueryContext).QueryContext(ctx, args)
}

var (
	statements       = &statementLog{}
	registerCounting sync.Once
)

func countingDrivers() {
	registerCounting.Do(func() {
		sql.Register("sqlite-counting", countingDriver{inner: &sqlite.Driver{}, log: statements})
		sql.Register("pgx-counting", countingDriver{inner: stdlib.GetDefaultDriver(), log: statements})
	})
}

// openCounting opens a migrated store of engine ("sqlite" or "postgres")
// through the counting driver, closed when the test ends.
func openCounting(t *testing.T, engine string) *sqlstore.DB {
	t.Helper()
	countingDrivers()
	ctx := context.Background()
	var db *sqlstore.DB
	var err error
	if engine == "sqlite" {
		db, err = sqlstore.OpenThrough(ctx, "", t.TempDir(), "sqlite-counting")
	} else {
		db, err = sqlstore.OpenThrough(ctx, sqltest.PostgresSchemaURL(t), "", "pgx-counting")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// onCountingEngines runs fn as a subtest of each engine, on a store of its
// own opened through the counting driver (openCounting).
func onCountingEngines(t *testing.T, fn func(t *testing.T, engine string, db *sqlstore.DB)) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) { fn(t, engine, openCounting(t, engine)) })
	}
}

// TestKeyReadsWatchTheContextOnlyAcrossANetwork: a read by key outside a
// transaction reaches SQLite with a context that cannot be cancelled (no
// goroutine per statement watches it), and PostgreSQL with the request's
// own; a context already done stops the read on both engines.
func TestKeyReadsWatchTheContextOnlyAcrossANetwork(t *testing.T) {
	onCountingEngines(t, func(t *testing.T, engine string, db *sqlstore.DB) {
		wantWatched := engine == "postgres"
		org := listingOrg(t, db, 52, market.OrgUniversity, "上海市")
		o := sampleOutcome(org, "KR-1")
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateOutcome(o) }); err != nil {
			t.Fatal(err)
		}
		svc := market.NewService(db)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for round := range 2 {
			sent, _, _ := statements.record(func() {
				if _, err := svc.Outcome(ctx, market.Actor{}, o.ID); err != nil {
					t.Fatal(err)
				}
			})
			if watched := statements.watchedLast(); len(sent) != 1 || watched[0] != wantWatched {
				t.Errorf("round %d: statements %q watched %v; want one, watched %v", round+1, sent, watched, wantWatched)
			}
		}
		done, stop := context.WithCancel(context.Background())
		stop()
		sent, _, _ := statements.record(func() {
			if _, err := svc.Outcome(done, market.Actor{}, o.ID); !errors.Is(err, context.Canceled) {
				t.Errorf("a read under a cancelled context: %v, want context.Canceled", err)
			}
		})
		if engine == "sqlite" && len(sent) != 0 {
			t.Errorf("a cancelled read reached SQLite: %q", sent)
		}
	})
}

// TestSingleStatementReadsRunWithoutTransaction: reading an outcome by id
// and a page of outcomes, as the API and the pages do, sends the engine one
// statement each and no BEGIN or COMMIT, on both engines; the same read in
// a transaction (View) shows what the driver would see otherwise.
func TestSingleStatementReadsRunWithoutTransaction(t *testing.T) {
	ctx := context.Background()
	onCountingEngines(t, func(t *testing.T, engine string, db *sqlstore.DB) {
		org := listingOrg(t, db, 51, market.OrgUniversity, "上海市")
		o := sampleOutcome(org, "NB-1")
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateOutcome(o) }); err != nil {
			t.Fatal(err)
		}
		svc := market.NewService(db)
		reads := map[string]func() error{
			"outcome by id": func() error { _, err := svc.Outcome(ctx, market.Actor{}, o.ID); return err },
			"outcome list": func() error {
				_, err := svc.Outcomes(ctx, market.Actor{}, market.OutcomeFilter{Field: o.Field, Limit: 20})
				return err
			},
		}
		for name, read := range reads {
			for round := range 2 { // the first round may prepare; the second reuses
				var err error
				sent, begins, ends := statements.record(func() { err = read() })
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if begins != 0 || ends != 0 || len(sent) != 1 {
					t.Errorf("%s (round %d): %d BEGIN, %d COMMIT/ROLLBACK, statements %q; want one statement and no transaction",
						name, round+1, begins, ends, sent)
				}
			}
		}
		// The counter sees a transaction when there is one.
		sent, begins, ends := statements.record(func() {
			if err := db.View(ctx, func(tx market.Tx) error { _, err := tx.OutcomeByID(o.ID); return err }); err != nil {
				t.Fatal(err)
			}
		})
		if begins != 1 || ends != 1 || len(sent) != 1 {
			t.Errorf("View: %d BEGIN, %d COMMIT, statements %q; want one of each", begins, ends, sent)
		}
	})
}

// TestSQLiteReadersMapTheFile: the read pool's connections map the
// database file and keep a page cache larger than SQLite's 2 MB default
// (before, both were the defaults: no map, -2000).
func TestSQLiteReadersMapTheFile(t *testing.T) {
	db := sqltest.MustOpen(t)
	ctx := context.Background()
	for range 3 { // whichever connection answers
		if v, err := sqlstore.ReaderPragma(ctx, db, "mmap_size"); err != nil || v < 64<<20 {
			t.Fatalf("reader mmap_size = %d, %v", v, err)
		}
		if v, err := sqlstore.ReaderPragma(ctx, db, "cache_size"); err != nil || v > -8000 {
			t.Fatalf("reader cache_size = %d, %v (negative KiB)", v, err)
		}
	}
}

// TestListsReadTimesAsText: a page of outcomes or scenarios reads its times
// as text on SQLite, as the detail read does (the driver's own parse tried
// time layouts in turn: an eighth of an uncached page's CPU in bench api's
// profile), and on both engines a listed item is the listing the detail
// read returns, its times to the microsecond.
func TestListsReadTimesAsText(t *testing.T) {
	ctx := context.Background()
	onCountingEngines(t, func(t *testing.T, engine string, db *sqlstore.DB) {
		org := listingOrg(t, db, 53, market.OrgEnterprise, "苏州市")
		created := time.Date(2026, 3, 1, 8, 0, 0, 123456000, time.UTC)
		pub, deadline := created.Add(90*time.Minute+7*time.Microsecond), time.Date(2027, 1, 31, 16, 0, 0, 0, time.UTC)
		o := sampleOutcome(org, "LT-1")
		o.CreatedAt, o.UpdatedAt, o.PublishedAt = created, pub, &pub
		sc := &market.Scenario{ListingMeta: market.ListingMeta{ID: market.NewID(), OrgID: org, Status: market.ListingPublished,
			CreatedAt: created, UpdatedAt: pub, PublishedAt: &pub, Version: 1}, Kind: market.ScenarioChallenge, Title: "挑战",
			Description: "d", Field: "robotics", MinTRL: 6, Budget: market.Money{Currency: "CNY", Negotiable: true},
			Bounty: 500_000_00, Criteria: "精度", Deadline: &deadline, Region: "苏州工业园区"}
		if err := update(t, db, func(tx market.Tx) error {
			if err := tx.CreateOutcome(o); err != nil {
				return err
			}
			return tx.CreateScenario(sc)
		}); err != nil {
			t.Fatal(err)
		}
		svc := market.NewService(db)
		timeCols := map[string][]string{"outcomes": {"created_at", "updated_at", "published_at", "fresh_until"},
			"scenarios": {"created_at", "updated_at", "published_at", "deadline"}}
		check := func(table string, sent []string, listed, read any) {
			t.Helper()
			if !reflect.DeepEqual(listed, read) {
				t.Errorf("%s: listed %+v\nread by id %+v", table, listed, read)
			}
			if engine != "sqlite" || len(sent) != 1 {
				return
			}
			for _, c := range timeCols[table] {
				if !strings.Contains(sent[0], "+"+c+",") && !strings.Contains(sent[0], "+o."+c+",") {
					t.Errorf("%s: the list selects %s with its declared type (the driver parses it): %s", table, c, sent[0])
				}
			}
		}
		var outcomes market.Page[market.Outcome]
		var err error
		sent, _, _ := statements.record(func() { outcomes, err = svc.Outcomes(ctx, market.Actor{}, market.OutcomeFilter{Limit: 20}) })
		one, err2 := svc.Outcome(ctx, market.Actor{}, o.ID)
		if err != nil || err2 != nil || len(outcomes.Items) != 1 {
			t.Fatalf("outcomes: %v, %v, %d items", err, err2, len(outcomes.Items))
		}
		check("outcomes", sent, outcomes.Items[0], *one)
		var scenarios market.Page[market.Scenario]
		sent, _, _ = statements.record(func() { scenarios, err = svc.Scenarios(ctx, market.Actor{}, market.ScenarioFilter{Limit: 20}) })
		s1, err2 := svc.Scenario(ctx, market.Actor{}, sc.ID)
		if err != nil || err2 != nil || len(scenarios.Items) != 1 {
			t.Fatalf("scenarios: %v, %v, %d items", err, err2, len(scenarios.Items))
		}
		check("scenarios", sent, scenarios.Items[0], *s1)
	})
}
