package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"techbridge/market"
)

// TestBrowseSortControl: /outcomes and /scenarios carry a labelled sort
// select (zh and en) in a form of its own that sends the filters again and
// no page; the chosen order changes the cards' order, the pager and the
// filter form keep it, and an unknown order is a readable 400.
func TestBrowseSortControl(t *testing.T) {
	w := newListingWorld(t)
	for i := range 25 {
		trl := 1 + i%9
		w.publishedOutcome(t, market.OutcomeInput{Title: fmt.Sprintf("Sorted outcome %02d", i), Summary: "Sorting",
			Field: "energy_storage", TRL: &trl})
	}
	want, err := w.svc.Outcomes(context.Background(), w.reviewer, market.OutcomeFilter{Status: market.ListingPublished,
		Sort: market.SortTRLDesc, Limit: browsePageSize})
	if err != nil || len(want.Items) != browsePageSize || want.Items[0].TRL != 9 {
		t.Fatalf("trl_desc page: %d items, %v", len(want.Items), err)
	}
	// cardOrder is the data-id of each card, in page order.
	cardOrder := func(p *page) []string {
		var ids []string
		for _, part := range strings.Split(p.body, `class="listing-card outcome-card" data-id="`)[1:] {
			ids = append(ids, part[:strings.IndexByte(part, '"')])
		}
		return ids
	}

	en := w.as("")
	p := en.get("/outcomes?sort=trl_desc")
	got := cardOrder(p)
	if len(got) != len(want.Items) {
		t.Fatalf("%d cards, want %d", len(got), len(want.Items))
	}
	for i, o := range want.Items {
		if got[i] != o.ID {
			t.Fatalf("card %d is %s, want %s (TRL %d)", i, got[i], o.ID, o.TRL)
		}
	}
	if newest := cardOrder(en.get("/outcomes")); newest[0] == got[0] {
		t.Error("the order did not change with the sort")
	}
	for _, s := range []string{`<label for="browse-sort">Sort by</label>`, `<select id="browse-sort" name="sort">`,
		`<option value="trl_desc" selected>Readiness (TRL), highest first</option>`, `<option value="price_asc">Price, low to high</option>`,
		`<option value="price_desc">Price, high to low</option>`, `<option value="newest">Newest</option>`, `>Sort</button>`,
		`href="/outcomes?page=2&amp;sort=trl_desc"`,          // the pager keeps the order
		`<input type="hidden" name="sort" value="trl_desc">`, // so does the filter form
	} {
		if !p.has(s) {
			t.Errorf("en sorted page lacks %s", s)
		}
	}
	// The sort form sends the filters again, and no page.
	p = en.get("/outcomes?field=energy_storage&trl_min=2&page=2&sort=price_desc")
	form := p.body[strings.Index(p.body, `<form class="browse-sort"`):]
	form = form[:strings.Index(form, "</form>")]
	if !strings.Contains(form, `<input type="hidden" name="field" value="energy_storage">`) ||
		!strings.Contains(form, `<input type="hidden" name="trl_min" value="2">`) || strings.Contains(form, `name="page"`) ||
		!strings.Contains(form, `<option value="price_desc" selected>`) {
		t.Errorf("sort form:\n%s", form)
	}
	zh := w.browser()
	p = zh.get("/outcomes?sort=trl_desc")
	for _, s := range []string{`<label for="browse-sort">排序</label>`, `<option value="trl_desc" selected>成熟度从高到低</option>`,
		`<option value="price_asc">价格从低到高</option>`, `<option value="newest">最新发布</option>`} {
		if !p.has(s) {
			t.Errorf("zh sorted page lacks %s", s)
		}
	}
	// The default order keeps links plain.
	if p := en.get("/outcomes?sort=newest"); p.has("sort=newest") || !p.has(`<option value="newest" selected>`) {
		t.Errorf("newest is not the plain default:\n%s", p.body)
	}

	// Scenarios have their own orders.
	p = zh.get("/scenarios")
	for _, s := range []string{`<option value="deadline_asc">截止日期最近的在前</option>`, `<option value="budget_desc">预算从高到低</option>`} {
		if !p.has(s) {
			t.Errorf("zh scenarios lack %s", s)
		}
	}
	if p.has(`value="trl_desc"`) {
		t.Error("scenarios offer an outcome order")
	}
	if p := en.get("/scenarios?sort=deadline_asc&kind=demand"); p.status != http.StatusOK || !p.has(`<option value="deadline_asc" selected>Deadline, soonest first</option>`) {
		t.Errorf("scenarios by deadline: %d", p.status)
	}

	// An order the page does not offer: a message, not a 500.
	for _, c := range []struct {
		b         *browser
		path, msg string
	}{{en, "/outcomes?sort=best", "That order is not offered"}, {zh, "/scenarios?sort=trl_desc", "不支持这种排序方式"}} {
		p := c.b.get(c.path)
		if p.status != http.StatusBadRequest || !p.has(c.msg) || !p.has(`<select id="browse-sort" name="sort">`) || p.has("listing-card") {
			t.Errorf("%s: %d\n%s", c.path, p.status, p.body)
		}
	}
}
