package api

import (
	"context"
	"maps"
	"testing"

	"techbridge/market"
)

// statsPolicies: the market's figures and public tables are anyone's,
// the commission's tables the admins' (and registrars'), an
// organisation's funnel its members' and the commission's.
var statsPolicies = map[string]routePolicy{
	"GET /api/v1/stats/market":     {path: fixed("/api/v1/stats/market"), anon: Allow, mem: Allow, other: Allow, admin: Allow},
	"GET /api/v1/stats/tables/:id": {path: fixed("/api/v1/stats/tables/contracts_field"), anon: Deny, mem: Deny, other: Deny, admin: Allow},
	"GET /api/v1/stats/funnel": {path: func(w *world) string { return "/api/v1/stats/funnel?scope=org&id=" + w.orgA.ID },
		anon: Deny, mem: Allow, other: Deny, admin: Allow},
}

func init() { maps.Copy(policies, statsPolicies) }

// TestStatsAPI: a registered contract (the registry's event, counted by
// the consumer) shows in the market figures and the tables; filters are
// checked; a public table is anyone's; unknown tables are 404.
func TestStatsAPI(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var before marketStatsResponse // answers are kept until the consumer moves on: this one must not be served after
	w.e.expect(w.e.do("GET", "/api/v1/stats/market", "", nil), 200).json(&before)
	if before.Headline.Contracts365d != 0 {
		t.Fatalf("contracts before any: %+v", before.Headline)
	}
	err := w.e.svc.Store.Update(ctx, func(tx market.Tx) error {
		e := market.NewEvent(market.EventContractRegistered, "registrar", market.DealObjectType, "deal-1",
			market.StatsContractRegistered{ContractType: "licence", TechField: "new_energy", SellerRegion: "310115",
				Currency: "CNY", TotalAmount: 500_000_00, TechnicalIncome: 400_000_00}, w.e.svc.Now())
		return tx.AppendEvent(&e)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&market.StatsConsumer{Store: w.e.svc.Store}).CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	var m marketStatsResponse
	w.e.expect(w.e.do("GET", "/api/v1/stats/market", "", nil), 200).json(&m)
	if m.Headline.Contracts365d != 1 || m.Headline.ContractAmount != 500_000_00 || m.Headline.TechnicalIncome != 400_000_00 || len(m.Tables) != len(market.PublicStatTables) {
		t.Errorf("market stats: %+v", m.Headline)
	}
	var tb market.StatTable
	w.e.expect(w.e.do("GET", "/api/v1/stats/tables/contracts_region?field=new_energy&region=310000", w.admin.AccessToken, nil), 200).json(&tb)
	if len(tb.Rows) != 1 || tb.Rows[0].Label != "310000" || tb.Rows[0].Values[0] != 1 || tb.Rows[0].Values[1] != 500_000_00 {
		t.Errorf("contracts by region: %+v", tb)
	}
	w.e.expect(w.e.do("GET", "/api/v1/stats/tables/contracts_region?field=biomedicine", w.admin.AccessToken, nil), 200).json(&tb)
	if len(tb.Rows) != 0 {
		t.Errorf("another field's slice shows the contract: %+v", tb.Rows)
	}
	w.e.expect(w.e.do("GET", "/api/v1/stats/tables/contracts_type", "", nil), 200).json(&tb)
	if len(tb.Rows) != 1 || tb.Rows[0].Label != "licence" {
		t.Errorf("public contracts by type: %+v", tb)
	}
	w.e.expect(w.e.do("GET", "/api/v1/stats/tables/nonsense", w.admin.AccessToken, nil), 404).problem()
	w.e.expect(w.e.do("GET", "/api/v1/stats/tables/contracts_type?from=2026-13-01", "", nil), 400).problem()
	w.e.expect(w.e.do("GET", "/api/v1/stats/funnel?scope=galaxy", w.admin.AccessToken, nil), 400).problem()
	w.e.expect(w.e.do("GET", "/api/v1/stats/funnel?scope=all", w.member.AccessToken, nil), 403).problem()
	w.e.expect(w.e.do("GET", "/api/v1/stats/funnel?scope=all", w.admin.AccessToken, nil), 200).json(&tb)
	if tb.ID != "funnel_all" || len(tb.Rows) != len(market.FunnelSteps) {
		t.Errorf("market funnel: %+v", tb)
	}
	w.e.expect(w.e.do("GET", "/api/v1/stats/funnel?scope=listing&id=unknown", w.admin.AccessToken, nil), 404).problem()
}
