package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/demo"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

func listingService(db *sqlstore.DB) *market.Service {
	svc := market.NewService(db)
	svc.Now = func() time.Time { return t0 }
	return svc
}

// outcomeRows reads every outcome of an organisation as comparable text.
func outcomeRows(t *testing.T, db *sqlstore.DB, orgID string) []string {
	t.Helper()
	var rows []string
	err := db.View(context.Background(), func(tx market.Tx) error {
		after := ""
		for {
			page, err := tx.ListOutcomes(market.OutcomeFilter{OrgID: orgID, After: after, Limit: 100})
			if err != nil {
				return err
			}
			items := page.Items
			for _, o := range items {
				rows = append(rows, fmt.Sprintf("%s|%s|%s|%s|%d|%v|%s|%d", o.ID, o.ExternalID, o.Title, o.Field, o.TRL, o.IPC, o.Status, o.Version))
			}
			if len(items) < 100 {
				return nil
			}
			after = items[len(items)-1].ID
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestImportTwiceLeavesTheSameRows: re-importing a file updates nothing,
// duplicates nothing and appends no events; a changed line updates in place.
func TestImportTwiceLeavesTheSameRows(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		svc := listingService(db)
		orgID := listingOrg(t, db, 41, market.OrgUniversity, "上海市")
		var b strings.Builder
		for i := 0; i < 1203; i++ { // three batches of 500 and a remainder
			fmt.Fprintf(&b, `{"external_id": "E%04d", "title": "成果 %d", "ipc": ["H01M 10/54"], "label": ["ignored"]}`+"\n", i, i)
		}
		b.WriteString(`{"external_id": "BAD1", "title": "bad", "trl": 10}` + "\n")
		b.WriteString(`{"external_id": "BAD2", "title": "bad", "ipc": ["H01M-10"]}` + "\n")
		file := b.String()
		ctx := context.Background()
		rep, err := svc.ImportOutcomes(ctx, market.SystemActor, orgID, strings.NewReader(file), market.ImportJSONL, market.ImportOptions{Publish: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != 1203 || rep.Failed != 2 || rep.Errors[0].Line != 1204 || rep.Errors[0].Fields[0].Field != "trl" ||
			rep.Errors[1].Line != 1205 || rep.Errors[1].Fields[0].Field != "ipc" {
			t.Fatalf("first import: %s, errors %+v", rep, rep.Errors)
		}
		first := outcomeRows(t, db, orgID)
		var seq1 int64
		db.View(ctx, func(tx market.Tx) (err error) { seq1, err = tx.LastEventSeq(); return err })

		rep, err = svc.ImportOutcomes(ctx, market.SystemActor, orgID, strings.NewReader(file), market.ImportJSONL, market.ImportOptions{Publish: true})
		if err != nil || rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 1203 || rep.Failed != 2 {
			t.Fatalf("second import: %s, %v", rep, err)
		}
		if second := outcomeRows(t, db, orgID); strings.Join(second, "\n") != strings.Join(first, "\n") {
			t.Fatal("re-import changed the rows")
		}
		var seq2 int64
		db.View(ctx, func(tx market.Tx) (err error) { seq2, err = tx.LastEventSeq(); return err })
		if seq2 != seq1 {
			t.Fatalf("re-import appended %d events", seq2-seq1)
		}
		// One changed line updates that outcome only, with one event.
		changed := strings.Replace(file, `"title": "成果 7"`, `"title": "成果 7（修订）"`, 1)
		rep, err = svc.ImportOutcomes(ctx, market.SystemActor, orgID, strings.NewReader(changed), market.ImportJSONL, market.ImportOptions{Publish: true})
		if err != nil || rep.Updated != 1 || rep.Unchanged != 1202 {
			t.Fatalf("changed import: %s, %v", rep, err)
		}
		db.View(ctx, func(tx market.Tx) error {
			o, err := tx.OutcomeByExternalID(orgID, "E0007")
			if err != nil || o.Title != "成果 7（修订）" || o.Version != 2 || o.Status != market.ListingPublished || o.Field != "energy_storage" {
				t.Errorf("updated outcome = %+v, %v", o, err)
			}
			evs, _ := tx.ObjectEvents(market.OutcomeObjectType, o.ID, 10)
			if len(evs) != 2 || evs[1].Type != market.EventOutcomeUpdated {
				t.Errorf("events of the updated outcome = %+v", evs)
			}
			return nil
		})
	})
}

// TestImportAllOrNothingChangesNothing: a CSV with a broken line is refused
// whole, naming the line and the field.
func TestImportAllOrNothingChangesNothing(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		svc := listingService(db)
		orgID := listingOrg(t, db, 42, market.OrgUniversity, "上海市")
		csv := "external_id,title,trl,price_min,price_max\nC1,好的一行,5,100,200\nC2,价格颠倒,5,300,200\nC3,\"unterminated,5\n"
		_, err := svc.ImportOutcomes(context.Background(), market.SystemActor, orgID, strings.NewReader(csv), market.ImportCSV,
			market.ImportOptions{AllOrNothing: true})
		e, _ := err.(*market.Error)
		if e == nil || e.Code != market.EINVALID || len(e.Fields) < 2 || e.Fields[0].Field != "line" && e.Fields[0].Field != "price_min" {
			t.Fatalf("refusal = %+v", err)
		}
		if !strings.Contains(fmt.Sprint(e.Fields), "line 3") {
			t.Errorf("the price line is not named: %+v", e.Fields)
		}
		if rows := outcomeRows(t, db, orgID); len(rows) != 0 {
			t.Fatalf("refused import left %d outcomes", len(rows))
		}
	})
}

// TestListingServiceLifeCycleOnBothEngines drives an outcome through review
// with optimistic versions, and seeds the demo listings.
func TestListingServiceLifeCycleOnBothEngines(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		svc := listingService(db)
		ctx := context.Background()
		ids := map[string]string{}
		for i, k := range []struct{ key, kind string }{{"hju", market.OrgUniversity}, {"eco", market.OrgUniversity},
			{"yam", market.OrgInstitute}, {"newcore", market.OrgEnterprise}, {"greensource", market.OrgEnterprise},
			{"smartforge", market.OrgEnterprise}, {"pudongbureau", market.OrgPublicBody}} {
			ids[k.key] = listingOrg(t, db, 50+i, k.kind, "上海市")
		}
		n, err := demo.SeedListings(ctx, svc, ids)
		if err != nil {
			t.Fatal(err)
		}
		if n.Outcomes < 20 || n.Scenarios < 8 || n.Proposals != 4 {
			t.Fatalf("demo = %+v", n)
		}
		pub, err := svc.Outcomes(ctx, market.Actor{}, market.OutcomeFilter{Limit: 100})
		if err != nil || pub.Total != n.Outcomes {
			t.Fatalf("public sees %d of %d demo outcomes: %v", pub.Total, n.Outcomes, err)
		}
		teasers := 0
		for _, o := range pub.Items {
			if o.Confidential() {
				teasers++
				if o.Description != "" {
					t.Errorf("public list shows the details of confidential %s", o.ExternalID)
				}
			}
		}
		if teasers == 0 {
			t.Error("the demo has no confidential outcome")
		}
		// Two reviewers race to publish the same submission: one wins, one gets 409.
		o, err := svc.CreateOutcome(ctx, market.SystemActor, ids["hju"], market.OutcomeInput{Title: "竞争发布"})
		if err != nil {
			t.Fatal(err)
		}
		owner := market.Actor{AccountID: "acc-owner", Memberships: []market.Membership{{OrgID: ids["hju"], Role: market.MemberOwner}}}
		reviewer := market.Actor{AccountID: "acc-rev", PlatformRole: market.RoleReviewer}
		if _, err := svc.TransitionOutcome(ctx, owner, o.ID, 1, market.SubmitListing, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.TransitionOutcome(ctx, reviewer, o.ID, 2, market.PublishListing, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.TransitionOutcome(ctx, reviewer, o.ID, 2, market.RejectListing, "late"); market.ErrorCode(err) != market.ECONFLICT {
			t.Fatalf("stale reject: %v, want conflict", err)
		}
		hist, err := svc.OutcomeHistory(ctx, owner, o.ID)
		if err != nil || len(hist) != 3 || hist[2].Type != "outcome.published" || hist[2].ObjectType != "outcome" {
			t.Fatalf("history = %+v, %v", hist, err)
		}
		if _, err := svc.OutcomeHistory(ctx, market.Actor{AccountID: "stranger"}, o.ID); market.ErrorCode(err) != market.EFORBIDDEN {
			t.Fatalf("stranger history: %v", err)
		}
	})
}
