package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"techbridge/market"
	"techbridge/market/testenv"
)

// TestE2EAccountJourney runs the real serve command with mail going to a
// real SMTP server (Mailpit) and drives Chromium, in each language: register
// → the verification mail arrives → verify → create an organisation and
// invite a colleague → the colleague registers, verifies and accepts from
// the invitation mail → forgot password → reset from the mail → log in with
// the new password.
func TestE2EAccountJourney(t *testing.T) {
	chromium := findChromium(t)
	smtp := testenv.Lookup(t, "TECHBRIDGE_TEST_SMTP_URL", "SMTP server (Mailpit)")
	mailpit := strings.TrimRight(testenv.Lookup(t, "TECHBRIDGE_TEST_MAILPIT_URL", "Mailpit HTTP API"), "/")
	base := startServe(t, "--database-url=", "--redis-url=", "--meili-url=", "--smtp-url="+smtp,
		"--mail-from=noreply@techbridge.test", "--mail-every=200ms")
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			accountJourney(t, newBrowser(t, chromium), base, mailpit, lang)
		})
	}
}

func accountJourney(t *testing.T, ctx context.Context, base, mailpit, lang string) {
	tag := strings.ToLower(strings.ReplaceAll(market.NewID(), "-", "")[20:])
	owner, colleague := "owner-"+tag+"@example.edu.cn", "col-"+tag+"@example.edu.cn"
	step(t, ctx, "choose the language", chromedp.Navigate(base+"/lang/"+lang+"?next=/register"),
		chromedp.WaitVisible(chromedp.ID("f-display_name")))

	register := func(name, email string) {
		step(t, ctx, "register "+email,
			chromedp.Navigate(base+"/register"),
			chromedp.WaitVisible(chromedp.ID("f-display_name")),
			chromedp.SendKeys(chromedp.ID("f-display_name"), name),
			chromedp.SendKeys(chromedp.ID("f-email"), email),
			chromedp.SendKeys(chromedp.ID("f-password"), "a long enough password"),
			clickAndLoad(chromedp.CSS(`form[action="/register"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".verify-banner")))
		wantPath(t, ctx, "/account")
		link := mailLink(t, mailpit, email, "/verify-email?token=")
		step(t, ctx, "verify "+email,
			chromedp.Navigate(link),
			chromedp.WaitVisible(chromedp.ID("verify-submit")),
			clickAndLoad(chromedp.CSS("#verify-submit")),
			chromedp.WaitVisible(chromedp.CSS(".notice")))
		wantPath(t, ctx, "/account")
		if n := value(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".verify-banner").length`)); n != 0 {
			t.Errorf("%s still shows the unverified banner after verifying", email)
		}
	}
	logout := func() {
		step(t, ctx, "log out",
			chromedp.Click(chromedp.CSS(".account-menu summary")),
			clickAndLoad(chromedp.CSS(`form[action="/logout"] button`)),
			chromedp.WaitVisible(chromedp.CSS(".hero")))
	}

	register("Owner "+tag, owner)
	first17 := "12310000MB0" + strings.ToUpper(tag[:6])
	code := first17 + string(market.CreditCodeCheckChar(first17))
	step(t, ctx, "create the organisation",
		chromedp.Navigate(base+"/my/organizations"),
		chromedp.WaitVisible(chromedp.ID("f-kind")),
		chromedp.SetValue(chromedp.ID("f-kind"), "university"),
		chromedp.SendKeys(chromedp.ID("f-name_en"), "Journey University "+tag),
		chromedp.SendKeys(chromedp.ID("f-credit_code"), code),
		clickAndLoad(chromedp.CSS(`form[action="/my/organizations"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("article.org")))
	step(t, ctx, "invite a colleague",
		chromedp.SendKeys(chromedp.CSS(`form.add-member input[name=email]`), colleague),
		clickAndLoad(chromedp.CSS(`form.add-member button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".pending-invitations")))
	wantText(t, ctx, ".pending-invitations", colleague)
	logout()

	register("Colleague "+tag, colleague)
	invite := mailLink(t, mailpit, colleague, "/invitations/accept?token=")
	step(t, ctx, "accept the invitation from the mail",
		chromedp.Navigate(invite),
		chromedp.WaitVisible(chromedp.ID("invitation-accept")),
		clickAndLoad(chromedp.CSS("#invitation-accept")),
		chromedp.WaitVisible(chromedp.CSS("article.org")))
	wantText(t, ctx, "article.org", "Journey University "+tag)
	wantText(t, ctx, "table.members", owner)
	logout()

	step(t, ctx, "ask for a password reset",
		chromedp.Navigate(base+"/login"),
		clickAndLoad(chromedp.CSS(`a[href="/forgot-password"]`)),
		chromedp.WaitVisible(chromedp.ID("f-email")),
		chromedp.SendKeys(chromedp.ID("f-email"), colleague),
		clickAndLoad(chromedp.CSS(`form[action="/forgot-password"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	reset := mailLink(t, mailpit, colleague, "/reset-password?token=")
	step(t, ctx, "reset the password from the mail",
		chromedp.Navigate(reset),
		chromedp.WaitVisible(chromedp.ID("f-password")),
		chromedp.SendKeys(chromedp.ID("f-password"), "a brand new password"),
		clickAndLoad(chromedp.CSS(`form[action="/reset-password"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("f-email")))
	wantPath(t, ctx, "/login")
	step(t, ctx, "log in with the new password",
		chromedp.SendKeys(chromedp.ID("f-email"), colleague),
		chromedp.SendKeys(chromedp.ID("f-password"), "a brand new password"),
		clickAndLoad(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("dash-actions")))
	wantPath(t, ctx, "/dashboard") // a login lands on the dashboard
	step(t, ctx, "open my organisation",
		chromedp.Navigate(base+"/my/organizations"),
		chromedp.WaitVisible(chromedp.CSS("article.org")))
	wantText(t, ctx, "article.org", "Journey University "+tag)
	// The mails came in the page language the account registered with.
	subject := mailSubjects(t, mailpit, colleague)
	want := map[string]string{"en": "Reset your password", "zh": "重置密码"}[lang]
	if !strings.Contains(strings.Join(subject, "|"), want) {
		t.Errorf("mail subjects %q lack %q", subject, want)
	}
}

var linkRE = regexp.MustCompile(`https?://\S+`)

// mailLink waits for a mail to the address carrying a link with marker
// (the newest first) and returns the link.
func mailLink(t *testing.T, mailpit, to, marker string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, id := range mailIDs(t, mailpit, to) {
			res, err := http.Get(mailpit + "/api/v1/message/" + id)
			if err != nil {
				t.Fatal(err)
			}
			var m struct{ Text string }
			err = json.NewDecoder(res.Body).Decode(&m)
			res.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range linkRE.FindAllString(m.Text, -1) {
				if strings.Contains(l, marker) {
					return l
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no mail to %s with a %s link arrived", to, marker)
	return ""
}

// mailIDs lists the ids of the mails to an address, newest first.
func mailIDs(t *testing.T, mailpit, to string) []string {
	t.Helper()
	var ids []string
	for _, m := range mailSearch(t, mailpit, to) {
		ids = append(ids, m.ID)
	}
	return ids
}

// mailSubjects lists the subjects of the mails to an address.
func mailSubjects(t *testing.T, mailpit, to string) []string {
	t.Helper()
	var out []string
	for _, m := range mailSearch(t, mailpit, to) {
		out = append(out, m.Subject)
	}
	return out
}

func mailSearch(t *testing.T, mailpit, to string) []struct{ ID, Subject string } {
	t.Helper()
	res, err := http.Get(mailpit + "/api/v1/search?query=" + url.QueryEscape("to:"+to))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Messages []struct{ ID, Subject string } `json:"messages"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.Messages
}
