package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"techbridge/market"
)

// TestConcurrentKeyReadsBatch: many detail reads at once each get their
// own listing (a missing one ENOTFOUND), and the reads that arrive while
// others are at the database are read together in one statement (by one
// array parameter on PostgreSQL, a padded IN list on SQLite), so fewer
// statements than reads reach the engine.
func TestConcurrentKeyReadsBatch(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			db := openCounting(t, engine)
			org := listingOrg(t, db, 53, market.OrgUniversity, "上海市")
			var ids []string
			if err := update(t, db, func(tx market.Tx) error {
				for i := range 20 {
					o := sampleOutcome(org, fmt.Sprintf("KB-%d", i))
					o.Title = "标题 " + o.ExternalID
					if err := tx.CreateOutcome(o); err != nil {
						return err
					}
					ids = append(ids, o.ID)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, market.NewID()) // missing
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			batched := false
			for round := 0; round < 20 && !batched; round++ {
				const readers = 64
				var wg sync.WaitGroup
				errs := make(chan error, readers)
				sent, _, _ := statements.record(func() {
					for r := range readers {
						wg.Add(1)
						go func() {
							defer wg.Done()
							id := ids[r%len(ids)]
							var got *market.Outcome
							err := db.Read(ctx, func(tx market.Tx) (err error) { got, err = tx.OutcomeByID(id); return err })
							switch {
							case id == ids[len(ids)-1]:
								if market.ErrorCode(err) != market.ENOTFOUND {
									errs <- fmt.Errorf("missing id: %v, %v", got, err)
								}
							case err != nil:
								errs <- err
							case got.ID != id || got.Title != "标题 KB-"+fmt.Sprint(r%len(ids)) || got.PublishedAt == nil:
								errs <- fmt.Errorf("read %s, got %s %q", id, got.ID, got.Title)
							}
						}()
					}
					wg.Wait()
				})
				close(errs)
				for err := range errs {
					t.Fatal(err)
				}
				for _, s := range sent {
					batched = batched || strings.Contains(s, "= ANY(") || strings.Contains(s, "id IN (")
				}
				if len(sent) > readers {
					t.Fatalf("%d reads sent %d statements", readers, len(sent))
				}
			}
			if !batched {
				t.Fatal("no reads were batched")
			}
		})
	}
}
