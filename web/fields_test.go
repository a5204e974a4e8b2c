package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"techbridge/market"
)

// TestOrganizationFieldErrors: refused input comes back in the form, each
// message next to its field, nothing typed lost.
func TestOrganizationFieldErrors(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.register("Chen Jie", "cj@example.com", testPassword)
	b.login("cj@example.com", testPassword)

	p := b.submit("/my/organizations", url.Values{"kind": {""}, "name_zh": {"浙江大学"}, "name_en": {"Zhejiang University"},
		"region": {"杭州市"}, "credit_code": {"12330000470003281X"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", p.status)
	}
	kind, code := p.field(t, "f-kind"), p.field(t, "f-credit_code")
	if !strings.Contains(kind, `class="field-error"`) || !strings.Contains(kind, "请从列表中选择") {
		t.Errorf("kind field lacks its error:\n%s", kind)
	}
	if !strings.Contains(code, "应为 18 位统一社会信用代码") || !strings.Contains(code, `value="12330000470003281X"`) || !strings.Contains(code, `aria-invalid="true"`) {
		t.Errorf("credit code field lacks its error or value:\n%s", code)
	}
	for id, want := range map[string]string{"f-name_zh": "浙江大学", "f-name_en": "Zhejiang University", "f-region": "杭州市"} {
		f := p.field(t, id)
		if !strings.Contains(f, `value="`+want+`"`) || strings.Contains(f, "field-error") {
			t.Errorf("%s: value lost or error shown:\n%s", id, f)
		}
	}
	if !p.has("有些内容需要修改") {
		t.Error("no summary above the form")
	}
	if ms := s.memberships("cj@example.com"); len(ms) != 0 {
		t.Errorf("refused input created %+v", ms)
	}

	// A credit code already registered is a field error too.
	good := creditCode("00004")
	b.submit("/my/organizations", url.Values{"kind": {"university"}, "name_zh": {"浙江大学"}, "credit_code": {good}})
	p = b.submit("/my/organizations", url.Values{"kind": {"institute"}, "name_zh": {"另一家"}, "credit_code": {good}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.field(t, "f-credit_code"), "已被注册") ||
		!strings.Contains(p.field(t, "f-kind"), `value="institute" selected`) {
		t.Errorf("duplicate code: status %d\n%s", p.status, p.field(t, "f-credit_code"))
	}
}

// TestRegisterFieldErrors: the password never comes back; the rest does.
func TestRegisterFieldErrors(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.header.Set("Accept-Language", "en-US,en;q=0.9")
	b.get("/register")
	p := b.submit("/register", url.Values{"display_name": {"Ma Jun"}, "email": {"majun@"}, "password": {"short"}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", p.status)
	}
	if f := p.field(t, "f-email"); !strings.Contains(f, "Must be a valid email address") || !strings.Contains(f, `value="majun@"`) {
		t.Errorf("email field:\n%s", f)
	}
	if f := p.field(t, "f-password"); !strings.Contains(f, "Must be at least 10 characters") || strings.Contains(f, "short") {
		t.Errorf("password field shows no error or echoes the password:\n%s", f)
	}
	if f := p.field(t, "f-display_name"); !strings.Contains(f, `value="Ma Jun"`) {
		t.Errorf("name lost:\n%s", f)
	}

	// A taken address is not named: the visitor goes to log in with the
	// same "check your mail" notice, and the owner gets a mail.
	s.browser().register("Ma Jun", "majun@example.com", testPassword)
	p = b.register("Ma Jun again", "MAJUN@example.com", testPassword)
	if p.status != http.StatusOK || !strings.HasPrefix(p.path, "/login?done=registered") || !p.has("Check your mail") || p.has("already registered") {
		t.Errorf("duplicate email: status %d %s", p.status, p.path)
	}
	s.mailTo(t, "majun@example.com", market.MailAlreadyAccount)
}

// TestNotFoundAndStatic: unknown paths get the readable 404 page; the
// stylesheet is served.
func TestNotFoundAndStatic(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	if p := b.get("/no/such/page"); p.status != http.StatusNotFound || !p.has("找不到此页面") {
		t.Errorf("404 page: %d\n%s", p.status, p.body)
	}
	resp, err := http.Get(s.srv.URL + "/static/style.css?v=" + assetVersion)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("style.css: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"))
	}
	if p := b.get("/static/"); p.status != http.StatusNotFound {
		t.Errorf("/static/ listed a directory: %d", p.status)
	}
}
