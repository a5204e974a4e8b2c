package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"techbridge/market"
	"techbridge/market/sqlstore"
)

// TestE2EStatisticsShowARegisteredContract runs the real serve: a
// contract registered by the registry (its event appended as the
// registration workflow appends it) reaches the commission's statistics
// page through serve's own consumer, in the chart and in the table, in a
// browser with no scripts needed.
func TestE2EStatisticsShowARegisteredContract(t *testing.T) {
	chromium := findChromium(t)
	dir := t.TempDir()
	base := startServe(t, "--data-dir", dir, "--database-url=", "--redis-url=", "--meili-url=")
	db, err := sqlstore.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := market.NewService(db)
	newE2EMarket(t, svc, "e2e-commission@techbridge.test")
	err = db.Update(context.Background(), func(tx market.Tx) error {
		e := market.NewEvent(market.StatsEventContractRegistered, "registrar", market.DealObjectType, "e2e-deal",
			market.StatsContractRegistered{ContractType: market.ContractTransfer, SubType: "patent_transfer", TechField: "new_energy",
				IPType: market.IPInventionPatent, BuyerRegion: "110108", SellerRegion: "310115", BuyerKind: market.OrgEnterprise,
				SellerKind: market.OrgUniversity, Currency: "CNY", TotalAmount: 8_800_000_00, TechnicalIncome: 8_000_000_00,
				RegistrationNumber: "3101152026000042", RegisteredOn: time.Now().UTC().Format(time.DateOnly)}, time.Now())
		return tx.AppendEvent(&e)
	})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, chromium)
	dealLogin(t, b, base, "e2e-commission@techbridge.test")
	// serve's consumer runs every few seconds: reload until it has counted
	var row string
	for range 40 {
		step(t, b, "open the statistics",
			chromedp.Navigate(base+"/commission/statistics?field=new_energy"),
			chromedp.WaitVisible(chromedp.ID("chart-contracts_type")))
		row = value(t, b, chromedp.Text(chromedp.CSS(`#chart-contracts_type tbody`)))
		if strings.Contains(row, "Transfer") {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if !strings.Contains(row, "Transfer") || !strings.Contains(row, "CNY 8,800,000.00") || !strings.Contains(row, "CNY 8,000,000.00") {
		t.Fatalf("the table of contracts by type shows %q", row)
	}
	if svg := value(t, b, chromedp.TextContent(chromedp.CSS(`#chart-contracts_type svg`))); !strings.Contains(svg, "Transfer") {
		t.Errorf("the chart's text is %q, want the Transfer bar", svg)
	}
	bar := value(t, b, chromedp.AttributeValue(chromedp.CSS(`#chart-contracts_type svg rect`), "width"))
	if !bar.Exists || bar.Value == "0" || bar.Value == "1" {
		t.Errorf("the chart's bar has width %q", bar.Value)
	}
	wantText(t, b, `#chart-contracts_region tbody`, "310000")
	screenshot(t, b, "commission-statistics")
}
