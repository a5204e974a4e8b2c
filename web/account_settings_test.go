package web

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"techbridge/market"
)

// TestAccountSettings: name, language and mail preferences are saved; a
// wrong current password is refused in place; a password change keeps
// this browser logged in; an email change waits for its link.
func TestAccountSettings(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.header.Set("Accept-Language", "zh")
	b.register("周", "zhou@example.cn", testPassword)
	b.verifyEmail(s.mailTo(t, "zhou@example.cn", market.MailVerifyEmail).Data["token"])
	p := b.get("/account")
	if !p.has("账户设置") || !p.has(`name="mail" value="deal_activity" checked`) {
		t.Fatalf("settings page:\n%s", p.body)
	}
	p = b.submit("/account", url.Values{"display_name": {"周老师"}, "language": {"en"}, "mail": {"digests"}})
	if !strings.Contains(p.path, "done=profile_saved") {
		t.Fatalf("save: %d %s", p.status, p.path)
	}
	acc, err := s.svc.Authenticate(context.Background(), "zhou@example.cn", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if acc.DisplayName != "周老师" || acc.Language != "en" || !slices.Equal(acc.MailOptOut, []string{"deal_activity", "match_alerts"}) {
		t.Fatalf("saved account %+v", acc)
	}
	p = b.submit("/account/password", url.Values{"current_password": {"wrong password"}, "password": {"a new long password"}})
	if p.status != 422 || !strings.Contains(p.field(t, "f-current_password"), "当前密码不正确") {
		t.Errorf("wrong current password: %d", p.status)
	}
	p = b.submit("/account/password", url.Values{"current_password": {testPassword}, "password": {"a new long password"}})
	if !strings.Contains(p.path, "done=password_changed") || !p.has("周老师") {
		t.Errorf("after changing the password: %d %s", p.status, p.path)
	}
	p = b.submit("/account/email", url.Values{"password": {"a new long password"}, "email": {"zhou@new.example.cn"}})
	if !strings.Contains(p.path, "done=email_change_sent") || !p.has("zhou@example.cn") {
		t.Errorf("email change: %s", p.path)
	}
	b.verifyEmail(s.mailTo(t, "zhou@new.example.cn", market.MailVerifyEmail).Data["token"])
	if _, err := s.svc.Authenticate(context.Background(), "zhou@new.example.cn", "a new long password"); err != nil {
		t.Errorf("the new address does not log in: %v", err)
	}
}

// TestAdminReviewsOrganisations: the admin rejects with a reason (none is
// refused), the owner sees the reason, resubmits details, the admin
// verifies; non-admins get no review page.
func TestAdminReviewsOrganisations(t *testing.T) {
	w := newListingWorld(t)
	ctx := context.Background()
	if _, err := w.svc.CreateAdmin(ctx, market.NewAccount{Email: "admin@techbridge.test", Password: testPassword, DisplayName: "Admin"}, market.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	o, err := w.svc.CreateOrganization(ctx, w.uniActor, market.NewOrganization{Kind: market.OrgInstitute, NameZH: "新研究所", NameEN: "New Institute", CreditCode: creditCode("10077")})
	if err != nil {
		t.Fatal(err)
	}
	admin := w.as("admin@techbridge.test")
	p := admin.get("/admin/organizations")
	if !p.has("New Institute") || p.has("Acme Motors") {
		t.Fatalf("queue:\n%s", p.body)
	}
	p = admin.submit("/admin/organizations/"+o.ID+"/verification", url.Values{"decision": {"rejected"}, "reason": {""}})
	if !strings.Contains(p.path, "done=reason_required") {
		t.Errorf("rejection without reason: %s", p.path)
	}
	admin.submit("/admin/organizations/"+o.ID+"/verification", url.Values{"decision": {"rejected"}, "reason": {"licence unreadable"}})
	owner := w.as("uni@example.edu.cn")
	p = owner.get("/my/organizations")
	if !p.has("licence unreadable") || !p.has(`action="/my/organizations/`+o.ID+`/verification"`) {
		t.Fatalf("owner does not see the reason or the resubmit form")
	}
	owner.submit("/my/organizations/"+o.ID+"/verification", url.Values{"details": {"licence 123, Shanghai AMR"}})
	p = admin.get("/admin/organizations")
	if !p.has("licence 123, Shanghai AMR") {
		t.Fatalf("admin does not see the details")
	}
	admin.submit("/admin/organizations/"+o.ID+"/verification", url.Values{"decision": {"verified"}})
	if got, _ := w.svc.Organization(ctx, testAdmin, o.ID); got.Verification != market.VerificationVerified {
		t.Fatalf("after verifying: %s", got.Verification)
	}
	if p := owner.get("/admin/organizations"); p.status != 403 {
		t.Errorf("non-admin review page: %d", p.status)
	}
}

// TestMarkAllNotificationsRead empties the unread list in one click.
func TestMarkAllNotificationsRead(t *testing.T) {
	w := newListingWorld(t)
	ctx := context.Background()
	if err := w.svc.Store.Update(ctx, func(tx market.Tx) error {
		for i := range 3 {
			if err := market.Notify(tx, market.ToOrg(w.uni.ID), "test", market.ObjectRef{}, "note "+string(rune('a'+i)), time.Now()); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	b := w.as("uni@example.edu.cn")
	b.get("/notifications")
	p := b.submit("/notifications/read-all", url.Values{})
	if !strings.Contains(p.path, "done=all_read") {
		t.Fatalf("read all: %s", p.path)
	}
	items, err := w.svc.Notifications(ctx, w.uniActor, true, "", 50)
	if err != nil || len(items) != 0 {
		t.Fatalf("unread after read-all: %d %v", len(items), err)
	}
}
