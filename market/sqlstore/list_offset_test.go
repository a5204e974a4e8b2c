package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestListOffsetReadsNumberedPages: an Offset skips that many rows of the
// newest-first order (the browse pages' numbered pages), keeps the kept
// total, says whether more follow, and a page past the end still gets the
// total; an Offset beyond MaxListOffset reads at MaxListOffset.
func TestListOffsetReadsNumberedPages(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		org := listingOrg(t, db, 31, market.OrgUniversity, "上海市")
		err := update(t, db, func(tx market.Tx) error {
			for i := range 7 {
				o := sampleOutcome(org, fmt.Sprintf("P%d", i))
				o.TRL = 1 + i%2
				if err := tx.CreateOutcome(o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		list := func(f market.OutcomeFilter) market.Page[market.Outcome] {
			t.Helper()
			var page market.Page[market.Outcome]
			if err := db.Read(context.Background(), func(tx market.Tx) (err error) {
				page, err = tx.ListOutcomes(f)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return page
		}
		ids := func(p market.Page[market.Outcome]) []string {
			var out []string
			for _, o := range p.Items {
				out = append(out, o.ID)
			}
			return out
		}
		all := ids(list(market.OutcomeFilter{Status: market.ListingPublished, Limit: 100}))
		if len(all) != 7 {
			t.Fatalf("%d outcomes, want 7", len(all))
		}
		for _, c := range []struct {
			offset int
			want   []string
			more   bool
		}{{0, all[0:3], true}, {3, all[3:6], true}, {6, all[6:7], false}, {9, nil, false}} {
			p := list(market.OutcomeFilter{Status: market.ListingPublished, Offset: c.offset, Limit: 3})
			if !slices.Equal(ids(p), c.want) || p.HasMore != c.more || !p.Counted || p.Total != 7 {
				t.Errorf("offset %d: %v more %v total %d (counted %v); want %v more %v total 7",
					c.offset, ids(p), p.HasMore, p.Total, p.Counted, c.want, c.more)
			}
		}
		// A filter with an offset: TRL 2 are the odd ones (i = 1, 3, 5).
		p := list(market.OutcomeFilter{Status: market.ListingPublished, TRLMin: 2, Offset: 1, Limit: 1})
		if len(p.Items) != 1 || p.Items[0].TRL != 2 || !p.HasMore || p.Total != 3 {
			t.Errorf("trl 2 offset 1: %v more %v total %d", ids(p), p.HasMore, p.Total)
		}
		// Scenarios take the same path.
		var sp market.Page[market.Scenario]
		if err := db.Read(context.Background(), func(tx market.Tx) (err error) {
			sp, err = tx.ListScenarios(market.ScenarioFilter{Status: market.ListingPublished, Offset: 5, Limit: 3})
			return err
		}); err != nil || len(sp.Items) != 0 || sp.HasMore {
			t.Errorf("scenarios offset past the end: %v %+v", err, sp)
		}
		// The offset is capped: past MaxListOffset reads as MaxListOffset.
		q, args := sqlstore.OutcomeListSQL(market.OutcomeFilter{Status: market.ListingPublished, Offset: market.MaxListOffset * 10, Limit: 20}, db.Dialect(), false)
		if !slices.Contains(args, any(market.MaxListOffset)) || slices.Contains(args, any(market.MaxListOffset*10)) {
			t.Errorf("offset not capped: %s %v", q, args)
		}
	})
}
