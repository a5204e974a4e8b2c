package main

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"techbridge/market"
	"techbridge/market/sqlstore"
)

// TestE2EDealToSignatures runs the real serve command with a published
// outcome in its database and drives two browser sessions, the buyer's and
// the seller's: inquiry, offer, counter-offer, accept, and both signatures
// on the same contract hash.
func TestE2EDealToSignatures(t *testing.T) {
	chromium := findChromium(t)
	base, outcome := serveDealMarket(t)
	// The second browser starts after the first has loaded a page; started
	// together, the first one's navigation stalled here.
	buyer := newBrowser(t, chromium)
	dealLogin(t, buyer, base, "e2e-buyer@example.com")
	seller := newBrowser(t, chromium)
	dealLogin(t, seller, base, "e2e-seller@example.edu.cn")

	// The buyer inquires from the outcome.
	step(t, buyer, "open the inquiry form",
		chromedp.Navigate(base+"/deals/new?outcome="+outcome),
		chromedp.WaitVisible(chromedp.ID("f-message")),
		chromedp.SendKeys(chromedp.ID("f-message"), "我们希望了解技术许可条件"),
		clickAndLoad(chromedp.CSS(`form[action="/deals"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.deal-state[data-state="inquiry"]`)))
	loc := value(t, buyer, chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil || !strings.HasPrefix(u.Path, "/deals/") {
		t.Fatalf("after the inquiry the buyer is at %s", loc)
	}
	room := base + u.Path
	screenshot(t, buyer, "deal-inquiry")

	// The seller accepts and makes the first offer.
	step(t, seller, "accept the inquiry",
		chromedp.Navigate(room),
		chromedp.WaitVisible(chromedp.CSS("form.act-accept")),
		clickAndLoad(chromedp.CSS("form.act-accept button")),
		chromedp.WaitVisible(chromedp.CSS(`.deal-state[data-state="negotiation"]`)))
	due1, due2 := futureDay(1), futureDay(3)
	step(t, seller, "make an offer",
		chromedp.Click(chromedp.CSS(".deal-offers details.form-section > summary")), // the offer form is folded
		chromedp.WaitVisible(chromedp.ID("o-price")),
		chromedp.SetValue(chromedp.ID("o-contract_type"), "development"),
		chromedp.SetValue(chromedp.ID("o-price"), "1000"),
		chromedp.SetValue(chromedp.ID("o-m0-title"), "样机"),
		chromedp.SetValue(chromedp.ID("o-m0-deliverable"), "prototype and test report"),
		chromedp.SetValue(chromedp.ID("o-m0-amount"), "400"),
		chromedp.SetValue(chromedp.ID("o-m0-due"), due1),
		chromedp.SetValue(chromedp.ID("o-m1-title"), "验收"),
		chromedp.SetValue(chromedp.ID("o-m1-deliverable"), "final acceptance"),
		chromedp.SetValue(chromedp.ID("o-m1-amount"), "600"),
		chromedp.SetValue(chromedp.ID("o-m1-due"), due2),
		chromedp.SetValue(chromedp.ID("o-sub_type"), "commissioned"),
		chromedp.SetValue(chromedp.ID("o-tech_field"), "new_energy"),
		chromedp.SetValue(chromedp.ID("o-valid_from"), due1),
		chromedp.SetValue(chromedp.ID("o-valid_until"), due2),
		chromedp.SetValue(chromedp.ID("o-signing_place"), "上海市"),
		chromedp.SetValue(chromedp.ID("o-socio_economic_goal"), "energy"),
		clickAndLoad(chromedp.CSS("form.act-propose button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("th.offer-1")))

	// The buyer counters from the prefilled form: a lower price.
	step(t, buyer, "counter the offer",
		chromedp.Navigate(room),
		chromedp.WaitVisible(chromedp.CSS("th.offer-1")),
		chromedp.Click(chromedp.CSS(".deal-offers details.form-section > summary")),
		chromedp.WaitVisible(chromedp.ID("o-price")),
		chromedp.SetValue(chromedp.ID("o-price"), "900"),
		chromedp.SetValue(chromedp.ID("o-m1-amount"), "500"),
		clickAndLoad(chromedp.CSS("form.act-propose button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("th.offer-2")),
		chromedp.WaitVisible(chromedp.CSS("td.changed")))
	screenshot(t, buyer, "deal-counter-offer")

	// The seller accepts the counter-offer: the contract is drafted.
	step(t, seller, "accept the counter-offer",
		chromedp.Navigate(room),
		chromedp.WaitVisible(chromedp.CSS("form.act-accept-offer")),
		clickAndLoad(chromedp.CSS("form.act-accept-offer button")),
		chromedp.WaitVisible(chromedp.CSS(".contract-hash")))
	// People compare the contract's short fingerprint, not its raw hash.
	hash := strings.TrimSpace(value(t, seller, chromedp.Text(chromedp.CSS(".contract-hash"))))
	if len(hash) != len("0000 0000 0000 0000") {
		t.Fatalf("contract fingerprint %q", hash)
	}
	step(t, seller, "sign as the seller",
		clickAndLoad(chromedp.CSS("form.act-sign button")),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	screenshot(t, seller, "deal-seller-signed")

	// The buyer sees the same hash and signs: the deal is signed.
	step(t, buyer, "open the drafted contract",
		chromedp.Navigate(room),
		chromedp.WaitVisible(chromedp.CSS("form.act-sign")))
	if got := strings.TrimSpace(value(t, buyer, chromedp.Text(chromedp.CSS(".contract-hash")))); got != hash {
		t.Fatalf("the buyer is shown hash %s, the seller signed %s", got, hash)
	}
	step(t, buyer, "sign as the buyer",
		clickAndLoad(chromedp.CSS("form.act-sign button")),
		chromedp.WaitVisible(chromedp.CSS(`.deal-state[data-state="signed"]`)),
		chromedp.WaitVisible(chromedp.CSS(".deal-milestones")))
	screenshot(t, buyer, "deal-signed")
	step(t, buyer, "open the registration page",
		clickAndLoad(chromedp.CSS("a.registration-link")),
		chromedp.WaitVisible(chromedp.CSS(".registration-total")))
	wantText(t, buyer, ".registration-total", "CNY 900.00")

	// The printable contract reads as a contract at a laptop's width and a
	// phone's: nothing wider than the screen, the fingerprint labelled.
	for _, width := range []int64{1280, 390} {
		step(t, buyer, "open the printable contract", chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(room+"/contract"),
			chromedp.WaitVisible(chromedp.CSS(".contract-signatures .signed")))
		wantText(t, buyer, ".fingerprint", hash)
		if over := value(t, buyer, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`)); over {
			t.Errorf("the contract is wider than a %d px screen", width)
		}
		screenshot(t, buyer, "contract-"+strconv.FormatInt(width, 10))
	}
}

// futureDay is a due date months ahead, as a date input takes it.
func futureDay(months int) string {
	return time.Now().UTC().AddDate(0, months, 0).Format(time.DateOnly)
}

// dealLogin logs a browser in through the login page.
func dealLogin(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	pageLogin(t, ctx, base, email, "correct horse battery")
}

// pageLogin logs a browser in through the login page with password.
func pageLogin(t *testing.T, ctx context.Context, base, email, password string) {
	t.Helper()
	step(t, ctx, "log in as "+email,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("f-email")),
		chromedp.SendKeys(chromedp.ID("f-email"), email),
		chromedp.SendKeys(chromedp.ID("f-password"), password),
		clickAndLoad(chromedp.CSS(`form[action="/login"] button[type=submit]`)))
}

// serveDealMarket runs the serve command over a fresh SQLite data dir
// seeded by seedDealMarket; it returns the base URL and the outcome's id.
func serveDealMarket(t *testing.T) (base, outcome string) {
	t.Helper()
	dir := t.TempDir()
	base = startServe(t, "--data-dir", dir, "--database-url=", "--redis-url=", "--meili-url=")
	db, err := sqlstore.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return base, seedDealMarket(t, market.NewService(db))
}

// seedDealMarket publishes a university's outcome and registers an
// enterprise to buy it; it returns the outcome's id.
func seedDealMarket(t *testing.T, svc *market.Service) string {
	t.Helper()
	m := newE2EMarket(t, svc, "e2e-deal-admin@techbridge.test")
	uniOwner, uni := m.orgOwner("e2e-seller@example.edu.cn", market.OrgUniversity, "端到端大学", "12310000MB0E2E101")
	m.orgOwner("e2e-buyer@example.com", market.OrgEnterprise, "端到端新能源", "91310000MA1E2E102")
	trl := 6
	return m.publishOutcome(uniOwner, uni.ID, market.OutcomeInput{Title: "固态电池隔膜涂覆工艺",
		Summary: "隔膜陶瓷涂覆与在线检测", TRL: &trl}).ID
}
