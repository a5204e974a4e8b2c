package sqlstore_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// BenchmarkOutcomeByID reads published outcomes by id from many goroutines
// at once, each read under a request's deadline, as the API's detail read
// does: `go test -run - -bench OutcomeByID -cpu 2 ./market/sqlstore`.
func BenchmarkOutcomeByID(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchOutcomeByID(b, sqltest.MustOpen(b)) })
	b.Run("postgres", func(b *testing.B) { benchOutcomeByID(b, sqltest.MustOpenPostgres(b)) })
}

func benchOutcomeByID(b *testing.B, db *sqlstore.DB) {
	org := listingOrg(b, db, 41, market.OrgUniversity, "上海市")
	ids := make([]string, 2000)
	if err := update(b, db, func(tx market.Tx) error {
		for i := range ids {
			o := sampleOutcome(org, fmt.Sprintf("B%d", i))
			if err := tx.CreateOutcome(o); err != nil {
				return err
			}
			ids[i] = o.ID
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	var next atomic.Uint64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			id := ids[next.Add(1)%uint64(len(ids))]
			err := db.Read(ctx, func(tx market.Tx) error {
				_, err := tx.OutcomeByID(id)
				return err
			})
			cancel()
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}
