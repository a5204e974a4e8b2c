package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestE2EErrorPage (issue 15, page problem 1) drives a refused outcome form
// and a refused inquiry in Chinese in headless Chromium at 1280 and 390 px:
// the summary at the top links to the fields, each error sits next to its
// field in the Chinese of its code, and every error is red as the browser
// computes it, on the listing form and on the deal pages alike.
func TestE2EErrorPage(t *testing.T) {
	chromium := findChromium(t)
	base, outcome := serveDealMarket(t)
	ctx := newBrowser(t, chromium)
	dealLogin(t, ctx, base, "e2e-seller@example.edu.cn")

	for _, width := range []int64{1280, 390} {
		step(t, ctx, "refuse an outcome form",
			chromedp.EmulateViewport(width, 900),
			chromedp.Navigate(base+"/lang/zh?next=/outcomes/new"),
			chromedp.WaitVisible(chromedp.ID("f-title")),
			chromedp.SetValue(chromedp.ID("f-price_min"), "500000"),
			chromedp.SetValue(chromedp.ID("f-price_max"), "300000"),
			clickAndLoad(chromedp.CSS(`form[action="/outcomes"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".error-summary")))
		wantText(t, ctx, ".error-summary", "不能高于报价上限")
		wantText(t, ctx, "#f-price_min-error", "不能高于报价上限")
		if got := value(t, ctx, chromedp.Value(chromedp.ID("f-price_min"))); got != "500000" {
			t.Errorf("the price input came back as %q", got)
		}
		wantRedErrors(t, ctx, "the outcome form")
		if width == 390 {
			// Nothing wider than the screen: the summary wraps.
			if value(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)) {
				t.Error("the error page scrolls sideways at 390 px")
			}
		}
		screenshot(t, ctx, "error-outcome-form-zh-"+map[int64]string{1280: "1280", 390: "390"}[width])
	}

	// The deal pages load no listing stylesheet; their errors are red too.
	buyer := newBrowser(t, chromium)
	dealLogin(t, buyer, base, "e2e-buyer@example.com")
	step(t, buyer, "refuse an empty inquiry",
		chromedp.Navigate(base+"/lang/zh?next="+"/deals/new%3Foutcome%3D"+outcome),
		chromedp.WaitVisible(chromedp.ID("f-message")),
		clickAndLoad(chromedp.CSS(`form[action="/deals"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")))
	wantRedErrors(t, buyer, "the inquiry form")
	screenshot(t, buyer, "error-inquiry-zh-1280")
}

// wantRedErrors checks that the browser draws every field error and the
// summary's links in the error red (#b42318), whatever card they sit in.
func wantRedErrors(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	colours := value(t, ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('.field-error, .error-summary-list a')].map(e => getComputedStyle(e).color)`))
	if len(colours) == 0 {
		t.Fatalf("%s shows no errors", where)
	}
	for _, c := range colours {
		if strings.ReplaceAll(c, " ", "") != "rgb(180,35,24)" {
			t.Errorf("%s draws an error in %s, not red", where, c)
		}
	}
}
