package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore/sqltest"
)

// market is a site with a university, an enterprise, a reviewer and a
// stranger, each with a logged-in browser.
type listingWorld struct {
	*site
	uni, ent         *market.Organization
	uniActor, entAct market.Actor
	reviewer         market.Actor
}

func newListingWorld(t *testing.T) *listingWorld {
	t.Helper()
	w := &listingWorld{site: newSite(t)}
	ctx := context.Background()
	w.uniActor, w.uni = w.member(t, "uni@example.edu.cn", market.OrgUniversity, "Tongji Lab", "Tongji Lab", "10001")
	w.entAct, w.ent = w.member(t, "ent@example.com", market.OrgEnterprise, "Acme Motors", "Acme Motors", "10002")
	if _, err := w.svc.RegisterVerified(ctx, market.NewAccount{Email: "nobody@example.com", Password: testPassword, DisplayName: "Nobody"}); err != nil {
		t.Fatal(err)
	}
	rev, err := w.svc.CreateAdmin(ctx, market.NewAccount{Email: "rev@techbridge.test", Password: testPassword, DisplayName: "Reviewer"}, market.RoleReviewer)
	if err != nil {
		t.Fatal(err)
	}
	w.reviewer, _ = w.svc.ActorFor(ctx, rev.ID)
	return w
}

// member registers email as the owner of a new verified organisation.
func (w *listingWorld) member(t *testing.T, email, kind, zh, en, code string) (market.Actor, *market.Organization) {
	t.Helper()
	ctx := context.Background()
	acc, err := w.svc.RegisterVerified(ctx, market.NewAccount{Email: email, Password: testPassword, DisplayName: en})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := w.svc.ActorFor(ctx, acc.ID)
	o, err := w.svc.CreateOrganization(ctx, a, market.NewOrganization{Kind: kind, NameZH: zh, NameEN: en, Region: "上海市 / 杨浦区", CreditCode: creditCode(code),
		OrgProfile: sqltest.Profile()})
	if err != nil {
		t.Fatal(err)
	}
	if o, err = w.svc.VerifyOrganization(ctx, testAdmin, o.ID, market.VerificationVerified, ""); err != nil {
		t.Fatal(err)
	}
	a, _ = w.svc.ActorFor(ctx, acc.ID)
	return a, o
}

// as returns a browser logged in as email, showing English pages.
func (w *listingWorld) as(email string) *browser {
	b := w.browser()
	b.header.Set("Accept-Language", "en")
	if email != "" {
		b.login(email, testPassword)
	}
	return b
}

// publishedOutcome lists an outcome for the university straight through
// the service.
func (w *listingWorld) publishedOutcome(t *testing.T, in market.OutcomeInput) *market.Outcome {
	t.Helper()
	ctx := context.Background()
	o, err := w.svc.CreateOutcome(ctx, w.uniActor, w.uni.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if o, err = w.svc.TransitionOutcome(ctx, w.uniActor, o.ID, o.Version, market.SubmitListing, ""); err != nil {
		t.Fatal(err)
	}
	if o, err = w.svc.TransitionOutcome(ctx, w.reviewer, o.ID, o.Version, market.PublishListing, ""); err != nil {
		t.Fatal(err)
	}
	return o
}

func (w *listingWorld) outcomesOf(t *testing.T, orgID string) []market.Outcome {
	t.Helper()
	p, err := w.svc.Outcomes(context.Background(), w.reviewer, market.OutcomeFilter{OrgID: orgID})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

var versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)

// version returns the listing version the page's action forms carry.
func (p *page) version(t *testing.T) string {
	t.Helper()
	m := versionRE.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no version field on %s", p.path)
	}
	return m[1]
}

// TestOutcomeFromFormToPublicPage: a member's refused form keeps the input
// and creates nothing; the draft is private until a reviewer publishes it,
// which only a reviewer may; then the public browse page shows it.
func TestOutcomeFromFormToPublicPage(t *testing.T) {
	w := newListingWorld(t)
	uni := w.as("uni@example.edu.cn")

	p := uni.get("/outcomes/new")
	if p.status != http.StatusOK || !p.has(`id="f-title"`) || !p.has(`value="`+w.uni.ID+`" selected`) {
		t.Fatalf("new outcome form: %d\n%s", p.status, p.body)
	}
	bad := url.Values{"org_id": {w.uni.ID}, "title": {""}, "summary": {"Ceramic coating for separators"},
		"description": {"Line one.\nLine two."}, "ipc": {"H01M 10/54; not-an-ipc"}, "trl": {"6"},
		"price_min": {"12abc"}, "price_max": {"300000"}, "currency": {"CNY"}, "transfer_modes": {"exclusive_licence", "equity"},
		"ip_type": {"invention_patent"}, "confidentiality": {"public"}}
	p = uni.submit("/outcomes", bad)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: status %d, want 422\n%s", p.status, p.body)
	}
	for id, want := range map[string]string{"f-title": "Is required", "f-price_min": "Must be an amount", "f-ipc": "is not an IPC subclass"} {
		if f := p.field(t, id); !strings.Contains(f, "field-error") || !strings.Contains(f, want) {
			t.Errorf("%s lacks its error %q:\n%s", id, want, f)
		}
	}
	if f := p.field(t, "f-ipc"); !strings.Contains(f, `value="H01M 10/54; not-an-ipc"`) {
		t.Errorf("IPC input lost:\n%s", f)
	}
	if f := p.field(t, "f-price_min"); !strings.Contains(f, `value="12abc"`) {
		t.Errorf("price input lost:\n%s", f)
	}
	if !strings.Contains(p.field(t, "f-description"), "Line one.\nLine two.</textarea>") || !strings.Contains(p.field(t, "f-trl"), `value="6" selected`) {
		t.Error("description or TRL lost")
	}
	if !p.has(`value="exclusive_licence" checked`) || !p.has(`value="equity" checked`) || p.has(`value="assignment" checked`) {
		t.Error("transfer mode checkboxes not kept")
	}
	if got := w.outcomesOf(t, w.uni.ID); len(got) != 0 {
		t.Fatalf("the refused form created %d outcomes", len(got))
	}

	good := bad
	good.Set("title", "Ceramic-coated separator")
	good.Set("ipc", "H01M 10/54")
	good.Set("price_min", "120000.50")
	p = uni.submit("/outcomes", good)
	if p.status != http.StatusOK || !strings.HasPrefix(p.path, "/outcomes/") || !p.has("saved as a draft") {
		t.Fatalf("create: %d %s\n%s", p.status, p.path, p.body)
	}
	outs := w.outcomesOf(t, w.uni.ID)
	if len(outs) != 1 || outs[0].Price.Min != 12000050 || outs[0].TRL != 6 || len(outs[0].TransferModes) != 2 {
		t.Fatalf("stored %+v", outs)
	}
	id := outs[0].ID
	detail := "/outcomes/" + id
	if !p.has(`data-status="draft"`) || !p.has("Submit for review") || !p.has(detail+"/edit") {
		t.Errorf("owner's draft page lacks state or actions")
	}

	// Nobody else sees the draft; a stranger cannot edit it.
	if p := w.as("").get(detail); p.status != http.StatusNotFound {
		t.Errorf("anonymous draft: %d, want 404", p.status)
	}
	ent := w.as("ent@example.com")
	if p := ent.get(detail + "/edit"); p.status != http.StatusNotFound {
		t.Errorf("stranger editing a draft: %d, want 404", p.status)
	}

	// The owner edits the draft: the form comes back filled.
	p = uni.get(detail + "/edit")
	if p.status != http.StatusOK || !strings.Contains(p.field(t, "f-price_min"), `value="120000.50"`) {
		t.Errorf("edit form: %d\n%s", p.status, p.field(t, "f-price_min"))
	}

	p = uni.get(detail)
	p = uni.submit(detail+"/act", url.Values{"action": {"submit"}, "version": {p.version(t)}})
	if !p.has(`data-status="pending_review"`) || !p.has("Submitted for review") {
		t.Fatalf("after submit: %s\n%s", p.path, p.body)
	}
	// The owner may not publish its own outcome: no button, and the service refuses.
	if p.has("act-publish") {
		t.Error("owner is offered publish")
	}
	if p := uni.submit(detail+"/act", url.Values{"action": {"publish"}, "version": {p.version(t)}}); p.status != http.StatusForbidden {
		t.Errorf("owner publishing: %d, want 403", p.status)
	}
	if p := ent.get("/review"); p.status != http.StatusForbidden {
		t.Errorf("review queue for a non-reviewer: %d, want 403", p.status)
	}

	rev := w.as("rev@techbridge.test")
	p = rev.get("/review")
	if p.status != http.StatusOK || !p.has("Ceramic-coated separator") || !p.has(`action="/outcomes/`+id+`/act"`) {
		t.Fatalf("review queue: %d\n%s", p.status, p.body)
	}
	version := p.version(t)
	p = rev.submit(detail+"/act", url.Values{"action": {"reject"}, "version": {version}, "reason": {"  "}, "next": {"/review"}, "confirmed": {"yes"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.field(t, "f-reason"), "field-error") {
		t.Errorf("reject without reason: %d\n%s", p.status, p.body)
	}
	p = rev.submit(detail+"/act", url.Values{"action": {"publish"}, "version": {version}, "next": {"/review"}})
	if p.path != "/review?done=listing_publish" || !p.has("Published.") || !p.has("Nothing is waiting for review") {
		t.Errorf("after publish: %s\n%s", p.path, p.body)
	}
	// A second decision on the old version is a readable conflict.
	if p := rev.submit(detail+"/act", url.Values{"action": {"publish"}, "version": {version}}); p.status != http.StatusConflict || !p.has("Nothing was changed") {
		t.Errorf("stale publish: %d", p.status)
	}

	anon := w.as("")
	p = anon.get("/outcomes")
	if p.status != http.StatusOK || !p.has("Ceramic-coated separator") || !p.has("1 listed") {
		t.Fatalf("public browse: %d\n%s", p.status, p.body)
	}
	p = anon.get(detail)
	for _, want := range []string{"Ceramic-coated separator", "TRL 6", "H01M 10/54", "CNY 120,000.50–300,000.00", "Exclusive licence", "Tongji Lab", "Log in to inquire"} {
		if !p.has(want) {
			t.Errorf("public detail lacks %q", want)
		}
	}
	if p.has("act-panel") || p.has(`/act"`) {
		t.Error("public detail shows actions")
	}
	if p := ent.get(detail + "/edit"); p.status != http.StatusForbidden {
		t.Errorf("stranger editing a published outcome: %d, want 403", p.status)
	}
}

// TestOutcomeFormChinese: errors appear in Chinese on the Chinese page.
func TestOutcomeFormChinese(t *testing.T) {
	w := newListingWorld(t)
	b := w.browser() // no Accept-Language: zh
	b.login("uni@example.edu.cn", testPassword)
	b.get("/outcomes/new")
	p := b.submit("/outcomes", url.Values{"org_id": {w.uni.ID}, "title": {"固态电池"}, "trl": {"12"}, "price_min": {"500"}, "price_max": {"100"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.field(t, "f-trl"), "应为 1 到 9") ||
		!strings.Contains(p.field(t, "f-price_min"), "不能高于报价上限") || !p.has("有些内容需要修改") {
		t.Errorf("chinese errors: %d\n%s", p.status, p.body)
	}
}

// TestBrowseOutcomes: filters narrow the list; numbered pages page on; bad
// filters say so; confidential outcomes are teasers.
func TestBrowseOutcomes(t *testing.T) {
	w := newListingWorld(t)
	for i := range 22 {
		trl := 3 + i%5
		in := market.OutcomeInput{Title: fmt.Sprintf("Battery recycling method %02d", i), Summary: "Hydrometallurgy",
			Field: "energy_storage", TRL: &trl}
		if i == 0 {
			in.Field, in.Title = "ai", "Vision inspection model"
		}
		w.publishedOutcome(t, in)
	}
	secret := w.publishedOutcome(t, market.OutcomeInput{Title: "Secret catalyst", Summary: "A public teaser",
		Description: "THE SECRET RECIPE", PatentNumbers: []string{"CN112233445A"}, Confidentiality: "confidential", Field: "chemicals"})
	anon := w.as("")

	p := anon.get("/outcomes")
	if n := strings.Count(p.body, `class="listing-card outcome-card"`); n != browsePageSize || !p.has("23 listed") {
		t.Fatalf("first page: %d cards", n)
	}
	m := regexp.MustCompile(`rel="next" href="(/outcomes\?page=2)"`).FindStringSubmatch(p.body)
	if m == nil {
		t.Fatal("no next-page link")
	}
	p = anon.get(m[1])
	if n := strings.Count(p.body, `class="listing-card outcome-card"`); n != 3 || !p.has(`rel="prev"`) || p.has(`rel="next"`) {
		t.Errorf("second page: %d cards\n%s", n, p.body)
	}

	p = anon.get("/outcomes?field=ai")
	if !p.has("Vision inspection model") || p.has("Battery recycling") || !p.has("1 listed") || !p.has(`value="ai" selected`) {
		t.Errorf("field filter")
	}
	p = anon.get("/outcomes?trl_min=7&trl_max=7")
	if n := strings.Count(p.body, "outcome-card"); n != 4 {
		t.Errorf("TRL 7 only: %d cards, want 4", n)
	}
	if p := anon.get("/outcomes?trl_min=8&trl_max=2"); p.status != http.StatusBadRequest || !p.has("Some filters are not valid") {
		t.Errorf("bad TRL range: %d", p.status)
	}
	if p := anon.get("/outcomes?min=abc"); p.status != http.StatusBadRequest {
		t.Errorf("bad amount: %d", p.status)
	}

	p = anon.get("/outcomes?field=chemicals")
	if !p.has("Secret catalyst") || !p.has("Confidential") || p.has("SECRET RECIPE") {
		t.Errorf("confidential card")
	}
	p = anon.get("/outcomes/" + secret.ID)
	if !p.has("A public teaser") || !p.has("non-disclosure agreement") || p.has("SECRET RECIPE") || p.has("CN112233445A") {
		t.Errorf("teaser detail leaks or lacks the note:\n%s", p.body)
	}
	if p := w.as("uni@example.edu.cn").get("/outcomes/" + secret.ID); !p.has("SECRET RECIPE") || !p.has("CN112233445A") {
		t.Error("the owner does not see its own confidential details")
	}
}

// TestMyListings: every state of the visitor's own listings, none of others'.
func TestMyListings(t *testing.T) {
	w := newListingWorld(t)
	w.unverify(t, w.ent.ID) // a verified enterprise may list outcomes too
	w.publishedOutcome(t, market.OutcomeInput{Title: "Published one"})
	if _, err := w.svc.CreateOutcome(context.Background(), w.uniActor, w.uni.ID, market.OutcomeInput{Title: "Draft one"}); err != nil {
		t.Fatal(err)
	}
	p := w.as("uni@example.edu.cn").get("/my/listings")
	if p.status != http.StatusOK || !p.has("Published one") || !p.has("Draft one") || !p.has("status-draft") || !p.has(`href="/my/import"`) {
		t.Errorf("my listings: %d\n%s", p.status, p.body)
	}
	p = w.as("ent@example.com").get("/my/listings")
	if p.has("Draft one") || !p.has(`href="/scenarios/new"`) || p.has(`href="/outcomes/new"`) {
		t.Errorf("enterprise's page shows the university's draft or the wrong buttons")
	}
	if p := w.as("").get("/my/listings"); !strings.HasPrefix(p.path, "/login") {
		t.Errorf("anonymous my listings went to %s", p.path)
	}
}

// upload posts a multipart form with one file and the page's CSRF token.
func (b *browser) upload(path string, fields map[string]string, filename, content string) *page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField(csrfField, b.last.token(b.t))
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if filename != "" {
		fw, _ := mw.CreateFormFile("file", filename)
		fw.Write([]byte(content))
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.site.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// TestImportReport: an upload imports the good lines and reports the bad
// ones by line; a re-upload is unchanged; organisations that may not list
// outcomes are refused.
func TestImportReport(t *testing.T) {
	w := newListingWorld(t)
	w.unverify(t, w.ent.ID) // a verified enterprise may list outcomes too
	uni := w.as("uni@example.edu.cn")
	file := `{"external_id":"A-1","title":"Sensor film","ipc":["G01N"],"trl":4}
{"external_id":"A-2","title":"Robot gripper","transfer_modes":["assignment"]}
{"external_id":"A-3","title":"","trl":11}
`
	p := uni.get("/my/import")
	if p.status != http.StatusOK || !p.has(`enctype="multipart/form-data"`) {
		t.Fatalf("import form: %d", p.status)
	}
	p = uni.upload("/my/import", map[string]string{"org_id": w.uni.ID}, "outcomes.jsonl", file)
	if p.status != http.StatusOK {
		t.Fatalf("import: %d\n%s", p.status, p.body)
	}
	counts := regexp.MustCompile(`count-(created|updated|unchanged|failed)[^"]*"><strong>(\d+)</strong>`).FindAllStringSubmatch(p.body, -1)
	got := map[string]string{}
	for _, c := range counts {
		got[c[1]] = c[2]
	}
	if got["created"] != "2" || got["failed"] != "1" || got["updated"] != "0" || got["unchanged"] != "0" {
		t.Errorf("counts %v", got)
	}
	if !p.has("<td>3</td>") || !p.has("A-3") || !p.has("<code>trl</code>") || !p.has("<code>title</code>") {
		t.Errorf("report lacks line 3's problems:\n%s", p.body)
	}
	if n := len(w.outcomesOf(t, w.uni.ID)); n != 2 {
		t.Errorf("%d outcomes stored, want 2", n)
	}
	p = uni.upload("/my/import", map[string]string{"org_id": w.uni.ID}, "outcomes.jsonl", file)
	if !strings.Contains(p.body, `count-unchanged"><strong>2</strong>`) {
		t.Errorf("re-import not unchanged")
	}
	p = uni.upload("/my/import", map[string]string{"org_id": w.uni.ID}, "", "")
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.field(t, "f-file"), "Choose a file") {
		t.Errorf("no file: %d", p.status)
	}
	ent := w.as("ent@example.com")
	ent.get("/my/import")
	if p := ent.upload("/my/import", map[string]string{"org_id": w.ent.ID}, "x.jsonl", file); p.status != http.StatusForbidden {
		t.Errorf("enterprise import: %d, want 403", p.status)
	}
	if n := len(w.outcomesOf(t, w.ent.ID)); n != 0 {
		t.Errorf("refused import stored %d", n)
	}
	// Without the form's token the upload is refused like any form.
	b := w.as("uni@example.edu.cn")
	b.last = &page{body: `name="csrf_token" value="forged"`}
	if p := b.upload("/my/import", map[string]string{"org_id": w.uni.ID}, "x.jsonl", file); p.status != http.StatusForbidden {
		t.Errorf("forged upload: %d", p.status)
	}
}

// unverify has an admin reject an organisation, which takes away what
// only verified organisations may do.
func (w *listingWorld) unverify(t *testing.T, orgID string) {
	t.Helper()
	if _, err := w.svc.VerifyOrganization(context.Background(), testAdmin, orgID, market.VerificationRejected, "fixture"); err != nil {
		t.Fatal(err)
	}
}
