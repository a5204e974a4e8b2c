package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/search"
)

// TestInquiryOnConfidentialOutcomeWithoutNDA: the inquiry page says before
// anything is typed that the owner has published no NDA, and offers no
// form; once the NDA is published the form is there.
func TestInquiryOnConfidentialOutcomeWithoutNDA(t *testing.T) {
	w := newListingWorld(t)
	o := w.publishedOutcome(t, market.OutcomeInput{Title: "Secret anode", Summary: "s", Description: "d",
		Confidentiality: market.ConfidentialityTeaser})
	ent := w.as("ent@example.com")
	p := ent.get("/deals/new?outcome=" + o.ID)
	if p.status != 200 || p.has(`action="/deals"`) || !p.has("has not published an NDA") {
		t.Fatalf("inquiry page without an NDA: %d, form %v\n%s", p.status, p.has(`action="/deals"`), p.body)
	}
	if _, err := w.svc.PublishNDA(context.Background(), w.uniActor, w.uni.ID, "NDA text"); err != nil {
		t.Fatal(err)
	}
	if p := ent.get("/deals/new?outcome=" + o.ID); !p.has(`action="/deals"`) || p.has("has not published an NDA") {
		t.Fatalf("inquiry page with an NDA lacks the form")
	}
}

// TestNotificationsInReadersLanguage: a notification shows only the
// reader's language, not both.
func TestNotificationsInReadersLanguage(t *testing.T) {
	w := newListingWorld(t)
	o := w.publishedOutcome(t, market.OutcomeInput{Title: "Fast-charge anode", Summary: "s"})
	if _, err := w.svc.OpenDealOnOutcome(context.Background(), w.entAct, w.ent.ID, o.ID, "hello"); err != nil {
		t.Fatal(err)
	}
	uni := w.as("uni@example.edu.cn")
	if p := uni.get("/notifications"); !p.has("New inquiry: Fast-charge anode") || p.has("新的洽谈请求") {
		t.Fatalf("en notifications:\n%s", p.body)
	}
	uni.header.Set("Accept-Language", "zh-CN")
	if p := uni.get("/notifications"); !p.has("新的洽谈请求：Fast-charge anode") || p.has("New inquiry") {
		t.Fatalf("zh notifications:\n%s", p.body)
	}
}

// TestSearchShowsOrgNamesInReadersLanguage: an organisation with an
// English name is named in English to English readers and in Chinese to
// Chinese readers; one without falls back to the name it has.
func TestSearchShowsOrgNamesInReadersLanguage(t *testing.T) {
	docs := pageDocs()
	docs[0].OrgNameEN = "Tongji University"
	s := newSearchSite(t, docs...)
	b := s.browser()
	b.header.Set("Accept-Language", "en")
	p := b.get("/search?q=" + url.QueryEscape("电池回收"))
	if !p.has("Tongji University") || p.has("同济大学") || !p.has("有色金属研究院") {
		t.Fatalf("en search page names:\n%s", p.body)
	}
	b.header.Set("Accept-Language", "zh-CN")
	if p := b.get("/search?q=" + url.QueryEscape("电池回收")); !p.has("同济大学") || p.has("Tongji University") {
		t.Fatal("zh search page shows the English name")
	}
}

// TestDestructiveActionsConfirmOnASecondPage: cancelling a deal and
// closing a listing first show a page that says what will happen (with the
// reason typed) and change nothing; only its "Yes" acts; "No" leads back.
func TestDestructiveActionsConfirmOnASecondPage(t *testing.T) {
	w := newListingWorld(t)
	ctx := context.Background()
	o, room := w.inquiry(t)
	ent := w.as("ent@example.com")
	ent.get(room)
	p := ent.submit(room+"/act", url.Values{"action": {"cancel"}, "reason": {"budget moved"}})
	if !p.has(`data-confirm="deal.cancel"`) || !p.has("Cancel this deal?") || !p.has("budget moved") || !p.has(`href="`+room+`"`) {
		t.Fatalf("cancel without a confirmation page:\n%s", p.body)
	}
	if v, _ := w.svc.Deal(ctx, w.entAct, strings.TrimPrefix(room, "/deals/")); v.Deal.State != market.DealInquiry {
		t.Fatalf("the first click changed the deal: %s", v.Deal.State)
	}
	if p := ent.confirm(); !p.has(`data-state="cancelled"`) {
		t.Fatalf("after confirming: %s", p.path)
	}

	uni := w.as("uni@example.edu.cn")
	p = uni.get("/outcomes/" + o.ID)
	p = uni.submit("/outcomes/"+o.ID+"/act", url.Values{"action": {"close"}, "version": {p.version(t)}})
	if !p.has(`data-confirm="listing.close"`) || !p.has("Close this listing?") {
		t.Fatalf("close without a confirmation page:\n%s", p.body)
	}
	if got, _ := w.svc.Outcome(ctx, w.uniActor, o.ID); got.Status != market.ListingPublished {
		t.Fatalf("the first click closed it: %s", got.Status)
	}
	uni.confirm()
	if got, _ := w.svc.Outcome(ctx, w.uniActor, o.ID); got.Status != market.ListingClosed {
		t.Fatalf("after confirming: %s", got.Status)
	}
	// Non-destructive actions still act at once.
	for _, f := range []url.Values{{"action": {"accept_offer"}}, {"action": {"respond_intermediary"}, "accept": {"yes"}}} {
		if dealDestructive(f) != "" {
			t.Errorf("%v asks for a confirmation", f)
		}
	}
	for _, f := range []url.Values{{"action": {"decline"}}, {"action": {"reject_offer"}}, {"action": {"agree_fee"}, "agree": {"no"}}} {
		if dealDestructive(f) == "" {
			t.Errorf("%v acts without a confirmation", f)
		}
	}
}

// TestBrokersByNameAndJoinRequests: the invite form chooses a broker by
// name from the directory (no organisation id to paste); a broker given
// the deal's link asks to join, sees nothing of the deal, and takes part
// once both parties took it on; the directory and the public profiles show
// the brokers with their listings and track records.
func TestBrokersByNameAndJoinRequests(t *testing.T) {
	w := newListingWorld(t)
	_, broker := w.member(t, "broker@tto.cn", market.OrgIntermediary, "浦江技术转移中心", "Pujiang Transfer Office", "10101")
	o, room := w.inquiry(t)
	ent := w.as("ent@example.com")
	p := ent.get(room)
	if !p.has(`<select id="f-org_id" name="org_id"><option value="`+broker.ID+`">Pujiang Transfer Office`) || p.has(`name="org_id" type="text"`) {
		t.Fatalf("the invite form does not offer the broker by name:\n%s", p.body)
	}
	if !p.has(room + "/join</code>") {
		t.Fatal("the room does not give the link a broker can ask to join with")
	}

	// The broker asks to join through the shared link.
	b := w.as("broker@tto.cn")
	p = b.get(room + "/join")
	if p.has("Fast-charge anode") || !p.has(`action="`+room+`/join"`) {
		t.Fatalf("join page: %d\n%s", p.status, p.body)
	}
	if p := b.submit(room+"/join", url.Values{"org_id": {broker.ID}, "fee_basis": {"percent"}, "fee_percent": {"abc"}, "fee_payer": {"split"}}); p.status != 422 || !p.has(`f-fee_percent-error`) {
		t.Fatalf("a bad percentage: %d", p.status)
	}
	p = b.submit(room+"/join", url.Values{"org_id": {broker.ID}, "fee_basis": {"percent"}, "fee_percent": {"2.5"}, "fee_payer": {"split"}})
	if !p.has("Your request was sent") {
		t.Fatalf("after asking: %d %s", p.status, p.path)
	}
	if p := b.get(room); p.status != 404 {
		t.Fatalf("the asking broker sees the room: %d", p.status)
	}
	// Both parties take it on from their rooms.
	p = ent.get(room)
	if !p.has("A broker asks to join this deal") || !p.has("2.5% of the total price") || p.has("bps") {
		t.Fatalf("the buyer's room does not show the request:\n%s", p.body)
	}
	ent.submit(room+"/act", url.Values{"action": {"agree_fee"}, "agree": {"yes"}})
	uni := w.as("uni@example.edu.cn")
	uni.get(room)
	uni.submit(room+"/act", url.Values{"action": {"agree_fee"}, "agree": {"yes"}})
	if p := b.get(room); p.status != 200 || !p.has(`class="deal-role">Intermediary`) {
		t.Fatalf("the broker after both agreed: %d", p.status)
	}

	// Directory and profiles, for anyone.
	anon := w.as("")
	if p := anon.get("/brokers"); !p.has(`href="/orgs/`+broker.ID+`"`) || !p.has("Pujiang Transfer Office") || !p.has("0 brokered deals signed") {
		t.Fatalf("directory:\n%s", p.body)
	}
	if p := anon.get("/outcomes/" + o.ID); !p.has(`class="org-link" href="/orgs/` + w.uni.ID + `"`) {
		t.Error("the outcome page does not link its owner's profile")
	}
	p = anon.get("/orgs/" + w.uni.ID)
	if p.status != 200 || !p.has(`href="/outcomes/`+o.ID+`"`) || !p.has(`class="deals-signed">0<`) {
		t.Fatalf("university profile: %d\n%s", p.status, p.body)
	}
	if p := anon.get("/orgs/" + broker.ID); !p.has(`class="brokered-signed">0<`) || !p.has("Track record") {
		t.Fatalf("broker profile:\n%s", p.body)
	}
	if p := anon.get("/orgs/no-such-org"); p.status != 404 {
		t.Fatalf("unknown profile: %d", p.status)
	}
}

// TestSearchSortAndNumberedPages: the search page offers the API's sort
// orders and numbered pages; a chosen order is applied and kept by the
// page links.
func TestSearchSortAndNumberedPages(t *testing.T) {
	now := time.Now().UTC()
	var docs []search.Document
	for i := range 3*searchPageSize + 1 {
		docs = append(docs, search.Document{ID: fmt.Sprintf("out-%02d", i), Kind: search.KindOutcome, OrgID: "org", OrgName: "某大学",
			Title: fmt.Sprintf("电池回收工艺 %02d", i), Field: "energy_storage", TRL: 1 + i%9, PriceMin: int64(i+1) * pageWan,
			PriceMax: int64(i+1) * pageWan, Currency: "CNY", Version: 1, PublishedAt: now.Add(-time.Duration(i) * time.Hour)})
	}
	s := newSearchSite(t, docs...)
	b := s.browser()
	b.header.Set("Accept-Language", "en")
	p := b.get("/search?q=" + url.QueryEscape("电池回收") + "&sort=price_desc")
	for _, want := range []string{`<option value="price_desc" selected>Price, high to low`, `<option value="">Relevance`,
		`aria-current="page">1<`, `>2</a>`, `>4</a>`, fmt.Sprintf("%d results", len(docs)), `<details class="fold-narrow facets">`} {
		if !p.has(want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	dearest, next := fmt.Sprintf(`data-id="out-%02d"`, len(docs)-1), fmt.Sprintf(`data-id="out-%02d"`, len(docs)-2)
	if first := strings.Index(p.body, dearest); first < 0 || first > strings.Index(p.body, next) {
		t.Error("price_desc does not put the dearest first")
	}
	if !p.has(`href="/search?page=2&amp;q=` + url.QueryEscape("电池回收") + `&amp;sort=price_desc"`) {
		t.Errorf("the page links lose the order:\n%s", p.body)
	}
	if p := b.get("/search?q=x&sort=bogus"); p.status != 200 || p.has(`value="bogus"`) {
		t.Errorf("an unknown order: %d", p.status)
	}
	if got := pageLinks("/search", url.Values{}, 7, 20); len(got) != 9 || !got[1].Gap || got[4].N != 7 || !got[4].Current || !got[7].Gap || got[8].N != 20 {
		t.Errorf("pageLinks(7 of 20) = %+v", got)
	}
}

// TestCopyOneTermAndNoJargon: one Chinese term for the intermediary (居间方)
// and one for "my deals" (我的洽谈); no "major units", basis points or
// SHA-256 in what people read; English lists joined with commas; a count
// of one in the singular.
func TestCopyOneTermAndNoJargon(t *testing.T) {
	for key, m := range catalogue {
		for _, bad := range []string{"经纪人", "我的交易"} {
			if strings.Contains(m.zh, bad) {
				t.Errorf("%s: zh %q uses %q", key, m.zh, bad)
			}
		}
		for _, bad := range []string{"major units", "basis points", "bps", "SHA-256"} {
			if strings.Contains(m.en, bad) {
				t.Errorf("%s: en %q uses %q", key, m.en, bad)
			}
		}
	}
	if got := countText(langEN, "search.total", 1); got != "1 result" {
		t.Errorf("one search result: %q", got)
	}
	if got := countText(langEN, "proposals.lead", 1); got != "1 proposal." {
		t.Errorf("one proposal: %q", got)
	}
	if got := countText(langEN, "search.total", 2); got != "2 results" {
		t.Errorf("two search results: %q", got)
	}

	w := newListingWorld(t)
	o := w.publishedOutcome(t, market.OutcomeInput{Title: "Anode", Summary: "s",
		TransferModes: []string{market.TransferJointDevelopment, market.TransferEquity}})
	if p := w.as("").get("/outcomes/" + o.ID); !p.has("Joint development, Equity") || p.has("、") {
		t.Errorf("English outcome page joins the transfer modes wrongly")
	}
}

// inquiry publishes the university's outcome "Fast-charge anode" and has
// the enterprise inquire; it returns the outcome and the deal room's path.
func (w *listingWorld) inquiry(t *testing.T) (*market.Outcome, string) {
	t.Helper()
	o := w.publishedOutcome(t, market.OutcomeInput{Title: "Fast-charge anode", Summary: "s"})
	d, err := w.svc.OpenDealOnOutcome(context.Background(), w.entAct, w.ent.ID, o.ID, "hello")
	if err != nil {
		t.Fatal(err)
	}
	return o, "/deals/" + d.Deal.ID
}
