package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// listingFixture creates an organisation in region and returns its id.
func listingOrg(t testing.TB, db *sqlstore.DB, n int, kind, region string) string {
	t.Helper()
	org := &market.Organization{ID: market.NewID(), Kind: kind, NameZH: "机构", Region: region,
		CreditCode: sqltest.ValidCreditCode(n), Verification: market.VerificationVerified, CreatedAt: t0, UpdatedAt: t0, Version: 1}
	if err := update(t, db, func(tx market.Tx) error { return tx.CreateOrganization(org) }); err != nil {
		t.Fatal(err)
	}
	return org.ID
}

func sampleOutcome(orgID, ext string) *market.Outcome {
	pub := t0.Add(time.Hour)
	return &market.Outcome{ListingMeta: market.ListingMeta{ID: market.NewID(), OrgID: orgID, Status: market.ListingPublished, CreatedBy: "acc", CreatedAt: t0, UpdatedAt: t0, PublishedAt: &pub, Version: 1}, ExternalID: ext, Title: "固态电池电解质", Summary: "摘要", Description: "详情", Keywords: []string{"电池", "电解质"}, Field: "energy_storage", IPC: []string{"H01M 10/54", "H01M"}, TRL: 5, IPType: market.IPInventionPatent, PatentNumbers: []string{"CN114081026A"}, LegalStatus: market.LegalGranted, TransferModes: []string{market.TransferAssignment}, Price: market.Money{Min: 100_000_00, Max: 500_000_00, Currency: "CNY"}, Confidentiality: market.ConfidentialityPublic, FreshUntil: time.Date(2027, 11, 29, 0, 0, 0, 0, time.UTC)}
}

func TestOutcomesRoundTripAndConcurrency(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		orgID := listingOrg(t, db, 11, market.OrgUniversity, "上海市 / 张江")
		o := sampleOutcome(orgID, "REF-1")
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateOutcome(o) }); err != nil {
			t.Fatal(err)
		}
		var got *market.Outcome
		db.View(context.Background(), func(tx market.Tx) (err error) {
			got, err = tx.OutcomeByExternalID(orgID, "REF-1")
			return err
		})
		if got == nil || got.ID != o.ID || len(got.IPC) != 2 || got.IPC[0] != "H01M 10/54" || got.Price != o.Price ||
			!got.FreshUntil.Equal(o.FreshUntil) || got.PublishedAt == nil || !got.PublishedAt.Equal(*o.PublishedAt) ||
			got.PatentNumbers[0] != "CN114081026A" || got.TRL != 5 || got.Price.Negotiable {
			t.Fatalf("read back %+v", got)
		}

		// The external id is unique per organisation, not globally.
		dup := sampleOutcome(orgID, "REF-1")
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateOutcome(dup) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("duplicate external id: %v, want conflict", err)
		}
		other := listingOrg(t, db, 12, market.OrgInstitute, "北京市")
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateOutcome(sampleOutcome(other, "REF-1")) }); err != nil {
			t.Errorf("same reference in another organisation: %v", err)
		}
		// Empty references do not collide.
		for i := 0; i < 2; i++ {
			if err := update(t, db, func(tx market.Tx) error { return tx.CreateOutcome(sampleOutcome(orgID, "")) }); err != nil {
				t.Errorf("outcome without reference %d: %v", i, err)
			}
		}

		// Optimistic concurrency.
		next := *got
		next.Title, next.Version = "新标题", 2
		if err := update(t, db, func(tx market.Tx) error { return tx.UpdateOutcome(&next) }); err != nil {
			t.Fatal(err)
		}
		stale := *got
		stale.Version = 2
		if err := update(t, db, func(tx market.Tx) error { return tx.UpdateOutcome(&stale) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("stale update: %v, want conflict", err)
		}
		missing := *got
		missing.ID = market.NewID()
		if err := update(t, db, func(tx market.Tx) error { return tx.UpdateOutcome(&missing) }); market.ErrorCode(err) != market.ENOTFOUND {
			t.Errorf("update of a missing outcome: %v, want not found", err)
		}
	})
}

func TestListOutcomesFiltersAndPages(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		sh := listingOrg(t, db, 21, market.OrgUniversity, "上海市 / 张江")
		bj := listingOrg(t, db, 22, market.OrgInstitute, "北京市")
		err := update(t, db, func(tx market.Tx) error {
			for i := 0; i < 7; i++ {
				o := sampleOutcome(sh, fmt.Sprintf("S%d", i))
				o.TRL = i + 1
				o.Price = market.Money{Min: int64(i) * 100, Max: int64(i)*100 + 50, Currency: "CNY"}
				if i == 6 {
					o.Price = market.Money{Currency: "CNY", Negotiable: true}
					o.Status = market.ListingDraft
				}
				if err := tx.CreateOutcome(o); err != nil {
					return err
				}
			}
			o := sampleOutcome(bj, "B0")
			o.Field = "ai"
			return tx.CreateOutcome(o)
		})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name    string
			f       market.OutcomeFilter
			want    int
			counted bool // a kept count covers the filter
		}{
			{"all", market.OutcomeFilter{}, 8, true},
			{"published", market.OutcomeFilter{Status: market.ListingPublished}, 7, true},
			{"statuses", market.OutcomeFilter{Statuses: []string{market.ListingDraft, market.ListingPaused}}, 1, true},
			{"owner", market.OutcomeFilter{OrgID: bj}, 1, true},
			{"field", market.OutcomeFilter{Field: "ai"}, 1, true},
			{"trl 3..5", market.OutcomeFilter{TRLMin: 3, TRLMax: 5}, 4, true}, // 3, 4, 5 and the Beijing one at 5
			{"trl 6..", market.OutcomeFilter{TRLMin: 6, Status: market.ListingPublished}, 1, true},
			{"field and trl", market.OutcomeFilter{Field: "ai", TRLMin: 5}, 1, false},
			// ranges [200,250] [300,350] overlap [240,300]; negotiable always overlaps
			{"price overlap", market.OutcomeFilter{PriceMin: 240, PriceMax: 300}, 3, false},
			// A region names its organisations: their kept counts give the total.
			{"region prefix", market.OutcomeFilter{Region: "上海"}, 7, true},
			{"region with wildcard chars", market.OutcomeFilter{Region: "上%"}, 0, true},
			{"region and price", market.OutcomeFilter{Region: "上海", PriceMin: 240, PriceMax: 300}, 3, false},
		}
		for _, c := range cases {
			for _, read := range []func(context.Context, func(market.Tx) error) error{db.View, db.Read} {
				var page market.Page[market.Outcome]
				if err := read(context.Background(), func(tx market.Tx) (err error) {
					page, err = tx.ListOutcomes(c.f)
					return err
				}); err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				if len(page.Items) != c.want || page.Counted != c.counted || (c.counted && page.Total != c.want) || page.HasMore {
					t.Errorf("%s: %d items, total %d (counted %v), more %v; want %d (counted %v)",
						c.name, len(page.Items), page.Total, page.Counted, page.HasMore, c.want, c.counted)
				}
			}
		}
		// Cursor pages cover everything once, newest first; has_more is
		// false exactly on the last page, and the total holds on every page.
		seen := map[string]bool{}
		after := ""
		for pages := 0; pages < 10; pages++ {
			var page market.Page[market.Outcome]
			db.Read(context.Background(), func(tx market.Tx) (err error) {
				page, err = tx.ListOutcomes(market.OutcomeFilter{After: after, Limit: 3})
				return err
			})
			if !page.Counted || page.Total != 8 {
				t.Fatalf("total %d (counted %v) on a later page, want 8", page.Total, page.Counted)
			}
			items := page.Items
			for i, o := range items {
				if seen[o.ID] || (i > 0 && o.ID > items[i-1].ID) {
					t.Fatalf("page order broken at %s", o.ID)
				}
				seen[o.ID] = true
			}
			if page.HasMore != (len(seen) < 8) || (page.HasMore && page.NextCursor != items[len(items)-1].ID) {
				t.Fatalf("after %d seen: has_more %v, cursor %q", len(seen), page.HasMore, page.NextCursor)
			}
			if !page.HasMore {
				break
			}
			after = page.NextCursor
		}
		if len(seen) != 8 {
			t.Fatalf("pages covered %d outcomes, want 8", len(seen))
		}
		// A cursor past the end still gets the total.
		var end market.Page[market.Outcome]
		db.Read(context.Background(), func(tx market.Tx) (err error) {
			end, err = tx.ListOutcomes(market.OutcomeFilter{After: "0", Limit: 3})
			return err
		})
		if len(end.Items) != 0 || !end.Counted || end.Total != 8 {
			t.Fatalf("past the end: %d items, total %d (counted %v)", len(end.Items), end.Total, end.Counted)
		}
	})
}

func TestScenariosAndProposals(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ent := listingOrg(t, db, 31, market.OrgEnterprise, "苏州工业园区")
		uni := listingOrg(t, db, 32, market.OrgUniversity, "南京市")
		deadline := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
		sc := &market.Scenario{ListingMeta: market.ListingMeta{ID: market.NewID(), OrgID: ent, Status: market.ListingPublished, CreatedAt: t0, UpdatedAt: t0, Version: 1}, Kind: market.ScenarioChallenge, Title: "挑战", Description: "d", Field: "robotics", Keywords: []string{"焊接"}, IPC: nil, MinTRL: 6, Budget: market.Money{Currency: "CNY", Negotiable: true}, Bounty: 500_000_00, Criteria: "精度", Deadline: &deadline, Region: "苏州工业园区"}
		o := sampleOutcome(uni, "U1")
		p := &market.Proposal{ID: market.NewID(), ScenarioID: sc.ID, OrgID: uni, OutcomeID: o.ID, Title: "方案",
			Price: market.Money{Currency: "CNY", Negotiable: true}, Status: market.ProposalSubmitted, CreatedAt: t0, UpdatedAt: t0, Version: 1}
		err := update(t, db, func(tx market.Tx) error {
			if err := tx.CreateScenario(sc); err != nil {
				return err
			}
			if err := tx.CreateOutcome(o); err != nil {
				return err
			}
			return tx.CreateProposal(p)
		})
		if err != nil {
			t.Fatal(err)
		}
		again := *p
		again.ID = market.NewID()
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateProposal(&again) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("same outcome proposed twice: %v, want conflict", err)
		}
		// A withdrawn proposal frees the outcome for a new one.
		withdrawn := *p
		withdrawn.Status, withdrawn.Version = market.ProposalWithdrawn, 2
		if err := update(t, db, func(tx market.Tx) error { return tx.UpdateProposal(&withdrawn) }); err != nil {
			t.Fatal(err)
		}
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateProposal(&again) }); err != nil {
			t.Errorf("re-proposal after withdrawal: %v", err)
		}
		db.View(context.Background(), func(tx market.Tx) error {
			got, err := tx.ScenarioByID(sc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Deadline == nil || !got.Deadline.Equal(deadline) || got.Bounty != sc.Bounty || got.MinTRL != 6 || len(got.IPC) != 0 || !got.Budget.Negotiable {
				t.Errorf("scenario read back %+v", got)
			}
			list, err := tx.ListScenarios(market.ScenarioFilter{Kind: market.ScenarioChallenge, TRLMin: 6, Region: "苏州"})
			if err != nil || list.Counted || len(list.Items) != 1 {
				t.Errorf("scenario list = %+v, %v", list, err)
			}
			kinds, err := tx.ListScenarios(market.ScenarioFilter{Kind: market.ScenarioChallenge})
			if err != nil || !kinds.Counted || kinds.Total != len(kinds.Items) || kinds.Total == 0 {
				t.Errorf("scenarios by kind = %+v, %v", kinds, err)
			}
			ps, err := tx.ListProposals(market.ProposalFilter{ScenarioID: sc.ID})
			if err != nil || ps.Total != 2 || !ps.Counted || len(ps.Items) != 2 || ps.Items[0].ID != again.ID {
				t.Errorf("proposals = %+v, %v", ps, err)
			}
			return nil
		})
		stale := *sc
		stale.Version = 3
		if err := update(t, db, func(tx market.Tx) error { return tx.UpdateScenario(&stale) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("scenario stale update: %v", err)
		}
	})
}

// The indexer reloads a batch of listings in one read per kind; more ids
// than one statement takes are read in chunks, unknown ids are left out.
func TestListingsByIDs(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		orgID := listingOrg(t, db, 41, market.OrgUniversity, "上海市")
		want := map[string]bool{}
		var ids []string
		err := update(t, db, func(tx market.Tx) error {
			for i := range 1200 {
				o := sampleOutcome(orgID, fmt.Sprintf("B-%d", i))
				if err := tx.CreateOutcome(o); err != nil {
					return err
				}
				want[o.ID] = true
				ids = append(ids, o.ID)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sc := &market.Scenario{ListingMeta: market.ListingMeta{ID: market.NewID(), OrgID: orgID, Status: market.ListingDraft, CreatedAt: t0, UpdatedAt: t0, Version: 1}, Kind: market.ScenarioDemand, Title: "需求", Description: "d", Budget: market.Money{Currency: "CNY"}}
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateScenario(sc) }); err != nil {
			t.Fatal(err)
		}
		db.View(context.Background(), func(tx market.Tx) error {
			got, err := tx.OutcomesByIDs(append(ids, market.NewID(), sc.ID))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("OutcomesByIDs: %d outcomes, want %d", len(got), len(want))
			}
			for _, o := range got {
				if !want[o.ID] || o.Title != "固态电池电解质" || len(o.IPC) != 2 || o.OrgID != orgID {
					t.Fatalf("OutcomesByIDs read back %+v", o)
				}
			}
			scs, err := tx.ScenariosByIDs([]string{sc.ID, ids[0]})
			if err != nil || len(scs) != 1 || scs[0].ID != sc.ID || scs[0].Title != "需求" {
				t.Errorf("ScenariosByIDs = %+v, %v", scs, err)
			}
			if none, err := tx.OutcomesByIDs(nil); err != nil || len(none) != 0 {
				t.Errorf("OutcomesByIDs(nil) = %v, %v", none, err)
			}
			return nil
		})
	})
}
