package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"techbridge/market"
)

// dealParty registers (verifying the email by its mailed link), creates
// an organisation of kind and has an admin verify it: a party that trades.
func (s *site) dealParty(email, kind, code string) *browser {
	s.t.Helper()
	b := s.browser()
	b.register(email, email, testPassword)
	b.verifyEmail(s.mailTo(s.t, email, market.MailVerifyEmail).Data["token"])
	b.get("/my/organizations")
	if p := b.submit("/my/organizations", url.Values{"kind": {kind}, "name_zh": {kind + "机构"}, "name_en": {kind + " org"},
		"region": {"上海"}, "credit_code": {creditCode(code)}}); p.status != 200 {
		s.t.Fatalf("create organisation: %d", p.status)
	}
	a := s.actor(email)
	orgID := a.Memberships[len(a.Memberships)-1].OrgID
	if _, err := s.svc.VerifyOrganization(context.Background(), testAdmin, orgID, market.VerificationVerified, ""); err != nil {
		s.t.Fatal(err)
	}
	// The registration profile, through its form: the region is chosen
	// from the GB/T 2260 list, which posts its code.
	if p := b.submit("/my/organizations/"+orgID+"/profile", url.Values{"address": {"上海市杨浦区军工路516号"},
		"legal_representative": {"张三"}, "contact_person": {"李四"}, "contact_phone": {"021-6564 1001"},
		"region_code": {"310110"}, "country": {"cn"}}); p.status != 200 || !p.has("上海市 杨浦区") {
		s.t.Fatalf("registration profile: %d", p.status)
	}
	return b
}

// verifyEmail opens a verification link and confirms it.
func (b *browser) verifyEmail(token string) *page {
	b.t.Helper()
	b.get("/verify-email?token=" + url.QueryEscape(token))
	p := b.submit("/verify-email", url.Values{"token": {token}})
	if !strings.Contains(p.path, "done=email_verified") {
		b.t.Fatalf("verify email: %d %s", p.status, p.path)
	}
	return p
}

// actor returns the market actor of an email.
func (s *site) actor(email string) market.Actor {
	s.t.Helper()
	acc, err := s.svc.Authenticate(context.Background(), email, testPassword)
	if err != nil {
		s.t.Fatal(err)
	}
	a, err := s.svc.ActorFor(context.Background(), acc.ID)
	if err != nil {
		s.t.Fatal(err)
	}
	return a
}

var dealPathRE = regexp.MustCompile(`^/deals/([0-9a-f-]{36})`)

// TestDealRoomFlow drives the deal pages from inquiry to both signatures:
// bad offer input comes back in place, offers are compared side by side,
// and strangers get 404.
func TestDealRoomFlow(t *testing.T) {
	s := newSite(t)
	seller := s.dealParty("seller@u.cn", market.OrgUniversity, "00001")
	buyer := s.dealParty("buyer@e.cn", market.OrgEnterprise, "00002")
	stranger := s.dealParty("x@e.cn", market.OrgEnterprise, "00003")
	o := s.publishedOutcome(t, "seller@u.cn", "高效钙钛矿电池")

	// The buyer inquires; an empty message comes back in place.
	buyer.get("/deals/new?outcome=" + o.ID)
	if p := buyer.submit("/deals", url.Values{"outcome_id": {o.ID}, "message": {" "}}); p.status != 422 || !strings.Contains(p.field(t, "f-message"), "field-error") {
		t.Fatalf("empty inquiry: %d", p.status)
	}
	p := buyer.submit("/deals", url.Values{"outcome_id": {o.ID}, "message": {"请报价"}})
	m := dealPathRE.FindStringSubmatch(p.path)
	if p.status != 200 || m == nil || !p.has(`data-state="inquiry"`) {
		t.Fatalf("after the inquiry: %d %s", p.status, p.path)
	}
	room := "/deals/" + m[1]
	act := func(b *browser, vals url.Values) *page {
		t.Helper()
		b.get(room)
		return b.submit(room+"/act", vals)
	}
	if p := act(seller, url.Values{"action": {"accept"}}); !p.has(`data-state="negotiation"`) {
		t.Fatalf("after accept: %s", p.path)
	}
	due := func(months int) string { return time.Now().UTC().AddDate(0, months, 0).Format(time.DateOnly) }
	offer := url.Values{"action": {"propose"}, "contract_type": {"transfer"}, "price": {"1,000.50"}, "currency": {"CNY"},
		"milestones[0].title": {"资料"}, "milestones[0].deliverable": {"docs"}, "milestones[0].amount": {"400"}, "milestones[0].due_date": {due(1)},
		"milestones[1].title": {"验收"}, "milestones[1].deliverable": {"pilot"}, "milestones[1].amount": {"600.50"}, "milestones[1].due_date": {due(2)},
		"registration.sub_type": {"know_how"}, "registration.tech_field": {"new_energy"}, "registration.ip_type": {"know_how"},
		"registration.valid_from": {due(1)}, "registration.valid_until": {due(2)}, "registration.signing_place": {"上海市杨浦区"},
		"registration.socio_economic_goal": {"energy"}, "registration.expected_investment": {"5,000"}, "registration.expected_output": {"20000"}}
	// A transfer without its expected output is refused, the field named in place.
	noOutput := url.Values{}
	for k, v := range offer {
		noOutput[k] = v
	}
	noOutput.Del("registration.expected_output")
	if p := act(seller, noOutput); p.status != 422 || !strings.Contains(p.field(t, "o-expected_output"), "field-error") ||
		!strings.Contains(p.field(t, "o-expected_output"), "技术转让合同必须填写") {
		t.Fatalf("transfer without expected output: %d", p.status)
	}
	act(seller, offer)
	// A counter-offer whose milestones do not add up is refused in place.
	bad := url.Values{}
	for k, v := range offer {
		bad[k] = v
	}
	bad.Set("price", "900")
	p = act(buyer, bad)
	if p.status != 422 || !p.has(`id="o-milestones-error"`) || !strings.Contains(p.field(t, "o-price"), `value="900"`) {
		t.Fatalf("bad counter-offer: %d\n%s", p.status, p.body)
	}
	bad.Set("milestones[1].amount", "500")
	p = act(buyer, bad)
	if !p.has(`class="changed"`) || !p.has("¥900.00") || !p.has("¥1,000.50") {
		t.Fatal("the counter-offer is not shown beside the first with its changes")
	}
	if p := act(stranger, url.Values{"action": {"accept_offer"}, "offer": {"2"}}); p.status != 404 {
		t.Fatalf("a stranger acting: %d", p.status)
	}
	if p := stranger.get(room); p.status != 404 {
		t.Fatalf("a stranger sees the room: %d", p.status)
	}
	p = act(seller, url.Values{"action": {"accept_offer"}, "offer": {"2"}})
	hash := regexp.MustCompile(`(?s)class="act-sign">.*?name="hash" value="([0-9a-f]{64})"`).FindStringSubmatch(p.body)
	if !p.has(`data-state="contract_drafted"`) || hash == nil {
		t.Fatalf("after accepting: no signing form on %s", p.path)
	}
	// People see a short fingerprint, labelled, never the raw SHA-256.
	if !p.has(`class="fingerprint contract-hash">`+fingerprint(hash[1])+`<`) || p.has(">"+hash[1]+"<") || p.has("SHA-256") {
		t.Fatal("the room shows the raw contract hash instead of its fingerprint")
	}
	// A stale hash is refused with a message; the right one signs.
	if p := act(buyer, url.Values{"action": {"sign"}, "hash": {strings.Repeat("0", 64)}}); p.status != 409 || !p.has("deal-error") {
		t.Fatalf("stale signature: %d", p.status)
	}
	act(buyer, url.Values{"action": {"sign"}, "hash": {hash[1]}})
	if p := act(seller, url.Values{"action": {"sign"}, "hash": {hash[1]}}); !p.has(`data-state="signed"`) || !p.has("deal-milestones") {
		t.Fatalf("after both signatures: %s", p.path)
	}
	if p := buyer.get(room + "/contract"); p.status != 200 || !p.has(hash[1]) || !p.has("[en]") {
		t.Fatalf("contract page: %d", p.status)
	}
	if p := buyer.get(room + "/registration"); p.status != 200 || !p.has("¥900.00") || !p.has("技术秘密转让") ||
		!p.has("合同文本指纹") || p.has("合同摘要") || !p.has("¥5,000.00") || !p.has("registration-submit") {
		t.Fatalf("registration page: %d", p.status)
	}
	if p := buyer.get(room + "/registration.csv"); p.status != 200 || !p.has(m[1]) {
		t.Fatalf("registration CSV: %d", p.status)
	}
	if p := buyer.get("/deals"); !p.has(`data-deal="`+m[1]+`"`) || !p.has("state-signed") {
		t.Fatal("my deals lacks the signed deal")
	}
	p = buyer.get("/notifications")
	if !p.has(`data-kind="deal.signed"`) || !p.has("高效钙钛矿电池") {
		t.Fatalf("buyer notifications:\n%s", p.body)
	}
}

// publishedOutcome lists an outcome of the seller's organisation and has
// an admin publish it, for the deal tests.
func (s *site) publishedOutcome(t *testing.T, sellerEmail, title string) *market.Outcome {
	t.Helper()
	ctx := context.Background()
	admin, err := s.svc.CreateAdmin(ctx, market.NewAccount{Email: "a@x.cn", Password: testPassword, DisplayName: "a"}, market.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	adminActor, _ := s.svc.ActorFor(ctx, admin.ID)
	sa := s.actor(sellerEmail)
	trl := 6
	o, err := s.svc.CreateOutcome(ctx, sa, sa.Memberships[0].OrgID, market.OutcomeInput{Title: title, Summary: "s", Description: "d", TRL: &trl})
	if err != nil {
		t.Fatal(err)
	}
	o, _ = s.svc.TransitionOutcome(ctx, sa, o.ID, o.Version, market.SubmitListing, "")
	if _, err := s.svc.TransitionOutcome(ctx, adminActor, o.ID, o.Version, market.PublishListing, ""); err != nil {
		t.Fatal(err)
	}
	return o
}
