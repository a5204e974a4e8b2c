package main

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"techbridge/market"
	"techbridge/market/testenv"
)

// screenshotsVar names a directory to write the end-to-end test's page
// screenshots to, for a person to look at; unset, none are taken.
const screenshotsVar = "TECHBRIDGE_E2E_SCREENSHOTS"

// TestE2EFirstVisit runs the real serve command and drives headless
// Chromium through what a new user does first: register, log in, create
// an organisation (after one refused attempt), switch language, log out.
func TestE2EFirstVisit(t *testing.T) {
	chromium := findChromium(t)
	base := startServe(t, "--database-url=", "--redis-url=", "--meili-url=")
	firstVisit(t, newBrowser(t, chromium), base)
}

// firstVisit is the journey of TestE2EFirstVisit against the site at base.
func firstVisit(t *testing.T, ctx context.Context, base string) {

	email := "e2e-" + strings.ToLower(market.NewID()[:8]) + "@example.edu.cn"
	first17 := "12310000MB0E2E001"
	check := market.CreditCodeCheckChar(first17)
	code, badCode := first17+string(check), first17+string(check^1) // any other last character is wrong

	// Home: says what the place is and offers to register.
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+"/"))
	if err != nil {
		t.Fatalf("open the home page: %v", err)
	}
	if res.Status != 200 || !strings.HasPrefix(res.MimeType, "text/html") {
		t.Fatalf("home page: status %d, %s; want the web pages mounted at / by serve", res.Status, res.MimeType)
	}
	step(t, ctx, "see the home page", chromedp.WaitVisible(chromedp.CSS(".hero h1")))
	screenshot(t, ctx, "home")
	lang := value(t, ctx, chromedp.AttributeValue(chromedp.CSS("html"), "lang")).Value
	wantText(t, ctx, ".hero h1", map[string]string{"en": "Where research finds its use", "zh-CN": "让科技成果找到用武之地"}[lang])

	// Register from the home page's call to action.
	step(t, ctx, "register",
		clickAndLoad(chromedp.CSS(`.hero a[href="/register"]`)),
		chromedp.WaitVisible(chromedp.ID("f-display_name")),
		chromedp.SendKeys(chromedp.ID("f-display_name"), "E2E Tester"),
		chromedp.SendKeys(chromedp.ID("f-email"), email),
		chromedp.SendKeys(chromedp.ID("f-password"), "a long enough password"),
		clickAndLoad(chromedp.CSS(`form[action="/register"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	// Logged in at once, on the settings page, asked to verify the email.
	wantPath(t, ctx, "/account")
	wantText(t, ctx, ".notice", map[string]string{"en": "Check your mail", "zh-CN": "请查收邮件"}[lang])
	wantText(t, ctx, ".verify-banner", map[string]string{"en": "not verified", "zh-CN": "尚未验证"}[lang])

	// The organisation page is open to the new account.
	step(t, ctx, "open the organisation page",
		chromedp.Navigate(base+"/my/organizations"),
		chromedp.WaitVisible(chromedp.ID("f-kind")))
	wantPath(t, ctx, "/my/organizations")
	wantText(t, ctx, ".who", "E2E Tester")

	// A wrong credit code comes back next to its field, the rest kept.
	step(t, ctx, "submit an organisation with a bad credit code",
		chromedp.SetValue(chromedp.ID("f-kind"), "university"),
		chromedp.SendKeys(chromedp.ID("f-name_zh"), "端到端大学"),
		chromedp.SendKeys(chromedp.ID("f-name_en"), "End-to-End University"),
		chromedp.SendKeys(chromedp.ID("f-region"), "上海市 / 张江科学城"),
		chromedp.SendKeys(chromedp.ID("f-credit_code"), badCode),
		clickAndLoad(chromedp.CSS(`form[action="/my/organizations"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("f-credit_code-error")))
	if got := value(t, ctx, chromedp.Value(chromedp.ID("f-name_en"))); got != "End-to-End University" {
		t.Errorf("after the refusal name_en = %q; the input was lost", got)
	}
	screenshot(t, ctx, "organization-error")

	step(t, ctx, "create the organisation",
		chromedp.SetValue(chromedp.ID("f-credit_code"), code),
		clickAndLoad(chromedp.CSS(`form[action="/my/organizations"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("article.org")))
	wantText(t, ctx, "article.org", "End-to-End University")
	wantText(t, ctx, "article.org", code)
	wantText(t, ctx, "article.org", email)
	screenshot(t, ctx, "organization")

	// The header switch turns the same page into the other language.
	other := map[string]string{"en": "zh-CN", "zh-CN": "en"}[lang]
	step(t, ctx, "switch language",
		clickAndLoad(chromedp.CSS(".lang-switch")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="`+other+`"] article.org`)))
	wantPath(t, ctx, "/my/organizations")
	wantText(t, ctx, "article.org", map[string]string{"en": "Awaiting verification", "zh-CN": "待认证"}[other])
	screenshot(t, ctx, "organization-"+other)

	// Log out: back home, and the organisation page asks for a login.
	step(t, ctx, "log out",
		chromedp.Click(chromedp.CSS(".account-menu summary")), // logging out is in the account menu
		clickAndLoad(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".hero"))) // only the home page has it
	wantText(t, ctx, ".notice", map[string]string{"en": "You have logged out", "zh-CN": "你已退出登录"}[other])
	wantPath(t, ctx, "/")
	step(t, ctx, "open the organisation page logged out",
		chromedp.Navigate(base+"/my/organizations"),
		chromedp.WaitVisible(chromedp.ID("f-password")))
	wantPath(t, ctx, "/login")
}

// findChromium returns the Chromium binary, or skips (fails under
// TECHBRIDGE_TEST_REQUIRE_ALL=1) when there is none.
func findChromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testenv.Missing(t, "Chromium not found (apt-get install -y chromium): the browser end-to-end test needs it")
	return ""
}

// newBrowser starts headless Chromium with a fresh profile, closed when the
// test ends; every step must finish within the test's two minutes.
func newBrowser(t *testing.T, path string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true), // tests run as root in containers
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // small /dev/shm in containers
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancel()
	})
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return bctx
}

// clickAndLoad clicks a link or a submit button and waits until the page
// it leads to has loaded, so later queries never see the old document.
func clickAndLoad(sel chromedp.CSS) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(sel))(ctx, t)
		return err
	})
}

// step runs actions that return nothing, failing the test with the page's
// location when one does not complete.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("%s: %v (page: %s)", what, err, loc)
	}
}

// value runs one action and returns its value.
func value[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// wantPath checks the path of the page shown, ignoring the query.
func wantPath(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	loc := value(t, ctx, chromedp.Location())
	if u, err := url.Parse(loc); err != nil || u.Path != want {
		t.Errorf("page is %s, want path %s", loc, want)
	}
}

// wantText checks that the element shows text.
func wantText(t *testing.T, ctx context.Context, css, text string) {
	t.Helper()
	got := value(t, ctx, chromedp.Text(chromedp.CSS(css)))
	if !strings.Contains(got, text) {
		t.Errorf("%s shows %q, want it to contain %q", css, got, text)
	}
}

// screenshot saves the whole page as name.png when TECHBRIDGE_E2E_SCREENSHOTS
// names a directory.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv(screenshotsVar)
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
