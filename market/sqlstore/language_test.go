package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestListingLanguagesAreDetectedStoredAndEditable: a listing records its
// languages (detected from its text when the owner states none, editable),
// and a bilingual one its title and summary in the other language, on both
// engines (issue 17).
func TestListingLanguagesAreDetectedStoredAndEditable(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		svc := listingService(db)
		org := listingOrg(t, db, 71, market.OrgUniversity, "上海市")
		o, err := svc.CreateOutcome(ctx, market.SystemActor, org, market.OutcomeInput{Title: "Low-temperature electrolyte additive",
			Summary: "Keeps lithium-ion cells above 80% capacity at -30 °C."})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(o.Languages, []string{market.LangEN}) {
			t.Fatalf("detected languages %v, want [en]", o.Languages)
		}
		in := market.OutcomeInput{Title: o.Title, Summary: o.Summary,
			Bilingual: market.Bilingual{TitleAlt: "低温电解液添加剂", SummaryAlt: "使锂离子电池在零下30度保持80%容量。"}}
		if o, err = svc.UpdateOutcome(ctx, market.SystemActor, o.ID, o.Version, in); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Outcome(ctx, market.SystemActor, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Languages, []string{market.LangZH, market.LangEN}) || got.TitleAlt != "低温电解液添加剂" || got.SummaryAlt == "" {
			t.Fatalf("bilingual outcome stored as %v %q %q", got.Languages, got.TitleAlt, got.SummaryAlt)
		}
		in.Languages = []string{"en"}
		if o, err = svc.UpdateOutcome(ctx, market.SystemActor, o.ID, o.Version, in); err != nil || !slices.Equal(o.Languages, []string{"en"}) {
			t.Fatalf("stated languages: %v, %v", o.Languages, err)
		}
		in.Languages = []string{"fr"}
		if _, err = svc.UpdateOutcome(ctx, market.SystemActor, o.ID, o.Version, in); market.ErrorCode(err) != market.EINVALID {
			t.Fatalf("languages [fr]: %v, want EINVALID", err)
		}
		ent := listingOrg(t, db, 72, market.OrgEnterprise, "上海市")
		sc, err := svc.CreateScenario(ctx, market.SystemActor, ent, market.ScenarioInput{Title: "寻求低温电池电解液技术", Field: "energy_storage",
			Description: "需要在零下30度工作的电解液。", Bilingual: market.Bilingual{TitleAlt: "Seeking low-temperature electrolytes"}})
		if err != nil {
			t.Fatal(err)
		}
		sg, err := svc.Scenario(ctx, market.SystemActor, sc.ID)
		if err != nil || !slices.Equal(sg.Languages, []string{market.LangZH, market.LangEN}) || sg.TitleAlt != "Seeking low-temperature electrolytes" {
			t.Fatalf("bilingual scenario stored as %+v, %v", sg.Bilingual, err)
		}
	})
}
