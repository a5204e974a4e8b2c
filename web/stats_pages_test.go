package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"techbridge/market"
)

// registeredContract appends the registry's event for a contract, as the
// registration workflow does, and runs the statistics consumer.
func registeredContract(t *testing.T, svc *market.Service, dealID string, p market.StatsContractRegistered) {
	t.Helper()
	err := svc.Store.Update(context.Background(), func(tx market.Tx) error {
		e := market.NewEvent(market.EventContractRegistered, "registrar", market.DealObjectType, dealID, p, svc.Now())
		return tx.AppendEvent(&e)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := (&market.StatsConsumer{Store: svc.Store}).CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func sampleRegistration() market.StatsContractRegistered {
	return market.StatsContractRegistered{ContractType: market.ContractLicence, SubType: "ordinary_licence", TechField: "new_energy",
		IPType: market.IPInventionPatent, SocioEconomicGoal: "industry", BuyerRegion: "110108", SellerRegion: "310115",
		BuyerKind: market.OrgEnterprise, SellerKind: market.OrgUniversity, Currency: "CNY", TotalAmount: 1_234_567_00,
		TechnicalIncome: 1_000_000_00, RegistrationNumber: "3101152026000001", RegisteredOn: "2026-12-01", SignedOn: "2026-11-20"}
}

// TestStatisticsPages: views counted without a write per request and
// deduplicated per visitor; the owner's dashboard shows its funnel; the
// public market page its figures; the commission's page (admins only)
// a registered contract in chart and table; downloads in CSV with a BOM
// and XLSX that excelize reads back; others are refused.
func TestStatisticsPages(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	s.svc.Views = &market.ViewCounter{}
	seller := s.dealParty("seller@x.cn", market.OrgUniversity, "00101")
	o := s.publishedOutcome(t, "seller@x.cn", "固态电池电解质")
	buyer := s.dealParty("buyer@x.cn", market.OrgEnterprise, "00102")

	anon := s.browser()
	for range 2 { // one visitor twice, another once: two visitors, three loads
		anon.get("/outcomes/" + o.ID)
	}
	buyer.header.Set("User-Agent", "another browser")
	buyer.get("/outcomes/" + o.ID)
	var events int64
	s.svc.Store.Read(ctx, func(tx market.Tx) (err error) { events, err = tx.LastEventSeq(); return err })
	if _, err := (&market.StatsConsumer{Store: s.svc.Store}).CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	var funnelRows int
	s.svc.Store.Read(ctx, func(tx market.Tx) error {
		f, err := tx.StatsFunnel(market.ScopeListing, o.ID, time.Time{}, time.Now().AddDate(1, 0, 0))
		funnelRows = len(f)
		return err
	})
	if funnelRows != 0 {
		t.Fatal("views were written before the flush")
	}
	if err := s.svc.Views.Flush(ctx, s.svc.Store); err != nil {
		t.Fatal(err)
	}

	p := seller.get("/dashboard")
	if p.status != 200 || !p.has(`id="chart-funnel_org"`) || !p.has("<svg") || !p.has("固态电池电解质") {
		t.Fatalf("seller's dashboard: %d\n%s", p.status, p.body)
	}
	if !p.has(`<th scope="row">访客</th><td class="num">2</td>`) || !p.has(`<th scope="row">详情浏览</th><td class="num">3</td>`) {
		t.Errorf("seller's funnel lacks 2 visitors and 3 detail views:\n%s", p.body)
	}
	if p := seller.get("/commission/statistics"); p.status != 403 {
		t.Errorf("a member reads the commission's statistics: %d", p.status)
	}
	if p := seller.get("/statistics/contracts_field.csv"); p.status != 403 {
		t.Errorf("a member downloads a commission table: %d", p.status)
	}
	org := s.actor("seller@x.cn").Memberships[0].OrgID
	if p := buyer.get("/statistics/funnel_org.csv?scope=org&id=" + org); p.status != 403 {
		t.Errorf("another organisation downloads the seller's funnel: %d", p.status)
	}
	if p := seller.get("/statistics/funnel_org.csv?scope=org&id=" + org); p.status != 200 || !strings.Contains(p.body, "访客,2") {
		t.Errorf("the seller's funnel download: %d\n%s", p.status, p.body)
	}

	registeredContract(t, s.svc, "deal-1", sampleRegistration())
	m := s.browser().get("/market")
	if m.status != 200 || !m.has(`id="hl-supply">1<`) || !m.has(`id="hl-contracts">1<`) || !m.has(`id="chart-contracts_type"`) {
		t.Fatalf("market page: %d\n%s", m.status, m.body)
	}
	if p := s.browser().get("/statistics/contracts_type.csv"); p.status != 200 || !strings.HasPrefix(p.body, "\ufeff") {
		t.Errorf("public table download: %d %q", p.status, p.body[:min(20, len(p.body))])
	}

	admin := s.browser()
	if p := admin.login("a@x.cn", testPassword); p.path != "/dashboard" || !p.has(`href="/commission/statistics"`) ||
		!p.has(`id="chart-funnel_all"`) || p.has(`action="/my/organizations"`) {
		t.Errorf("the admin lands on %s, without the commission's dashboard:\n%s", p.path, p.body)
	}
	a := admin.get("/commission/statistics")
	if a.status != 200 || !a.has(`id="chart-contracts_type"`) || !a.has(">技术许可</th><td class=\"num\">1</td><td class=\"num\">¥1,234,567.00</td><td class=\"num\">¥1,000,000.00</td>") {
		t.Fatalf("commission page lacks the registered contract:\n%s", a.body)
	}
	if !strings.Contains(a.body, `<title>登记合同：按合同类型</title><text x="144" y="15" text-anchor="end">技术许可</text>`) {
		t.Errorf("the contracts chart lacks the licence bar")
	}
	if a := admin.get("/commission/statistics?field=biomedicine"); a.status != 200 || a.has(">技术许可</th>") {
		t.Errorf("filtered by another field the contract still shows: %d", a.status)
	}
	if a := admin.get("/commission/statistics?region=" + url.QueryEscape("310000") + "&field=new_energy"); !a.has(">技术许可</th>") {
		t.Errorf("filtered by its field and region the contract is missing")
	}
	if a := admin.get("/commission/statistics?from=2020-13-01"); a.status != 400 && a.status != 422 {
		t.Errorf("a bad date: %d", a.status)
	}

	admin.get("/lang/en")
	csvPage := admin.get("/statistics/contracts_type.csv")
	if !strings.HasPrefix(csvPage.body, "\ufeffCategory,Count,Contract value (CNY),Technical income (CNY)\r\nLicence,1,1234567.00,1000000.00") &&
		!strings.HasPrefix(csvPage.body, "\ufeffCategory,Count,Contract value (CNY),Technical income (CNY)\nLicence,1,1234567.00,1000000.00") {
		t.Errorf("CSV download: %q", csvPage.body)
	}
	x := admin.get("/statistics/contracts_type.xlsx")
	f, err := excelize.OpenReader(strings.NewReader(x.body))
	if err != nil {
		t.Fatalf("XLSX: %v", err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) != 2 || rows[1][0] != "Licence" || rows[1][1] != "1" || rows[1][2] != "1234567" {
		t.Errorf("XLSX rows: %v %v", rows, err)
	}
	if events == 0 {
		t.Fatal("no events")
	}
}
