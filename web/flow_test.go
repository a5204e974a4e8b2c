package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"techbridge/market"
)

// TestRegisterLoginCreateOrganizationLogout walks the first visit of a
// research office: register (logged in at once, asked to verify the
// email), verify, log out and in, create the organisation, log out.
func TestRegisterLoginCreateOrganizationLogout(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.header.Set("Accept-Language", "en")

	p := b.register("Li Wei", "Li.Wei@Example.edu.cn", testPassword)
	if p.status != http.StatusOK || p.path != "/account?done=registered" {
		t.Fatalf("after register: %d %s", p.status, p.path)
	}
	if !p.has("Check your mail") || !p.has("li.wei@example.edu.cn") || !p.has("not verified") || !p.has("Send a new verification link") {
		t.Errorf("settings page after register lacks the notice, the email or the verification state:\n%s", p.body)
	}
	p = b.verifyEmail(s.mailTo(t, "li.wei@example.edu.cn", market.MailVerifyEmail).Data["token"])
	if p.has("Send a new verification link") || !p.has("Your email address is verified") {
		t.Errorf("after verifying:\n%s", p.body)
	}
	b.submit("/logout", url.Values{})
	b.get("/login")
	p = b.submit("/login", url.Values{"email": {"li.wei@example.edu.cn"}, "password": {testPassword}, "next": {"/"}})
	if p.status != http.StatusOK || p.path != "/my/organizations" {
		t.Fatalf("after login: %d %s", p.status, p.path)
	}
	if !p.has("Li Wei") || !p.has("You do not belong to an organisation yet") {
		t.Errorf("organisation page after login lacks the name or the empty state:\n%s", p.body)
	}

	code := creditCode("00001")
	p = b.submit("/my/organizations", url.Values{"kind": {"university"}, "name_zh": {"同济大学"},
		"name_en": {"Tongji University"}, "region": {"上海市 / 杨浦区"}, "credit_code": {strings.ToLower(code)}})
	if p.status != http.StatusOK || p.path != "/my/organizations?done=org_created" {
		t.Fatalf("after create: %d %s\n%s", p.status, p.path, p.body)
	}
	for _, want := range []string{"Organisation created", "Tongji University", "同济大学", code, "Awaiting verification", "li.wei@example.edu.cn", "Owner", "Invite a member"} {
		if !p.has(want) {
			t.Errorf("organisation page lacks %q", want)
		}
	}
	ms := s.memberships("li.wei@example.edu.cn")
	if len(ms) != 1 || ms[0].Role != market.MemberOwner {
		t.Fatalf("memberships = %+v, want one as owner", ms)
	}

	var session string
	u, _ := url.Parse(s.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			session = c.Value
		}
	}
	if session == "" {
		t.Fatal("no session cookie while logged in")
	}
	p = b.submit("/logout", url.Values{})
	if p.path != "/?done=logged_out" || !p.has("You have logged out") || !p.has(`href="/login"`) || p.has("Li Wei") {
		t.Errorf("after logout: %s\n%s", p.path, p.body)
	}
	if _, err := s.svc.WebSessionAccount(context.Background(), session); market.ErrorCode(err) != market.EUNAUTHORIZED {
		t.Errorf("session after logout: err = %v, want EUNAUTHORIZED (ended on the server)", err)
	}
	if p = b.get("/my/organizations"); !strings.HasPrefix(p.path, "/login") {
		t.Errorf("organisation page after logout went to %s, want the login page", p.path)
	}
}

// TestSessionCookieAttributes checks the cookie that carries the session.
func TestSessionCookieAttributes(t *testing.T) {
	for _, secure := range []bool{false, true} {
		s := newSite(t)
		h, err := New(Config{Service: s.svc, SecureCookies: secure})
		if err != nil {
			t.Fatal(err)
		}
		b := s.browser()
		b.register("Wang Fang", "wf@example.com", testPassword)
		b.get("/login")
		form := url.Values{"email": {"wf@example.com"}, "password": {testPassword}, csrfField: {b.last.token(t)}}
		req, _ := http.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		u, _ := url.Parse(s.srv.URL)
		for _, c := range b.c.Jar.Cookies(u) {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var got *http.Cookie
		for _, c := range rec.Result().Cookies() {
			if c.Name == sessionCookie {
				got = c
			}
		}
		if got == nil {
			t.Fatalf("secure=%v: login set no session cookie (status %d)", secure, rec.Code)
		}
		if !got.HttpOnly || got.SameSite != http.SameSiteLaxMode || got.Secure != secure || got.Path != "/" {
			t.Errorf("secure=%v: cookie %+v, want HttpOnly, SameSite=Lax, Secure=%v, Path=/", secure, got, secure)
		}
		if _, err := s.svc.WebSessionAccount(context.Background(), got.Value); err != nil {
			t.Errorf("cookie value is not a live session: %v", err)
		}
	}
}

// TestAnonymousSentToLogin: the organisation page asks for a login and
// returns there after it.
func TestAnonymousSentToLogin(t *testing.T) {
	s := newSite(t)
	s.browser().register("Zhao Min", "zm@example.com", testPassword)
	b := s.browser()
	p := b.get("/my/organizations")
	if len(b.redirect) != 1 || b.redirect[0] != "/login?next=%2Fmy%2Forganizations" {
		t.Fatalf("redirects = %v, want the login page with next", b.redirect)
	}
	if p.has("Create an organisation") || p.has("创建机构") {
		t.Error("anonymous visitor saw the organisation form")
	}
	if !p.has(`name="next" value="/my/organizations"`) {
		t.Errorf("login page does not carry next:\n%s", p.body)
	}
	p = b.submit("/login", url.Values{"email": {"zm@example.com"}, "password": {testPassword}, "next": {"/my/organizations"}})
	if p.path != "/my/organizations" {
		t.Errorf("after login went to %s, want /my/organizations", p.path)
	}
	// An anonymous POST is sent to log in too, and creates nothing.
	a := s.browser()
	a.get("/login")
	p = a.submit("/my/organizations", url.Values{"kind": {"enterprise"}, "name_zh": {"某公司"}, "credit_code": {creditCode("00009")}})
	if !strings.HasPrefix(p.path, "/login") {
		t.Errorf("anonymous POST ended on %s, want the login page", p.path)
	}
}

// TestLoginFailure: a wrong password re-renders the form with one message
// and the email kept, never saying which part was wrong.
func TestLoginFailure(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.register("Sun Li", "sl@example.com", testPassword)
	for _, email := range []string{"sl@example.com", "nobody@example.com"} {
		b.get("/login")
		p := b.submit("/login", url.Values{"email": {email}, "password": {"wrong password!"}})
		if p.status != http.StatusUnauthorized || !p.has("邮箱或密码不正确") || !p.has(`value="`+email+`"`) {
			t.Errorf("%s: status %d, body:\n%s", email, p.status, p.body)
		}
	}
}

// TestAddMember: an owner invites a colleague, who accepts from the mail
// link; adding never happens without consent; a plain member may not
// invite; owners change roles, members leave, the last owner stays.
func TestAddMember(t *testing.T) {
	s := newSite(t)
	owner := s.browser()
	owner.header.Set("Accept-Language", "en")
	owner.register("Owner", "owner@example.com", testPassword)
	owner.verifyEmail(s.mailTo(t, "owner@example.com", market.MailVerifyEmail).Data["token"])
	owner.submit("/my/organizations", url.Values{"kind": {"enterprise"}, "name_en": {"Acme Robotics"}, "credit_code": {creditCode("00002")}})
	ms := s.memberships("owner@example.com")
	if len(ms) != 1 {
		t.Fatalf("owner memberships = %+v", ms)
	}
	orgID := ms[0].OrgID
	col := s.browser()
	col.header.Set("Accept-Language", "en")
	col.register("Colleague", "col@example.com", testPassword)

	owner.get("/my/organizations")
	p := owner.submit("/my/organizations/"+orgID+"/members", url.Values{"email": {"col@example.com"}, "role": {"member"}})
	if p.path != "/my/organizations?done=member_invited" || !p.has("Invitation sent") || !p.has("Pending invitations") {
		t.Fatalf("after invite: %s\n%s", p.path, p.body)
	}
	if len(s.memberships("col@example.com")) != 0 {
		t.Fatal("the colleague became a member without accepting")
	}
	p = owner.submit("/my/organizations/"+orgID+"/members", url.Values{"email": {"not an email"}, "role": {"member"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.field(t, "m-email-"+orgID), "Must be a valid email address") ||
		!strings.Contains(p.field(t, "m-email-"+orgID), `value="not an email"`) {
		t.Errorf("bad email: status %d\n%s", p.status, p.body)
	}

	// Unverified, the colleague cannot accept; verified, they can.
	link := s.mailTo(t, "col@example.com", market.MailInvitation).Data["token"]
	col.get("/invitations/accept?token=" + link)
	p = col.submit("/invitations/answer", url.Values{"token": {link}, "answer": {"accept"}})
	if p.status != http.StatusForbidden || !p.has("Verify your email first") {
		t.Errorf("unverified accept: %d", p.status)
	}
	col.verifyEmail(s.mailTo(t, "col@example.com", market.MailVerifyEmail).Data["token"])
	p = col.get("/my/organizations")
	if !p.has("Invitations to you") {
		t.Errorf("the invitation is not listed for the verified colleague")
	}
	col.get("/invitations/accept?token=" + link)
	p = col.submit("/invitations/answer", url.Values{"token": {link}, "answer": {"accept"}})
	if !strings.HasPrefix(p.path, "/my/organizations?done=invitation_accepted") || !p.has("Acme Robotics") ||
		p.has(`action="/my/organizations/`+orgID+`/members"`) {
		t.Errorf("after accepting: %s", p.path)
	}
	p = col.submit("/my/organizations/"+orgID+"/members", url.Values{"email": {"x@example.com"}, "role": {"owner"}})
	if p.status != http.StatusForbidden {
		t.Errorf("member inviting: status %d", p.status)
	}
	// The last owner cannot leave; after making the colleague owner, they can.
	ownerID := s.actor("owner@example.com").AccountID
	colID := s.actor("col@example.com").AccountID
	p = owner.submit("/my/organizations/"+orgID+"/members/"+ownerID+"/remove", url.Values{"confirmed": {"yes"}})
	if !strings.Contains(p.path, "done=last_owner") {
		t.Errorf("last owner leaving: %s", p.path)
	}
	owner.submit("/my/organizations/"+orgID+"/members/"+colID+"/role", url.Values{"role": {"owner"}})
	p = owner.submit("/my/organizations/"+orgID+"/members/"+ownerID+"/remove", url.Values{"confirmed": {"yes"}})
	if !strings.Contains(p.path, "done=member_removed") || len(s.memberships("owner@example.com")) != 0 {
		t.Errorf("owner leaving: %s", p.path)
	}
}
