package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore/sqltest"
)

// TestLargeImportRefreshesPlannerStatistics: on PostgreSQL an import of a
// thousand listings or more leaves the outcomes table analysed, so list
// filters are planned from statistics rather than guesses (autovacuum may
// be off, as on this project's machines, or not have run yet: a TRL filter
// then read and sorted 55,000 rows); a small import leaves them as they are.
func TestLargeImportRefreshesPlannerStatistics(t *testing.T) {
	db := sqltest.MustOpenPostgres(t)
	svc := listingService(db)
	orgID := listingOrg(t, db, 44, market.OrgUniversity, "上海市")
	analysed := func() bool {
		t.Helper()
		var n int
		if err := db.DB().QueryRow(`SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'outcomes'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n > 0
	}
	lines := func(from, to int) string {
		var b strings.Builder
		for i := from; i < to; i++ {
			fmt.Fprintf(&b, `{"external_id": "S%d", "title": "固态电池 %d", "trl": %d}`+"\n", i, i, 1+i%9)
		}
		return b.String()
	}
	for _, c := range []struct {
		from, to int
		want     bool
	}{{0, 10, false}, {10, 1010, true}} {
		rep, err := svc.ImportOutcomes(context.Background(), market.SystemActor, orgID, strings.NewReader(lines(c.from, c.to)), market.ImportJSONL, market.ImportOptions{Publish: true})
		if err != nil || rep.Created != c.to-c.from {
			t.Fatalf("import %d–%d: %s, %v", c.from, c.to, rep, err)
		}
		if got := analysed(); got != c.want {
			t.Fatalf("after importing %d listings: statistics kept %v, want %v", c.to-c.from, got, c.want)
		}
	}
}
