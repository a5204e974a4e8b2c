package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"techbridge/market"
	"techbridge/market/ledger"
)

// wantRegisteredInStatistics: a contract the registry has just registered
// reaches the commission's statistics page through serve's own consumer,
// in the chart and in the table of contracts by type (the page in
// English, the browser's language), with no scripts needed. The registrar
// is of the commission, so the registrar's browser reads the page.
func wantRegisteredInStatistics(t *testing.T, ctx context.Context, base string, rec market.RegistrationRecord) {
	t.Helper()
	label := map[string]string{market.ContractDevelopment: "Development", market.ContractTransfer: "Transfer",
		market.ContractLicence: "Licence", market.ContractConsulting: "Consulting", market.ContractService: "Service"}[rec.ContractType]
	amount := ledger.Format(rec.TotalAmount, "CNY", "en")
	var row string
	for range 40 { // serve's consumer runs every few seconds: reload until it has counted
		step(t, ctx, "open the statistics",
			chromedp.Navigate(base+"/commission/statistics"),
			chromedp.WaitVisible(chromedp.ID("chart-contracts_type")))
		row = value(t, ctx, chromedp.Text(chromedp.CSS(`#chart-contracts_type tbody`)))
		if strings.Contains(row, label) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if !strings.Contains(row, label+"\t1\t"+amount) {
		t.Fatalf("the table of contracts by type shows %q, want %s 1 %s", row, label, amount)
	}
	if svg := value(t, ctx, chromedp.TextContent(chromedp.CSS(`#chart-contracts_type svg`))); !strings.Contains(svg, label) {
		t.Errorf("the chart's text is %q, want the %s bar", svg, label)
	}
	bar := value(t, ctx, chromedp.AttributeValue(chromedp.CSS(`#chart-contracts_type svg rect`), "width"))
	if !bar.Exists || bar.Value == "0" || bar.Value == "1" {
		t.Errorf("the chart's bar has width %q", bar.Value)
	}
	screenshot(t, ctx, "commission-statistics")
}
