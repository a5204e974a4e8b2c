package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"techbridge/market"
)

// TestBrowsePagesAreNumbered: /outcomes?page=2 shows the second page's
// listings with numbered links and the current page marked, in zh and en;
// a filter without a kept count numbers the pages known to exist; a page
// past the cap is refused with a readable message and a way back.
func TestBrowsePagesAreNumbered(t *testing.T) {
	w := newListingWorld(t)
	trl := 5
	for i := range 45 {
		w.publishedOutcome(t, market.OutcomeInput{Title: fmt.Sprintf("Paged outcome %02d", i), Summary: "Paging",
			Field: "energy_storage", TRL: &trl})
	}
	all, err := w.svc.Outcomes(context.Background(), w.reviewer, market.OutcomeFilter{Status: market.ListingPublished, Limit: 100})
	if err != nil || len(all.Items) != 45 {
		t.Fatalf("%d outcomes, %v", len(all.Items), err)
	}
	second := all.Items[browsePageSize : 2*browsePageSize]
	onPage := func(p *page, want []market.Outcome) {
		t.Helper()
		if n := strings.Count(p.body, `class="listing-card outcome-card"`); n != len(want) {
			t.Errorf("%d cards, want %d", n, len(want))
		}
		for _, o := range want {
			if !p.has(`data-id="` + o.ID + `"`) {
				t.Errorf("%q is not on the page", o.Title)
			}
		}
	}
	current := `<span class="page current" aria-current="page">2</span>`
	links := []string{current, `<a class="page" href="/outcomes?page=1">1</a>`, `<a class="page" href="/outcomes?page=3">3</a>`,
		`rel="prev" href="/outcomes?page=1"`, `rel="next" href="/outcomes?page=3"`}

	en := w.as("")
	p := en.get("/outcomes?page=2")
	onPage(p, second)
	for _, want := range append(links, "45 listed", "Page 2 of 3", ">Previous<", ">Next<") {
		if !p.has(want) {
			t.Errorf("en page 2 lacks %q", want)
		}
	}
	zh := w.browser() // no Accept-Language: zh
	p = zh.get("/outcomes?page=2")
	onPage(p, second)
	for _, want := range append(links, "共 45 条", "第 2 / 3 页", ">上一页<", ">下一页<") {
		if !p.has(want) {
			t.Errorf("zh page 2 lacks %q", want)
		}
	}
	onPage(en.get("/outcomes?page=3"), all.Items[2*browsePageSize:])

	// field and TRL together have no kept count: page 1 knows of page 2
	// only, and says "more than"; the last page counts them all.
	p = en.get("/outcomes?field=energy_storage&trl_min=5")
	if !p.has("more than 20 listed") || !p.has(`href="/outcomes?field=energy_storage&amp;page=2&amp;trl_min=5"`) ||
		p.has("page=3") || !p.has(`rel="next"`) {
		t.Errorf("uncounted page 1:\n%s", p.body)
	}
	p = en.get("/outcomes?field=energy_storage&trl_min=5&page=3")
	if !p.has("45 listed") || p.has(`rel="next"`) || !p.has(`<span class="page current" aria-current="page">3</span>`) {
		t.Errorf("uncounted last page:\n%s", p.body)
	}

	// Past the cap: a message in the page's language and a link to the last page.
	p = en.get(fmt.Sprintf("/outcomes?page=%d", browseMaxPages+1))
	if p.status != http.StatusBadRequest || !p.has(fmt.Sprintf("Pages are numbered up to page %d", browseMaxPages)) ||
		!p.has(fmt.Sprintf(`href="/outcomes?page=%d"`, browseMaxPages)) || p.has("outcome-card") {
		t.Errorf("en past the cap: %d\n%s", p.status, p.body)
	}
	p = zh.get("/scenarios?page=10000&kind=demand")
	if p.status != http.StatusBadRequest || !p.has(fmt.Sprintf("列表只编到第 %d 页", browseMaxPages)) ||
		!p.has(fmt.Sprintf(`href="/scenarios?kind=demand&amp;page=%d"`, browseMaxPages)) {
		t.Errorf("zh scenarios past the cap: %d\n%s", p.status, p.body)
	}
}

// TestBrowsePagesStopAtTheCap: a total beyond the numbered pages numbers
// browseMaxPages of them and says the rest need filters.
func TestBrowsePagesStopAtTheCap(t *testing.T) {
	var p browsePage
	p.browsePages("/outcomes", url.Values{}, browseMaxPages, 100_000, true, browsePageSize, true)
	if !p.Capped || p.Pages != browseMaxPages || p.NextHref != "" || !p.Exact || p.Total != 100_000 {
		t.Errorf("capped: %+v", p)
	}
	p = browsePage{}
	p.browsePages("/outcomes", url.Values{}, 1, 30, true, browsePageSize, true)
	if p.Capped || p.Pages != 2 {
		t.Errorf("two pages: %+v", p)
	}
}
