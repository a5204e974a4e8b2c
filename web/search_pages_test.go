package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/search"
	"techbridge/search/bleve"
)

// newSearchSite is the pages with a matcher over an in-memory index holding
// docs.
func newSearchSite(t *testing.T, docs ...search.Document) *site {
	t.Helper()
	svc := market.NewService(sqltest.MustOpen(t))
	svc.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	eng, err := bleve.Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	if err := eng.Upsert(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Service: svc, Log: svc.Log, Matcher: &search.Matcher{Search: &search.Service{Engine: eng}, Market: svc}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &site{t: t, srv: srv, svc: svc}
}

const pageWan = 1_000_000 // 1万 CNY in fen

func pageDocs() []search.Document {
	now := time.Now().UTC()
	return []search.Document{
		{ID: "out-recycle", Kind: search.KindOutcome, OrgID: "org-tongji", OrgKind: "university", OrgName: "同济大学",
			Title: "退役动力锂电池回收与梯次利用技术", Summary: "动力电池自动拆解与梯次利用", Keywords: []string{"动力电池", "电池回收"},
			Field: "energy_storage", IPC: []string{"H01M 10/54"}, TRL: 6, PriceMin: 50 * pageWan, PriceMax: 80 * pageWan, Currency: "CNY",
			Region: "上海市", Version: 1, PublishedAt: now.AddDate(0, -1, 0), FreshUntil: now.AddDate(1, 0, 0)},
		{ID: "out-hydromet", Kind: search.KindOutcome, OrgID: "org-metals", OrgKind: "institute", OrgName: "有色金属研究院",
			Title: "废旧锂电池回收湿法冶金工艺", Keywords: []string{"电池回收"}, Field: "new_materials", TRL: 3,
			PriceMin: 200 * pageWan, PriceMax: 300 * pageWan, Currency: "CNY", Region: "北京市", Version: 1, PublishedAt: now.AddDate(-2, 0, 0)},
		{ID: "scn-battery", Kind: search.KindScenario, OrgID: "org-auto", OrgKind: "enterprise", OrgName: "上汽",
			Title: "退役动力电池梯次利用示范", Keywords: []string{"梯次利用"}, Field: "energy_storage", TRL: 5, Region: "上海市",
			Version: 1, PublishedAt: now.AddDate(0, 0, -3)},
		{ID: "out-xss", Kind: search.KindOutcome, OrgID: "org-x", OrgKind: "university", OrgName: "<b>X</b>",
			Title: "<script>alert(1)</script> 电池 & 储能", Field: "energy_storage", Version: 1, PublishedAt: now},
	}
}

func TestSearchPageHighlightsFacetsAndLanguages(t *testing.T) {
	s := newSearchSite(t, pageDocs()...)
	b := s.browser()
	p := b.get("/search?q=" + url.QueryEscape("电池回收"))
	if p.status != 200 {
		t.Fatalf("status %d: %s", p.status, p.body)
	}
	for _, want := range []string{`href="/outcomes/out-recycle"`, "<mark>", "同济大学", "储能与电池", "TRL 6",
		`href="/outcomes/out-recycle/matches"`, "谁需要这项成果", "条结果", "报价 ¥500,000.00–800,000.00"} {
		if !p.has(want) {
			t.Errorf("search page lacks %q", want)
		}
	}
	if p.has("<script>alert") || p.has("<b>X</b>") {
		t.Fatal("listing text reached the page unescaped")
	}
	// A facet link sets its filter; following it narrows the hits.
	facet := `href="/search?field=new_materials&amp;q=` + url.QueryEscape("电池回收") + `"`
	if !p.has(facet) {
		t.Fatalf("no facet link %s", facet)
	}
	p = b.get("/search?field=new_materials&q=" + url.QueryEscape("电池回收"))
	if !p.has(`href="/outcomes/out-hydromet"`) || p.has(`href="/outcomes/out-recycle"`) {
		t.Fatalf("field facet did not narrow the hits")
	}
	b.header.Set("Accept-Language", "en")
	p = b.get("/search?q=" + url.QueryEscape("电池"))
	for _, want := range []string{"results", "Who needs this outcome", "Energy storage and batteries", `lang="en"`, "asking CNY 500,000.00–800,000.00"} {
		if !p.has(want) {
			t.Errorf("English search page lacks %q", want)
		}
	}
}

func TestSearchPagePages(t *testing.T) {
	var docs []search.Document
	for i := range 25 {
		docs = append(docs, search.Document{ID: fmt.Sprintf("out-%02d", i), Kind: search.KindOutcome, OrgID: "org",
			Title: fmt.Sprintf("储能电池成果 %d", i), Version: 1, PublishedAt: time.Now().UTC()})
	}
	b := newSearchSite(t, docs...).browser()
	p := b.get("/search?q=" + url.QueryEscape("储能电池"))
	if strings.Count(p.body, `class="hit"`) != searchPageSize || !p.has("第 1 / 2 页") || !p.has(`rel="next" href="/search?page=2&amp;q=`) {
		t.Fatalf("first page: %d hits", strings.Count(p.body, `class="hit"`))
	}
	p = b.get("/search?page=2&q=" + url.QueryEscape("储能电池"))
	if strings.Count(p.body, `class="hit"`) != 5 || !p.has(`rel="prev"`) || p.has(`rel="next"`) {
		t.Fatalf("second page: %d hits", strings.Count(p.body, `class="hit"`))
	}
}

func TestNeedBoxFromHomeShowsMatchesWithReasons(t *testing.T) {
	b := newSearchSite(t, pageDocs()...).browser()
	home := b.get("/")
	if !home.has(`action="/match"`) || !home.has(`id="home-need"`) || !home.has(`action="/search"`) {
		t.Fatal("home page lacks the need box or the search box")
	}
	p := b.get("/match?" + url.Values{"text": {"退役动力电池回收，梯次利用"}, "trl": {"5"}, "budget": {"1,000,000"}, "region": {"上海"}}.Encode())
	if p.status != 200 {
		t.Fatalf("status %d", p.status)
	}
	first := strings.Index(p.body, `class="match" data-id="`)
	if first < 0 || !strings.HasPrefix(p.body[first+len(`class="match" data-id="`):], "out-recycle") {
		t.Fatalf("first match is not out-recycle:\n%s", p.body)
	}
	for _, want := range []string{"文本匹配", "技术成熟度 TRL 6，达到要求的 5", "在预算 ¥1,000,000.00 以内", "同一地区：上海市", "按机构"} {
		if !p.has(want) {
			t.Errorf("need page lacks %q", want)
		}
	}
	if !p.has("报价 ¥2,000,000.00，超出预算 ¥1,000,000.00") || !p.has("低于要求的 5") {
		t.Error("the over-budget, low-TRL outcome does not show its gaps")
	}
	if p.has(`data-id="scn-battery"`) {
		t.Error("a scenario among the outcomes for a need")
	}
	g := b.get("/match?" + url.Values{"text": {"退役动力电池回收"}, "group": {"organization"}}.Encode())
	if !g.has("同济大学") || !g.has("条相关条目") {
		t.Fatal("grouped need page lacks the organisation")
	}
	if bad := b.get("/match?text=x"); bad.status != 400 || !bad.has(`class="form-error"`) {
		t.Fatalf("one-character need: status %d", bad.status)
	}
}

func TestScenarioMatchesPageFollowsVisibility(t *testing.T) {
	s := newSearchSite(t, pageDocs()...)
	ctx := context.Background()
	admin, err := s.svc.CreateAdmin(ctx, market.NewAccount{Email: "admin@x.cn", Password: testPassword, DisplayName: "A"}, market.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := s.svc.RegisterVerified(ctx, market.NewAccount{Email: "ent@x.cn", Password: testPassword, DisplayName: "E"})
	if err != nil {
		t.Fatal(err)
	}
	owner, _ := s.svc.ActorFor(ctx, acc.ID)
	org, err := s.svc.CreateOrganization(ctx, owner, market.NewOrganization{Kind: market.OrgEnterprise, NameZH: "新擎电池", Region: "上海市", CreditCode: creditCode("00901")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.VerifyOrganization(ctx, testAdmin, org.ID, market.VerificationVerified, ""); err != nil {
		t.Fatal(err)
	}
	owner, _ = s.svc.ActorFor(ctx, acc.ID)
	sc, err := s.svc.CreateScenario(ctx, owner, org.ID, market.ScenarioInput{Title: "动力电池回收与梯次利用", Field: "energy_storage",
		Keywords: []string{"动力电池"}, MinTRL: 5, Budget: market.Money{Max: 100 * pageWan, Currency: "CNY"}, Region: "上海市"})
	if err != nil {
		t.Fatal(err)
	}
	path := "/scenarios/" + sc.ID + "/matches"
	if p := s.browser().get(path); p.status != 404 {
		t.Fatalf("anonymous visitor sees a draft's matches: %d", p.status)
	}
	b := s.browser()
	b.login("ent@x.cn", testPassword)
	p := b.get(path)
	if p.status != 200 || !p.has("匹配的成果") || !p.has(`data-id="out-recycle"`) || !p.has(sc.Title) {
		t.Fatalf("owner's draft matches: %d\n%s", p.status, p.body)
	}
	adm, _ := s.svc.ActorFor(ctx, admin.ID)
	sc, err = s.svc.TransitionScenario(ctx, owner, sc.ID, sc.Version, market.SubmitListing, "")
	if err == nil {
		_, err = s.svc.TransitionScenario(ctx, adm, sc.ID, sc.Version, market.PublishListing, "")
	}
	if err != nil {
		t.Fatal(err)
	}
	if p := s.browser().get(path); p.status != 200 || !p.has(`data-id="out-recycle"`) {
		t.Fatalf("anonymous visitor on a published scenario's matches: %d", p.status)
	}
}

func TestSearchPagesWithoutMatcher(t *testing.T) {
	b := newSite(t).browser()
	for _, path := range []string{"/search?q=x", "/match?text=电池", "/scenarios/x/matches"} {
		if p := b.get(path); p.status != 503 || !p.has("搜索暂不可用") {
			t.Errorf("%s without a matcher: %d", path, p.status)
		}
	}
	if p := b.get("/match"); p.status != 200 || !p.has(`id="f-need-text"`) {
		t.Errorf("the empty need form needs no matcher: %d", p.status)
	}
}

func TestMarkedHTMLKeepsOnlyBalancedMarks(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"锂<mark>电池</mark>回收", "锂<mark>电池</mark>回收"},
		{"a &amp; <mark>b</mark>", "a &amp; <mark>b</mark>"},
		{"<script>x</script><mark>y</mark>", "&lt;script&gt;x&lt;/script&gt;<mark>y</mark>"},
		{"</mark>x<mark>y", "x<mark>y</mark>"},
		{"&lt;b&gt; raw", "&lt;b&gt; raw"},
	} {
		if got := string(markedHTML(c.in)); got != c.want {
			t.Errorf("markedHTML(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMatchReasonTextsAreInTheCatalogue(t *testing.T) {
	for _, k := range matchReasonKeys {
		if _, ok := catalogue["matches.reason."+k]; !ok {
			t.Errorf("catalogue lacks matches.reason.%s", k)
		}
	}
	for _, k := range []string{"search.kind.outcome", "search.kind.scenario", "search.hit.matches.outcome", "search.hit.matches.scenario"} {
		if _, ok := catalogue[k]; !ok {
			t.Errorf("catalogue lacks %s", k)
		}
	}
	for _, f := range searchFacets {
		if _, ok := catalogue["search.facet."+f]; !ok {
			t.Errorf("catalogue lacks search.facet.%s", f)
		}
	}
}

// lang=en keeps only English listings; a Chinese query reaches them through
// the IPC classes of its Chinese hits, and the page says so (issue 17).
func TestSearchPageAcrossLanguages(t *testing.T) {
	docs := pageDocs()
	docs = append(docs, search.Document{ID: "out-electrolyte", Kind: search.KindOutcome, OrgID: "org-hju", OrgKind: "university",
		Title: "Low-temperature electrolyte additive for lithium-ion cells", Keywords: []string{"electrolyte", "battery"},
		Field: "energy_storage", IPC: []string{"H01M 10/0567"}, Version: 1, PublishedAt: time.Now().UTC()})
	for i := range docs {
		docs[i].Langs = search.Languages(docs[i])
	}
	s := newSearchSite(t, docs...)
	p := s.browser().get("/search?lang=en&q=" + url.QueryEscape("动力电池回收"))
	if p.status != 200 {
		t.Fatalf("status %d", p.status)
	}
	if !p.has(`href="/outcomes/out-electrolyte"`) || p.has(`href="/outcomes/out-recycle"`) {
		t.Fatalf("lang=en: want the English outcome only:\n%s", p.body)
	}
	if !p.has("跨语言结果：属于 IPC H01M") || !p.has(`<option value="en" selected>`) {
		t.Errorf("the bridged hit does not say why it matched, or the language is not kept:\n%s", p.body)
	}
}
