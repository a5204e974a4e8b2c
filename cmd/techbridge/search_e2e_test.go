package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/search"
	"techbridge/search/bleve"
	"techbridge/web"
)

// TestE2ESearchFromHome runs the real serve command, publishes an outcome
// and a scenario straight into its database (the indexer in serve picks
// them up from the event log) and drives Chromium: search from the home
// page, see the highlighted hit, open who needs it, describe a need in the
// home page's box, and open the hit.
func TestE2ESearchFromHome(t *testing.T) {
	chromium := findChromium(t)
	dir := t.TempDir()
	base := startServe(t, "--data-dir", dir, "--database-url=", "--redis-url=", "--meili-url=")
	if res, err := http.Get(base + "/search"); err != nil || res.StatusCode != http.StatusOK {
		code := 0
		if res != nil {
			code = res.StatusCode
			res.Body.Close()
		}
		t.Fatalf("serve answers GET /search with %d (%v); want the web pages with web.Config.Matcher set", code, err)
	}
	db, err := sqlstore.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	m := seedSearchMarket(t, market.NewService(db))
	waitSearchable(t, base, m.outcomeTitle)
	searchJourney(t, newBrowser(t, chromium), base, m)
}

// TestE2ESearchFromHomeOnPages is the same journey on the web pages alone
// (store, index, indexer and pages in the test), so it runs whatever serve
// wires.
func TestE2ESearchFromHomeOnPages(t *testing.T) {
	chromium := findChromium(t)
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	eng, err := bleve.Open("", search.StoreSource{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	svc := market.NewService(db)
	m := seedSearchMarket(t, svc)
	if _, err := (&search.Indexer{Store: db, Engine: eng, Log: slog.New(slog.DiscardHandler)}).CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	pages, err := web.New(web.Config{Service: svc, Matcher: &search.Matcher{Search: &search.Service{Engine: eng}, Market: svc}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(pages)
	t.Cleanup(srv.Close)
	searchJourney(t, newBrowser(t, chromium), srv.URL, m)
}

// searchMarket is what the journey looks for.
type searchMarket struct {
	outcomeID, outcomeTitle   string
	scenarioID, scenarioTitle string
}

// seedSearchMarket publishes a university's outcome and an enterprise's
// scenario that match each other.
func seedSearchMarket(t *testing.T, svc *market.Service) searchMarket {
	t.Helper()
	m := newE2EMarket(t, svc, "e2e-admin@techbridge.test")
	uniOwner, uni := m.orgOwner("e2e-uni@example.edu.cn", market.OrgUniversity, "端到端大学", "12310000MB0E2E002")
	entOwner, ent := m.orgOwner("e2e-ent@example.com", market.OrgEnterprise, "端到端汽车", "91310000MA1E2E003")
	trl := 6
	o := m.publishOutcome(uniOwner, uni.ID, market.OutcomeInput{Title: "退役动力锂电池回收与梯次利用技术",
		Summary: "动力电池自动拆解、检测分选与梯次利用", Keywords: []string{"动力电池", "梯次利用"}, Field: "energy_storage",
		IPC: []string{"H01M 10/54"}, TRL: &trl, Price: market.Money{Min: 50_000_000, Max: 80_000_000, Currency: "CNY"}})
	s := m.publishScenario(entOwner, ent.ID, market.ScenarioInput{Title: "新能源汽车退役动力电池梯次利用",
		Description: "需要自动拆解与梯次利用方案。", Field: "energy_storage", Keywords: []string{"动力电池", "梯次利用"}, MinTRL: 5,
		Budget: market.Money{Max: 100_000_000, Currency: "CNY"}, Region: "上海市"})
	return searchMarket{outcomeID: o.ID, outcomeTitle: o.Title, scenarioID: s.ID, scenarioTitle: s.Title}
}

// waitSearchable waits until the API's search finds title, i.e. serve's
// indexer has followed the event log that far.
func waitSearchable(t *testing.T, base, title string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	hc := apiHTTP(t, base)
	for time.Now().Before(deadline) {
		res, err := hc.Get(base + "/api/v1/search?q=" + url.QueryEscape(title))
		if err == nil {
			var body struct{ Total int }
			json.NewDecoder(res.Body).Decode(&body)
			res.Body.Close()
			if body.Total > 0 {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("serve's search did not find %q within 20 s", title)
}

// searchJourney is the browser's part, against the site at base.
func searchJourney(t *testing.T, ctx context.Context, base string, m searchMarket) {
	step(t, ctx, "open the home page", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("home-q")))
	lang := value(t, ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang")).Value
	zh := lang != "en"

	step(t, ctx, "search from the home page",
		chromedp.SendKeys(chromedp.ID("home-q"), "梯次利用"),
		chromedp.Click(chromedp.CSS(`form[action="/search"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("li.hit")))
	wantPath(t, ctx, "/search")
	wantText(t, ctx, "li.hit h3", m.outcomeTitle)
	wantText(t, ctx, "li.hit h3 mark", "梯次利用")
	screenshot(t, ctx, "search")

	step(t, ctx, "see who needs the outcome",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/outcomes/%s/matches"]`, m.outcomeID))),
		chromedp.WaitVisible(chromedp.CSS("li.match")))
	wantPath(t, ctx, "/outcomes/"+m.outcomeID+"/matches")
	wantText(t, ctx, "li.match h3", m.scenarioTitle)
	wantText(t, ctx, "li.match .reasons", map[bool]string{true: "文本匹配", false: "Text matches"}[zh])
	screenshot(t, ctx, "who-needs")

	step(t, ctx, "describe a need on the home page",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("home-need")),
		chromedp.SendKeys(chromedp.ID("home-need"), "我们要把退役动力电池自动拆解并梯次利用"),
		chromedp.Click(chromedp.CSS(`form[action="/match"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("li.match")))
	wantPath(t, ctx, "/match")
	wantText(t, ctx, "li.match h3", m.outcomeTitle)
	wantText(t, ctx, "li.match .reasons", "梯次利用")
	screenshot(t, ctx, "need")

	step(t, ctx, "open the hit", chromedp.Click(chromedp.CSS("li.match a.hit-link")), chromedp.WaitReady(chromedp.CSS("main")))
	wantPath(t, ctx, "/outcomes/"+m.outcomeID)
	wantText(t, ctx, "main h1", m.outcomeTitle)
	screenshot(t, ctx, "hit")
}
