package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestListSortsOrderPages: each sort orders the list by its key, ties
// newest first, negotiable listings and scenarios without a deadline last,
// on both engines; an offset pages a sorted list, which gives no cursor.
func TestListSortsOrderPages(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		org := listingOrg(t, db, 41, market.OrgUniversity, "上海市")
		ent := listingOrg(t, db, 42, market.OrgEnterprise, "苏州市")
		names := map[string]string{}
		outcome := func(name string, trl int, price market.Money) *market.Outcome {
			o := sampleOutcome(org, name)
			o.TRL, o.Price = trl, price
			names[o.ID] = name
			return o
		}
		scenario := func(name string, deadline string, budget market.Money) *market.Scenario {
			sc := &market.Scenario{ListingMeta: market.ListingMeta{ID: market.NewID(), OrgID: ent, Status: market.ListingPublished,
				CreatedAt: t0, UpdatedAt: t0, Version: 1}, Kind: market.ScenarioDemand, Title: name, Description: "d",
				Field: "robotics", MinTRL: 4, Budget: budget}
			if deadline != "" {
				d, _ := time.Parse(time.DateOnly, deadline)
				sc.Deadline = &d
			}
			names[sc.ID] = name
			return sc
		}
		cny := func(lo, hi int64) market.Money { return market.Money{Min: lo, Max: hi, Currency: "CNY"} }
		negotiable := market.Money{Currency: "CNY", Negotiable: true}
		// Created in this order, so ids ascend A, B, C, D.
		outcomes := []*market.Outcome{outcome("A", 3, cny(100, 200)), outcome("B", 7, negotiable),
			outcome("C", 7, cny(50, 0)), outcome("D", 5, cny(300, 400))}
		scenarios := []*market.Scenario{scenario("S1", "2027-03-01", cny(100, 200)), scenario("S2", "", negotiable),
			scenario("S3", "2027-01-01", cny(500, 0)), scenario("S4", "", cny(50, 60))}
		if err := update(t, db, func(tx market.Tx) error {
			for _, o := range outcomes {
				if err := tx.CreateOutcome(o); err != nil {
					return err
				}
			}
			for _, sc := range scenarios {
				if err := tx.CreateScenario(sc); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		pub := market.ListingPublished
		for _, c := range []struct {
			f    market.OutcomeFilter
			want []string
		}{
			{market.OutcomeFilter{Status: pub}, []string{"D", "C", "B", "A"}},
			{market.OutcomeFilter{Status: pub, Sort: market.SortNewest}, []string{"D", "C", "B", "A"}},
			{market.OutcomeFilter{Status: pub, Sort: market.SortTRLDesc}, []string{"C", "B", "D", "A"}},
			{market.OutcomeFilter{Status: pub, Sort: market.SortPriceAsc}, []string{"C", "A", "D", "B"}},
			{market.OutcomeFilter{Status: pub, Sort: market.SortPriceDesc}, []string{"D", "A", "C", "B"}},
			// Filters keep the order (on SQLite they become plain filters).
			{market.OutcomeFilter{Status: pub, Sort: market.SortTRLDesc, TRLMin: 5}, []string{"C", "B", "D"}},
			{market.OutcomeFilter{Status: pub, Sort: market.SortPriceAsc, Field: "energy_storage", TRLMax: 6}, []string{"A", "D"}},
			{market.OutcomeFilter{Status: pub, Sort: market.SortPriceDesc, PriceMin: 60}, []string{"D", "A", "C", "B"}},
			{market.OutcomeFilter{Status: pub, Sort: market.SortPriceAsc, Offset: 1, Limit: 2}, []string{"A", "D"}},
		} {
			page := readPage(t, db, func(tx market.Tx) (market.Page[market.Outcome], error) { return tx.ListOutcomes(c.f) })
			if got := pageNames(page, names, func(o *market.Outcome) string { return o.ID }); !slices.Equal(got, c.want) {
				t.Errorf("outcomes %+v: %v, want %v", c.f, got, c.want)
			}
			if c.f.Offset > 0 && (!page.HasMore || page.NextCursor != "") {
				t.Errorf("sorted page: more %v cursor %q; want more and no cursor", page.HasMore, page.NextCursor)
			}
		}
		for _, c := range []struct {
			f    market.ScenarioFilter
			want []string
		}{
			{market.ScenarioFilter{Status: pub}, []string{"S4", "S3", "S2", "S1"}},
			{market.ScenarioFilter{Status: pub, Sort: market.SortDeadlineAsc}, []string{"S3", "S1", "S4", "S2"}},
			{market.ScenarioFilter{Status: pub, Sort: market.SortBudgetDesc}, []string{"S3", "S1", "S4", "S2"}},
			{market.ScenarioFilter{Status: pub, Sort: market.SortDeadlineAsc, Kind: market.ScenarioDemand, Field: "robotics", TRLMin: 4}, []string{"S3", "S1", "S4", "S2"}},
			{market.ScenarioFilter{Status: pub, Sort: market.SortBudgetDesc, BudgetMax: 150, Offset: 1}, []string{"S4", "S2"}},
		} {
			page := readPage(t, db, func(tx market.Tx) (market.Page[market.Scenario], error) { return tx.ListScenarios(c.f) })
			if got := pageNames(page, names, func(sc *market.Scenario) string { return sc.ID }); !slices.Equal(got, c.want) {
				t.Errorf("scenarios %+v: %v, want %v", c.f, got, c.want)
			}
		}
	})
}

// readPage reads one list page.
func readPage[T any](t *testing.T, db *sqlstore.DB, list func(market.Tx) (market.Page[T], error)) market.Page[T] {
	t.Helper()
	var page market.Page[T]
	if err := db.Read(context.Background(), func(tx market.Tx) (err error) {
		page, err = list(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return page
}

// pageNames are the test's names of a page's items, in order.
func pageNames[T any](page market.Page[T], names map[string]string, id func(*T) string) []string {
	var out []string
	for i := range page.Items {
		out = append(out, names[id(&page.Items[i])])
	}
	return out
}
