package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"techbridge/market"
)

// TestE2EOutcomeListedReviewedPublished runs the real serve command on the
// demo market and drives three browsers: a university member lists an
// outcome (after one refused attempt) and submits it, a reviewer publishes
// it from the review queue, and an anonymous visitor finds it on the
// public browse page. The member's bulk import is checked on the way.
func TestE2EOutcomeListedReviewedPublished(t *testing.T) {
	chromium := findChromium(t)
	base := startServe(t, "--database-url=", "--redis-url=", "--meili-url=", "--demo")
	title := "E2E 钙钛矿组件封装工艺 " + strings.ToLower(market.NewID()[len(market.NewID())-6:])

	login := func(ctx context.Context, email string) {
		t.Helper()
		pageLogin(t, ctx, base, email, demoPassword)
	}

	// The university member lists an outcome; a bad price comes back in place.
	member := newBrowser(t, chromium)
	login(member, "chen.lab@hju.demo.cn")
	step(t, member, "open the outcome form",
		chromedp.Navigate(base+"/outcomes/new"),
		chromedp.WaitVisible(chromedp.ID("f-title")),
		chromedp.SendKeys(chromedp.ID("f-title"), title),
		chromedp.SendKeys(chromedp.ID("f-summary"), "低温封装，湿热老化 1000 小时后效率保持 95%"),
		chromedp.SendKeys(chromedp.ID("f-description"), "适用于柔性钙钛矿光伏组件的低温层压封装工艺。"),
		chromedp.SendKeys(chromedp.ID("f-keywords"), "钙钛矿, 封装, 光伏"),
		chromedp.SetValue(chromedp.ID("f-field"), "new_energy"),
		chromedp.SendKeys(chromedp.ID("f-ipc"), "H10K 50/84"),
		chromedp.SetValue(chromedp.ID("f-trl"), "5"),
		chromedp.Click(chromedp.ID("f-transfer_modes-exclusive_licence")),
		chromedp.SendKeys(chromedp.ID("f-price_min"), "三十万"),
		chromedp.SendKeys(chromedp.ID("f-price_max"), "600000"),
		clickAndLoad(chromedp.CSS(`form[action="/outcomes"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("f-price_min-error")))
	if got := value(t, member, chromedp.Value(chromedp.ID("f-title"))); got != title {
		t.Errorf("after the refusal the title is %q; the input was lost", got)
	}
	screenshot(t, member, "outcome-form-error")
	step(t, member, "fix the price and save the draft",
		chromedp.SetValue(chromedp.ID("f-price_min"), "300000"),
		clickAndLoad(chromedp.CSS(`form[action="/outcomes"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-status="draft"]`)))
	loc := value(t, member, chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil || !strings.HasPrefix(u.Path, "/outcomes/") {
		t.Fatalf("after saving the member is at %s", loc)
	}
	id := strings.TrimPrefix(u.Path, "/outcomes/")
	wantText(t, member, "h1", title)
	screenshot(t, member, "outcome-draft")
	step(t, member, "submit for review",
		clickAndLoad(chromedp.CSS("form.act-submit button")),
		chromedp.WaitVisible(chromedp.CSS(`[data-status="pending_review"]`)))

	// The reviewer publishes it from the queue.
	reviewer := newBrowser(t, chromium)
	login(reviewer, "reviewer@demo.techbridge.cn")
	item := `li.review-item[data-id="` + id + `"]`
	step(t, reviewer, "open the review queue",
		chromedp.Navigate(base+"/review"),
		chromedp.WaitVisible(chromedp.CSS(item)))
	wantText(t, reviewer, item, title)
	screenshot(t, reviewer, "review-queue")
	step(t, reviewer, "publish",
		clickAndLoad(chromedp.CSS(item+" form.act-publish button")),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	wantPath(t, reviewer, "/review")

	// Anyone now finds it on the browse page and opens it.
	visitor := newBrowser(t, chromium)
	card := `li.outcome-card[data-id="` + id + `"]`
	step(t, visitor, "browse outcomes",
		chromedp.Navigate(base+"/outcomes"),
		chromedp.WaitVisible(chromedp.CSS(card)))
	screenshot(t, visitor, "outcomes-browse")
	step(t, visitor, "open the outcome",
		clickAndLoad(chromedp.CSS(card+" h2 a")),
		chromedp.WaitVisible(chromedp.CSS(".facts-card")))
	wantPath(t, visitor, "/outcomes/"+id)
	wantMoney(t, visitor, ".facts-card", "CNY 300,000.00–600,000.00", "¥300,000.00–600,000.00")
	wantText(t, visitor, ".facts-card", "H10K 50/84")
	screenshot(t, visitor, "outcome-public")
	step(t, visitor, "browse scenarios",
		chromedp.Navigate(base+"/scenarios"),
		chromedp.WaitVisible(chromedp.CSS("li.scenario-card")))
	screenshot(t, visitor, "scenarios-browse")
	step(t, visitor, "open a scenario",
		clickAndLoad(chromedp.CSS("li.scenario-card h2 a")),
		chromedp.WaitVisible(chromedp.CSS(".facts-card")))
	screenshot(t, visitor, "scenario-public")

	// The member's listings show it published; a bulk import reports by line.
	step(t, member, "open my listings",
		chromedp.Navigate(base+"/my/listings"),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-id="`+id+`"] .status-published`)))
	screenshot(t, member, "my-listings")
	file := filepath.Join(t.TempDir(), "outcomes.jsonl")
	lines := `{"external_id":"E2E-1","title":"微流控芯片快速检测","ipc":["B01L 3/00"],"trl":4}
{"external_id":"E2E-2","title":"","trl":12}
`
	if err := os.WriteFile(file, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	step(t, member, "import a file",
		chromedp.Navigate(base+"/my/import"),
		chromedp.WaitVisible(chromedp.ID("f-file")),
		chromedp.SetUploadFiles(chromedp.ID("f-file"), []string{file}),
		clickAndLoad(chromedp.CSS(`form[action="/my/import"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".import-report")))
	wantText(t, member, ".count-created", "1")
	wantText(t, member, ".count-failed", "1")
	wantText(t, member, ".import-errors", "E2E-2")
	screenshot(t, member, "import-report")

	// The member answers a published scenario with a free proposal.
	step(t, member, "answer a scenario",
		chromedp.Navigate(base+"/scenarios"),
		chromedp.WaitVisible(chromedp.CSS("li.scenario-card")),
		clickAndLoad(chromedp.CSS("li.scenario-card h2 a")),
		clickAndLoad(chromedp.CSS("a.answer-link")),
		chromedp.WaitVisible(chromedp.ID("f-summary")),
		chromedp.SendKeys(chromedp.ID("f-title"), "E2E 快速检测方案"),
		chromedp.SendKeys(chromedp.ID("f-summary"), "三个月内完成样机，现场验证后交付。"),
		chromedp.SendKeys(chromedp.ID("f-price_min"), "200000"))
	screenshot(t, member, "proposal-form")
	step(t, member, "submit the proposal",
		clickAndLoad(chromedp.CSS(`form.listing-form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
}
