package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// walkRole is one demo login and the pages it walks; a path "deal" stands
// for its first deal's room.
type walkRole struct {
	name, email string
	paths       []string
}

// TestE2EWalkRolesLanguagesWidths runs serve --demo and walks the pages as
// each role (and as a visitor) in zh and en at 1280 and 390 px: no page is
// wider than the window, at 390 px the search facets are folded below a
// toggle, and the deal room puts the visitor's next step before the offers.
// With TECHBRIDGE_E2E_SCREENSHOTS set, every page is saved to be looked at.
func TestE2EWalkRolesLanguagesWidths(t *testing.T) {
	chromium := findChromium(t)
	base := startServe(t, "--demo", "--database-url=", "--redis-url=", "--meili-url=")
	roles := []walkRole{
		{"visitor", "", []string{"/", "/search?q=" + "电池", "/outcomes", "/outcomes?sort=price_desc", "/scenarios", "/brokers", "org:broker"}},
		{"university", "chen.lab@hju.demo.cn", []string{"/my/listings", "/deals", "deal", "/notifications", "/my/organizations"}},
		{"enterprise", "cto@newcore.demo.cn", []string{"/deals", "deal", "/my/listings", "/notifications"}},
		{"intermediary", "broker@shencheng.demo.cn", []string{"/deals", "deal", "/my/finance"}},
		{"reviewer", "reviewer@demo.techbridge.cn", []string{"/review"}},
		{"admin", demoAdminEmail, []string{"/admin/organizations", "/admin/payouts"}},
	}
	for _, role := range roles {
		ctx := newBrowser(t, chromium)
		if role.email != "" {
			step(t, ctx, "log in as "+role.email,
				chromedp.Navigate(base+"/login"),
				chromedp.WaitVisible(chromedp.ID("f-email")),
				chromedp.SendKeys(chromedp.ID("f-email"), role.email),
				chromedp.SendKeys(chromedp.ID("f-password"), demoPassword),
				clickAndLoad(chromedp.CSS(`form[action="/login"] button[type=submit]`)))
		}
		for _, lang := range []string{"zh", "en"} {
			step(t, ctx, "switch to "+lang, chromedp.Navigate(base+"/lang/"+lang))
			for _, width := range []int64{1280, 390} {
				step(t, ctx, "resize", chromedp.EmulateViewport(width, 900))
				for _, path := range role.paths {
					path = resolveWalkPath(t, ctx, base, path)
					step(t, ctx, "open "+path, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main")))
					wide := value(t, ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
					if wide {
						t.Errorf("%s %s %dpx: %s is wider than the window", role.name, lang, width, path)
					}
					if strings.HasPrefix(path, "/search") {
						folded := value(t, ctx, chromedp.Evaluate[bool](`!document.querySelector("details.fold-narrow.facets").open && document.querySelector(".hits") !== null`))
						shown := value(t, ctx, chromedp.Evaluate[bool](`document.querySelector("details.facets aside").checkVisibility({contentVisibilityAuto: true})`))
						if !folded || shown != (width > 760) {
							t.Errorf("search %s %dpx: facets folded %v, shown %v", lang, width, folded, shown)
						}
					}
					if path == "/outcomes" || path == "/scenarios" {
						browseSort(t, ctx, path, lang, width)
					}
					if strings.HasPrefix(path, "/deals/") {
						order := value(t, ctx, chromedp.Evaluate[bool](`(() => { const n = document.querySelector(".next-step"), o = document.querySelector(".deal-offers");
							return !n || !!(n.compareDocumentPosition(o) & Node.DOCUMENT_POSITION_FOLLOWING) })()`))
						if !order {
							t.Errorf("deal room %s: the next step is below the offers", path)
						}
					}
					screens(t, ctx, fmt.Sprintf("walk-%s-%s-%d-%s", role.name, lang, width, walkName(path)))
					if strings.HasPrefix(path, "/deals/") && role.name == "enterprise" {
						// Cancelling asks first on a page of its own; "No" changes nothing.
						step(t, ctx, "ask to cancel",
							chromedp.Click(chromedp.CSS("details.deal-cancel > summary")),
							clickAndLoad(chromedp.CSS("form.act-cancel button")),
							chromedp.WaitVisible(chromedp.CSS(`[data-confirm="deal.cancel"]`)))
						screens(t, ctx, fmt.Sprintf("walk-%s-%s-%d-confirm-cancel", role.name, lang, width))
						step(t, ctx, "go back", clickAndLoad(chromedp.CSS(".confirm-form a.button")),
							chromedp.WaitVisible(chromedp.CSS(`.deal-state:not([data-state="cancelled"])`)))
					}
				}
			}
		}
	}
}

// browseSort checks the browse page's sort control: it fits the window,
// and choosing an order and pressing its button (a plain GET form, no
// script) loads the first page in that order, the choice kept.
func browseSort(t *testing.T, ctx context.Context, path, lang string, width int64) {
	t.Helper()
	fits := value(t, ctx, chromedp.Evaluate[bool](`(() => { const f = document.querySelector("form.browse-sort");
		if (!f) return false; const r = f.getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth && r.width > 0 })()`))
	if !fits {
		t.Errorf("%s %s %dpx: the sort control is missing or wider than the window", path, lang, width)
	}
	order := "price_asc"
	if path == "/scenarios" {
		order = "deadline_asc"
	}
	step(t, ctx, "sort "+path, chromedp.SetValue(chromedp.ID("browse-sort"), order),
		clickAndLoad(chromedp.CSS("form.browse-sort button[type=submit]")), chromedp.WaitVisible(chromedp.CSS("main")))
	loc := value(t, ctx, chromedp.Location())
	kept := value(t, ctx, chromedp.Evaluate[string](`document.getElementById("browse-sort").value`))
	if !strings.Contains(loc, "sort="+order) || strings.Contains(loc, "page=") || kept != order {
		t.Errorf("%s %s %dpx: sorting went to %s with %q chosen", path, lang, width, loc, kept)
	}
	screens(t, ctx, fmt.Sprintf("walk-sorted-%s-%d-%s", lang, width, walkName(path)))
}

// resolveWalkPath turns "deal" into the role's first deal room and
// "org:broker" into the first broker's profile.
func resolveWalkPath(t *testing.T, ctx context.Context, base, path string) string {
	t.Helper()
	var list, sel string
	switch path {
	case "deal":
		list, sel = "/deals", `a[href^="/deals/"]`
	case "org:broker":
		list, sel = "/brokers", `a[href^="/orgs/"]`
	default:
		return path
	}
	step(t, ctx, "open "+list, chromedp.Navigate(base+list), chromedp.WaitVisible(chromedp.CSS("main")))
	href := value(t, ctx, chromedp.Evaluate[string](`(document.querySelector('main `+sel+`') || {getAttribute: () => ""}).getAttribute("href")`))
	if href == "" {
		t.Fatalf("no %s link on %s", sel, list)
	}
	return href
}

// walkName makes a path fit a file name.
func walkName(path string) string {
	r := strings.NewReplacer("/", "_", "?", "_", "=", "_", "&", "_")
	name := strings.Trim(r.Replace(path), "_")
	if name == "" {
		name = "home"
	}
	if len(name) > 40 {
		name = name[:40]
	}
	return name
}

// screens saves the page as screen-sized pictures from the top (at most
// four), which can be read at their size, where a full-page picture of a
// long page at 390 px cannot.
func screens(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv(screenshotsVar)
	if dir == "" {
		return
	}
	height := value(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollHeight`))
	for i, y := 0, 0; i < 4 && y < height; i, y = i+1, y+900 {
		step(t, ctx, "scroll", chromedp.Evaluate[chromedp.Void](fmt.Sprintf("window.scrollTo(0, %d)", y)))
		png := value(t, ctx, chromedp.CaptureScreenshot())
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, i)), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
