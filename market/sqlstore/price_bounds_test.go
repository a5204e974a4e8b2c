package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestPriceFiltersOverNormalisedBounds: price filters keep their meaning
// (negotiable and open-ended ranges reach every minimum, negotiable ones
// every maximum) whichever way a list is read; on SQLite a bound few
// listings pass is read through its index, and one that many pass in id
// order, with the same answers.
func TestPriceFiltersOverNormalisedBounds(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		org := listingOrg(t, db, 61, market.OrgUniversity, "上海市")
		titles := map[string]string{}
		add := func(tx market.Tx, name string, p market.Money, status string) error {
			o := sampleOutcome(org, name)
			o.Title, o.Price, o.Status = name, p, status
			titles[o.ID] = name
			return tx.CreateOutcome(o)
		}
		pub := market.ListingPublished
		err := update(t, db, func(tx market.Tx) error {
			for _, e := range []error{
				add(tx, "A", market.Money{Min: 100, Max: 200, Currency: "CNY"}, pub),
				add(tx, "B", market.Money{Currency: "CNY", Negotiable: true}, pub),
				add(tx, "C", market.Money{Min: 5000, Currency: "CNY"}, pub), // open-ended
				add(tx, "D", market.Money{Min: 300, Max: 400, Currency: "CNY"}, pub),
				add(tx, "E", market.Money{Min: 10000, Max: 20000, Currency: "CNY"}, market.ListingDraft),
			} {
				if e != nil {
					return e
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		list := func(f market.OutcomeFilter) []string {
			t.Helper()
			var page market.Page[market.Outcome]
			if err := db.Read(ctx, func(tx market.Tx) (err error) { page, err = tx.ListOutcomes(f); return err }); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range page.Items {
				got = append(got, titles[o.ID])
			}
			slices.Sort(got)
			return got
		}
		cases := []struct {
			f    market.OutcomeFilter
			want string
		}{
			{market.OutcomeFilter{Status: pub, PriceMin: 1000}, "B C"},
			{market.OutcomeFilter{Status: pub, PriceMin: 400}, "B C D"},
			{market.OutcomeFilter{Status: pub, PriceMax: 150}, "A B"},
			{market.OutcomeFilter{Status: pub, PriceMin: 150, PriceMax: 350}, "A B D"},
			{market.OutcomeFilter{PriceMin: 6000}, "B C E"}, // every status: no probe
		}
		for _, c := range cases {
			if got := strings.Join(list(c.f), " "); got != c.want {
				t.Errorf("price %d..%d (status %q): %q, want %q", c.f.PriceMin, c.f.PriceMax, c.f.Status, got, c.want)
			}
		}
		if index, err := sqlstore.BoundIndex(ctx, db, pub, 1000, 0); err != nil || index != "outcomes_price_top" {
			t.Fatalf("few matches of price_min: index %q (%v), want outcomes_price_top", index, err)
		}
		if index, _ := sqlstore.BoundIndex(ctx, db, pub, 0, 150); index != "outcomes_price_floor" {
			t.Fatalf("few matches of price_max: index %q, want outcomes_price_floor", index)
		}
		// Many listings over the minimum: the list walks in id order.
		err = update(t, db, func(tx market.Tx) error {
			for i := range sqlstore.SparseBound {
				if err := add(tx, fmt.Sprintf("M%04d", i), market.Money{Min: 2000, Max: 3000, Currency: "CNY"}, pub); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if index, _ := sqlstore.BoundIndex(ctx, db, pub, 1000, 0); index != "" {
			t.Fatalf("many matches of price_min: index %q, want the walk in id order", index)
		}
		if index, _ := sqlstore.BoundIndex(ctx, db, pub, 1000, 150); index != "outcomes_price_floor" {
			t.Fatalf("both bounds: index %q, want the sparser one's", index)
		}
		if got := list(market.OutcomeFilter{Status: pub, PriceMin: 2500, PriceMax: 2600, Limit: 20}); len(got) != 20 || got[0] != "M0980" {
			t.Fatalf("walk: %q", got)
		}
	})
}

// TestSparsePriceListReadsItsIndex: the statement of a list read through a
// price bound's index uses that index on SQLite, and on PostgreSQL reads the
// bound's matches before sorting them (at most SparseBound rows).
func TestSparsePriceListReadsItsIndex(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		for _, c := range []struct {
			f     market.OutcomeFilter
			index string
		}{
			{market.OutcomeFilter{Status: market.ListingPublished, PriceMin: 1000, Limit: 20}, "outcomes_price_top"},
			{market.OutcomeFilter{Status: market.ListingPublished, PriceMax: 1000, Field: "ai", Limit: 20, After: "0190f0f0-0000-7000-8000-000000000000"}, "outcomes_price_floor"},
		} {
			query, args := sqlstore.OutcomeListThroughSQL(c.f, db.Dialect(), c.index)
			if db.Dialect() == sqlstore.SQLite {
				if plan := strings.Join(sqlitePlan(t, db, query, args), "\n"); !strings.Contains(plan, "USING INDEX "+c.index) {
					t.Errorf("%s: plan %q", c.index, plan)
				}
				continue
			}
			// PostgreSQL picks among indexes by its statistics (none on an
			// empty table); what the statement fixes is the fence: the
			// listings of the status within the bound first, never the
			// ordered walk of the status index.
			plan := strings.Join(postgresPlan(t, db, query, args), "\n")
			if !strings.Contains(plan, "Subquery Scan on o") || strings.Contains(plan, "Backward") {
				t.Errorf("%s: plan %q", c.index, plan)
			}
		}
	})
}
