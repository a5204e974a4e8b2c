package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestPickLanguage(t *testing.T) {
	cases := []struct {
		accept, cookie, want string
	}{
		{"", "", "zh"},
		{"en", "", "en"},
		{"en-GB,en;q=0.9", "", "en"},
		{"zh-TW,zh;q=0.9,en;q=0.8", "", "zh"},
		{"fr-FR,fr;q=0.9", "", "zh"},
		{"fr,en;q=0.5", "", "en"},
		{"en", "zh", "zh"},
		{"zh-CN", "en", "en"},
		{"en", "de", "en"}, // a cookie naming no page language is ignored
	}
	for _, c := range cases {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if c.accept != "" {
			r.Header.Set("Accept-Language", c.accept)
		}
		if c.cookie != "" {
			r.AddCookie(&http.Cookie{Name: langCookie, Value: c.cookie})
		}
		if got := pickLanguage(r); got != c.want {
			t.Errorf("Accept-Language %q, cookie %q: got %s, want %s", c.accept, c.cookie, got, c.want)
		}
	}
}

// TestLanguageSwitch: English for an English browser, the header link
// switches and the cookie then wins over the browser.
func TestLanguageSwitch(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.header.Set("Accept-Language", "en-US,en;q=0.9")
	p := b.get("/login")
	if !p.has(`<html lang="en">`) || !p.has(">Log in<") || p.has("登录") {
		t.Errorf("English browser did not get English:\n%s", p.body)
	}
	if !p.has(`href="/lang/zh?next=%2flogin"`) && !p.has(`href="/lang/zh?next=/login"`) {
		t.Errorf("no switch to Chinese returning to /login:\n%s", p.body)
	}

	p = b.get("/lang/zh?next=" + url.QueryEscape("/login"))
	if p.path != "/login" || !p.has(`<html lang="zh-CN">`) || !p.has("登录") || p.has(">Log in<") {
		t.Errorf("after switching to zh: %s\n%s", p.path, p.body)
	}
	// The cookie outlives the page and beats Accept-Language.
	if p = b.get("/"); !p.has("让科技成果找到用武之地") {
		t.Error("home page not in Chinese after the switch")
	}
	if p = b.get("/lang/en?next=//evil.example/x"); p.path != "/" || !p.has("Where research finds its use") {
		t.Errorf("switch with a foreign next: landed on %s", p.path)
	}
}

// TestCatalogue: every entry has both languages, and every key a template
// names literally exists.
func TestCatalogue(t *testing.T) {
	for k, m := range catalogue {
		if strings.TrimSpace(m.zh) == "" || strings.TrimSpace(m.en) == "" {
			t.Errorf("%s: missing a language: %+v", k, m)
		}
	}
	keyRE := regexp.MustCompile(`T "([a-z0-9_.]+)"|"(hint:|)([a-z]+\.[a-z0-9_.]+)"`)
	files, _ := templateFiles.ReadDir("templates")
	for _, f := range files {
		b, _ := templateFiles.ReadFile("templates/" + f.Name())
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			key := m[1]
			if key == "" {
				key = m[3]
			}
			if _, ok := catalogue[key]; !ok && !strings.HasSuffix(key, ".css") && !strings.HasSuffix(key, ".html") {
				t.Errorf("%s names %q, which the catalogue lacks", f.Name(), key)
			}
		}
	}
	// Keys built from values in templates (printf "org.kind.%s").
	for _, k := range []string{"org.kind.", "org.role.", "org.verification."} {
		var values []string
		switch k {
		case "org.kind.":
			values = []string{"university", "institute", "enterprise", "intermediary", "public_body"}
		case "org.role.":
			values = []string{"owner", "member"}
		default:
			values = []string{"pending", "verified", "rejected", "pending.hint", "verified.hint", "rejected.hint"}
		}
		for _, v := range values {
			if _, ok := catalogue[k+v]; !ok {
				t.Errorf("catalogue lacks %s%s", k, v)
			}
		}
	}
	for _, n := range nav {
		if _, ok := catalogue["home.entry."+n.Key]; !ok {
			t.Errorf("catalogue lacks home.entry.%s", n.Key)
		}
	}
}
