package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestKeptCountsFollowWrites: the totals lists report come from counts kept
// by the writes (inserts, status, field and TRL changes, deletes), and
// equal what counting the rows gives after every kind of change.
func TestKeptCountsFollowWrites(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		a := listingOrg(t, db, 31, market.OrgUniversity, "上海市")
		b := listingOrg(t, db, 32, market.OrgInstitute, "北京市")
		var ids []string
		err := update(t, db, func(tx market.Tx) error {
			for i := 0; i < 12; i++ {
				org := a
				if i%3 == 0 {
					org = b
				}
				o := sampleOutcome(org, fmt.Sprintf("K%d", i))
				o.TRL = i%9 + 1
				if i%2 == 0 {
					o.Field = "ai"
				}
				if i%4 == 0 {
					o.Status = market.ListingDraft
				}
				if err := tx.CreateOutcome(o); err != nil {
					return err
				}
				ids = append(ids, o.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		check := func(when string) {
			t.Helper()
			filters := []struct {
				f    market.OutcomeFilter
				cond string
				args []any
			}{
				{market.OutcomeFilter{Status: market.ListingPublished}, "status = $1", []any{market.ListingPublished}},
				{market.OutcomeFilter{}, "1 = 1", nil},
				{market.OutcomeFilter{Status: market.ListingPublished, Field: "ai"}, "status = $1 AND field = $2", []any{market.ListingPublished, "ai"}},
				{market.OutcomeFilter{Status: market.ListingPublished, TRLMin: 3, TRLMax: 7}, "status = $1 AND trl BETWEEN 3 AND 7", []any{market.ListingPublished}},
				{market.OutcomeFilter{OrgID: b}, "org_id = $1", []any{b}},
				{market.OutcomeFilter{OrgID: a, Status: market.ListingDraft}, "org_id = $1 AND status = $2", []any{a, market.ListingDraft}},
			}
			for _, c := range filters {
				var want int
				if err := db.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM outcomes WHERE "+c.cond, c.args...).Scan(&want); err != nil {
					t.Fatal(err)
				}
				var page market.Page[market.Outcome]
				if err := db.Read(ctx, func(tx market.Tx) (err error) {
					page, err = tx.ListOutcomes(c.f)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				if !page.Counted || page.Total != want {
					t.Errorf("%s: %+v: total %d (counted %v), rows say %d", when, c.f, page.Total, page.Counted, want)
				}
			}
		}
		check("after inserts")
		err = update(t, db, func(tx market.Tx) error {
			for i, id := range ids[:6] {
				o, err := tx.OutcomeByID(id)
				if err != nil {
					return err
				}
				switch i % 3 {
				case 0:
					o.Status = market.ListingPaused
				case 1:
					o.Field = "new_materials"
				case 2:
					o.TRL = 9
					o.Title = "changed title only counts nothing" // an update of other columns too
				}
				o.Version++
				if err := tx.UpdateOutcome(o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		check("after updates")
		if _, err := db.DB().ExecContext(ctx, "DELETE FROM outcomes WHERE id = $1", ids[7]); err != nil {
			t.Fatal(err)
		}
		check("after a delete")
	})
}
