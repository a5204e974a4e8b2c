package web

import (
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/msgs"
)

// errorTextRE finds the texts of a page's errors: the summary's links and
// title and each field's message.
var errorTextRE = regexp.MustCompile(`(?s)<(?:p|a) (?:class="(?:field-error|form-error[^"]*)"[^>]*|href="#[^"]*")>(.*?)</(?:p|a)>`)

// latinWordRE is an English word of three letters or more: none belongs
// in a Chinese error message (codes such as CNY aside, which the pages
// here do not show).
var latinWordRE = regexp.MustCompile(`[A-Za-z]{3,}`)

// zhErrors returns the page's error texts and fails when any of them
// holds English.
func zhErrors(t *testing.T, p *page) string {
	t.Helper()
	var all []string
	for _, m := range errorTextRE.FindAllStringSubmatch(p.body, -1) {
		text := regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "")
		if w := latinWordRE.FindString(text); w != "" {
			t.Errorf("English %q in a zh error: %q", w, text)
		}
		all = append(all, text)
	}
	if len(all) == 0 {
		t.Fatalf("no error texts on the page:\n%s", p.body)
	}
	return strings.Join(all, "\n")
}

// summary returns the page's error summary, failing when there is none.
func summary(t *testing.T, p *page) string {
	t.Helper()
	i := strings.Index(p.body, `<div class="error-summary"`)
	if i < 0 {
		t.Fatalf("no error summary:\n%s", p.body)
	}
	return p.body[i : i+strings.Index(p.body[i:], "</div>")]
}

// TestZhListingErrorsByCode (issue 15, page problem 1): a refused outcome
// form in Chinese says what is wrong in Chinese, from the codes, with a
// summary at the top linking to each field and the input kept.
func TestZhListingErrorsByCode(t *testing.T) {
	w := newListingWorld(t)
	uni := w.as("uni@example.edu.cn")
	uni.get("/lang/zh?next=/outcomes/new")
	p := uni.submit("/outcomes", url.Values{"org_id": {w.uni.ID}, "title": {""}, "summary": {"陶瓷涂层隔膜"},
		"description": {"说明"}, "trl": {"6"}, "price_min": {"500000"}, "price_max": {"300000"}, "currency": {"CNY"},
		"transfer_modes": {"exclusive_licence"}, "ip_type": {"invention_patent"}, "confidentiality": {"public"}})
	if p.status != 422 || !p.has(`<html lang="zh-CN">`) {
		t.Fatalf("status %d", p.status)
	}
	zhErrors(t, p)
	for id, want := range map[string]string{"f-title": "必填", "f-price_min": "不能高于报价上限"} {
		if f := p.field(t, id); !strings.Contains(f, `class="field-error"`) || !strings.Contains(f, want) {
			t.Errorf("%s lacks %q next to it:\n%s", id, want, f)
		}
	}
	if f := p.field(t, "f-price_min"); !strings.Contains(f, `value="500000"`) {
		t.Errorf("the input was lost:\n%s", f)
	}
	s := summary(t, p)
	// Each entry says which field, by its label, and what is wrong.
	for _, want := range []string{`href="#f-title">标题：必填</a>`, `href="#f-price_min">报价下限（元）：不能高于报价上限</a>`} {
		if !strings.Contains(s, want) {
			t.Errorf("the summary lacks %s:\n%s", want, s)
		}
	}
	if strings.Index(p.body, `class="error-summary"`) > strings.Index(p.body, `id="f-title"`) {
		t.Error("the summary is not above the form's fields")
	}
}

// TestZhOfferErrorsShowAmounts: a counter-offer whose milestones do not
// add up says so in Chinese with the amounts in yuan, not fen, and a
// licence term out of range says what the range is of.
func TestZhOfferErrorsShowAmounts(t *testing.T) {
	s := newSite(t)
	seller := s.dealParty("seller@u.cn", market.OrgUniversity, "00001")
	buyer := s.dealParty("buyer@e.cn", market.OrgEnterprise, "00002")
	o := s.publishedOutcome(t, "seller@u.cn", "高效钙钛矿电池")
	buyer.get("/deals/new?outcome=" + o.ID)
	p := buyer.submit("/deals", url.Values{"outcome_id": {o.ID}, "message": {"请报价"}})
	m := dealPathRE.FindStringSubmatch(p.path)
	if m == nil {
		t.Fatalf("no deal: %d %s", p.status, p.path)
	}
	room := "/deals/" + m[1]
	seller.get(room)
	seller.submit(room+"/act", url.Values{"action": {"accept"}})
	due := time.Now().UTC().AddDate(0, 1, 0).Format(time.DateOnly)
	seller.get("/lang/zh?next=" + url.QueryEscape(room))
	p = seller.submit(room+"/act", url.Values{"action": {"propose"}, "contract_type": {"licence"}, "price": {"1,000,000"}, "currency": {"CNY"},
		"licence.territory": {"中国"}, "licence.field_of_use": {"储能"}, "licence.term_months": {"5000"},
		"milestones[0].title": {"资料"}, "milestones[0].deliverable": {"文档"}, "milestones[0].amount": {"500,000"}, "milestones[0].due_date": {due},
		"milestones[1].title": {"验收"}, "milestones[1].deliverable": {"试点"}, "milestones[1].amount": {"400,000"}, "milestones[1].due_date": {due}})
	if p.status != 422 {
		t.Fatalf("status %d\n%s", p.status, p.body)
	}
	errs := zhErrors(t, p)
	for _, want := range []string{"各里程碑金额合计 ¥900,000.00，与价款 ¥1,000,000.00 不符", "许可期限应为 1 至 1200 个月"} {
		if !strings.Contains(errs, want) {
			t.Errorf("no %q among the errors:\n%s", want, errs)
		}
	}
	if strings.Contains(p.body, "90000000") {
		t.Error("an amount is shown in fen")
	}
	sum := summary(t, p)
	for _, want := range []string{`href="#o-milestones"`, `href="#o-term_months"`} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary lacks %s:\n%s", want, sum)
		}
	}
	if f := p.field(t, "o-term_months"); !strings.Contains(f, `value="5000"`) || !strings.Contains(f, "field-error") {
		t.Errorf("the term field lost its input or error:\n%s", f)
	}
}

// TestZhPayoutErrorByCode: an admin's refused payout in Chinese, next to
// the field and in the row's summary.
func TestZhPayoutErrorByCode(t *testing.T) {
	ps := newPaySite(t)
	ps.payAct(ps.buyer, 0, "fund", url.Values{"reference": {"ICBC-2024-0001"}})
	ps.payAct(ps.admin, 0, "confirm", nil)
	ps.payAct(ps.seller, 0, "deliver", url.Values{"note": {"样机"}})
	ps.payAct(ps.buyer, 0, "accept", nil)
	ps.payAct(ps.buyer, 0, "release", nil)
	ops, err := ps.svc.Payouts(t.Context(), ps.actor("a@x.cn"), market.PayPending)
	if err != nil || len(ops) == 0 {
		t.Fatalf("pending payouts: %d %v", len(ops), err)
	}
	ps.admin.get("/lang/zh?next=/admin/payouts")
	p := ps.admin.submit("/admin/payouts/"+ops[0].ID+"/paid", url.Values{"reference": {" "}})
	if p.status != 422 {
		t.Fatalf("status %d", p.status)
	}
	zhErrors(t, p)
	if f := p.field(t, "payout-ref-"+ops[0].ID); !strings.Contains(f, "应为 1 至 200 个字符") {
		t.Errorf("the reference field lacks its Chinese error:\n%s", f)
	}
	if s := summary(t, p); !strings.Contains(s, `href="#payout-ref-`+ops[0].ID+`"`) {
		t.Errorf("the summary does not link to the field:\n%s", s)
	}
}

// TestErrorsAreRedOnEveryPage: the rule that makes errors red inside cards
// lives in style.css, which every page loads (the deal, payment and payout
// pages load no listings.css); no page stylesheet overrides it.
func TestErrorsAreRedOnEveryPage(t *testing.T) {
	css, err := os.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	rule := regexp.MustCompile(`(?m)^[^{]*\.card \.field-error[^{]*\{[^}]*color: var\(--bad\)`)
	if !rule.Match(css) {
		t.Fatal("style.css has no rule making .card .field-error red")
	}
	for _, name := range []string{"listings.css", "deals.css", "payments.css", "search.css"} {
		b, err := os.ReadFile("static/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if regexp.MustCompile(`\.field-error[^{]*\{[^}]*color`).Match(b) {
			t.Errorf("%s sets the colour of field errors; style.css alone does", name)
		}
	}
	ps := newPaySite(t)
	for _, path := range []string{"/deals/" + ps.dealID, "/deals/" + ps.dealID + "/payments", "/admin/payouts"} {
		p := ps.admin.get(path)
		if p.status != 200 || !regexp.MustCompile(`<link rel="stylesheet" href="/static/style\.css`).MatchString(p.body) {
			t.Errorf("%s (%d) does not load style.css", path, p.status)
		}
	}
}

// TestZhRefusalNamesStatesInChinese: a refusal that names a deal's state
// and a party's role shows them in Chinese on a zh page.
func TestZhRefusalNamesStatesInChinese(t *testing.T) {
	got := refusal(langZH, market.Errorf(market.ECONFLICT, msgs.XOpenedThisDealOtherSide, msgs.Term{Kind: "deal.role", Value: market.DealRoleBuyer}))
	if want := "交易由" + translate(langZH, "deal.role.buyer") + "发起；应由另一方答复"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if en := refusal(langEN, market.Errorf(market.ECONFLICT, msgs.XOpenedThisDealOtherSide, msgs.Term{Kind: "deal.role", Value: market.DealRoleBuyer})); en != "The buyer opened this deal; the other side answers it" {
		t.Errorf("en: %q", en)
	}
}

// TestZhRefusalNamesActionsInChinese: the deal action a refusal names reads
// in Chinese too, and stays the API's word in English.
func TestZhRefusalNamesActionsInChinese(t *testing.T) {
	err := market.Errorf(market.ECONFLICT, msgs.CannotXDealThatX, msgs.Term{Kind: "deal.action", Value: "sign_contract"},
		msgs.Term{Kind: "deal.state", Value: market.DealNegotiation})
	if got, want := refusal(langZH, err), "不能对状态为"+translate(langZH, "deal.state.negotiation")+"的交易执行签署合同"; got != want {
		t.Errorf("zh %q, want %q", got, want)
	}
	if got := market.ErrorMessage(err); got != "cannot sign_contract a deal that is negotiation" {
		t.Errorf("en %q", got)
	}
}
