// Package sqltest opens a fresh, migrated store per test: a SQLite file in
// the test's temp dir, or a new schema on the PostgreSQL server named by
// TECHBRIDGE_TEST_POSTGRES_URL.
package sqltest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/testenv"
)

// PostgresVar names the PostgreSQL server tests may use.
const PostgresVar = "TECHBRIDGE_TEST_POSTGRES_URL"

// MustOpen returns a migrated SQLite store closed when the test ends.
func MustOpen(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), "", tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	return migrated(tb, db)
}

// MustOpenPostgres returns a migrated store in a fresh schema, dropped when
// the test ends; it skips (or fails in CI) without a server.
func MustOpenPostgres(tb testing.TB) *sqlstore.DB {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), PostgresSchemaURL(tb), "")
	if err != nil {
		tb.Fatal(err)
	}
	return migrated(tb, db)
}

// PostgresSchemaURL creates a fresh, empty schema, dropped when the test
// ends, and returns a database URL whose search_path points at it, for
// tests that hand the database to other processes; it skips (or fails in
// CI) without a server.
func PostgresSchemaURL(tb testing.TB) string {
	tb.Helper()
	base := testenv.Lookup(tb, PostgresVar, "PostgreSQL")
	schema := "t_" + strings.ReplaceAll(market.NewID(), "-", "")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if a, err := sql.Open("pgx", base); err == nil {
			a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func migrated(tb testing.TB, db *sqlstore.DB) *sqlstore.DB {
	tb.Helper()
	tb.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return db
}

// Engines runs fn once per engine: SQLite always, PostgreSQL when
// configured (skipped, or failed in CI, otherwise).
func Engines(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, MustOpen(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, MustOpenPostgres(t)) })
}

// ValidCreditCode returns a valid unified social credit code derived from
// n, for fixtures.
func ValidCreditCode(n int) string {
	first := fmt.Sprintf("91310000MA%07d", n%10000000)
	return first + string(market.CreditCodeCheckChar(first))
}

// Profile is a complete registration profile of an organisation in
// Shanghai, for fixtures that sign contracts.
func Profile() market.OrgProfile {
	return market.OrgProfile{Address: "上海市杨浦区邯郸路220号", LegalRepresentative: "张三", ContactPerson: "李四",
		ContactPhone: "021-6564 0000", RegionCode: "310110", Country: "CN"}
}

// Registration is complete registration answers for a development
// contract whose term starts on from, for fixtures that sign contracts.
func Registration(from time.Time) *market.RegistrationTerms {
	return &market.RegistrationTerms{SubType: "commissioned", TechField: "new_energy", IPType: market.IPKnowHow,
		ValidFrom: from, ValidUntil: from.AddDate(1, 0, 0), SigningPlace: "上海市", SocioEconomicGoal: "industry"}
}
