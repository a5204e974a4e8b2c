package api

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"techbridge/market"
)

// The attacks of issue 10, each reproduced against the old code, and the
// account life cycle that replaces them.

// TestForcedMembershipNeedsConsent: an owner "adding" the platform admin
// as owner of its organisation only invites the admin; nothing changes
// until the admin accepts. (The old code answered 200 and made the admin
// an owner at once.)
func TestForcedMembershipNeedsConsent(t *testing.T) {
	w := newWorld(t)
	var inv invitationResponse
	w.e.expect(w.e.do("POST", "/api/v1/organizations/"+w.orgA.ID+"/members", w.member.AccessToken,
		inviteRequest{Email: "admin@techbridge.test", Role: "owner"}), 201).json(&inv)
	if inv.State != market.InvitationPending || inv.Email != "admin@techbridge.test" {
		t.Fatalf("invitation %+v", inv)
	}
	var me meResponse
	w.e.expect(w.e.do("GET", "/api/v1/me", w.admin.AccessToken, nil), 200).json(&me)
	if len(me.Memberships) != 0 {
		t.Fatalf("the admin became a member without consent: %+v", me.Memberships)
	}
	var ms listResponse[memberResponse]
	w.e.expect(w.e.do("GET", "/api/v1/organizations/"+w.orgA.ID+"/members", w.member.AccessToken, nil), 200).json(&ms)
	if len(ms.Items) != 1 {
		t.Fatalf("members of A = %+v", ms.Items)
	}
	// The admin sees the invitation and may decline it.
	var mine listResponse[invitationResponse]
	w.e.expect(w.e.do("GET", "/api/v1/me/invitations", w.admin.AccessToken, nil), 200).json(&mine)
	if len(mine.Items) != 1 || mine.Items[0].ID != inv.ID {
		t.Fatalf("admin's invitations = %+v", mine.Items)
	}
	w.e.expect(w.e.do("POST", "/api/v1/invitations/decline", w.admin.AccessToken, answerInvitationRequest{ID: inv.ID}), 200)
	w.e.expect(w.e.do("GET", "/api/v1/me", w.admin.AccessToken, nil), 200).json(&me)
	if len(me.Memberships) != 0 {
		t.Fatalf("declined invitation made a membership: %+v", me.Memberships)
	}
	// A declined link is spent.
	tok := w.e.mailTo("admin@techbridge.test", market.MailInvitation).Data["token"]
	w.e.expect(w.e.do("POST", "/api/v1/invitations/accept", w.admin.AccessToken, answerInvitationRequest{Token: tok}), 400).problem()
}

// TestInvitationSquatting: an invitation to an address nobody has
// registered cannot be taken by whoever registers that address first. The
// old code turned it into an ownership at registration.
func TestInvitationSquatting(t *testing.T) {
	w := newWorld(t)
	w.e.expect(w.e.do("POST", "/api/v1/organizations/"+w.orgA.ID+"/members", w.member.AccessToken,
		inviteRequest{Email: "cfo@a.example.cn", Role: "owner"}), 201)
	// The attacker registers the invited address; it cannot verify it.
	_, squatter := w.e.unverifiedUser("cfo@a.example.cn")
	var me meResponse
	w.e.expect(w.e.do("GET", "/api/v1/me", squatter.AccessToken, nil), 200).json(&me)
	if len(me.Memberships) != 0 {
		t.Fatalf("registration took the invitation: %+v", me.Memberships)
	}
	var mine listResponse[invitationResponse]
	w.e.expect(w.e.do("GET", "/api/v1/me/invitations", squatter.AccessToken, nil), 200).json(&mine)
	if len(mine.Items) != 0 {
		t.Fatalf("an unverified address sees invitations: %+v", mine.Items)
	}
	// Even holding the link, an unverified address cannot accept.
	tok := w.e.mailTo("cfo@a.example.cn", market.MailInvitation).Data["token"]
	p := w.e.expect(w.e.do("POST", "/api/v1/invitations/accept", squatter.AccessToken, answerInvitationRequest{Token: tok}), 403).problem()
	if !hasField(p, "email_verified") {
		t.Fatalf("refusal does not name the unverified email: %+v", p)
	}
	// Another verified account holding the link cannot accept it either.
	w.e.expect(w.e.do("POST", "/api/v1/invitations/accept", w.other.AccessToken, answerInvitationRequest{Token: tok}), 403).problem()
	// A tampered link is just invalid.
	w.e.expect(w.e.do("POST", "/api/v1/invitations/accept", squatter.AccessToken, answerInvitationRequest{Token: tok + "x"}), 400).problem()
	w.e.expect(w.e.do("GET", "/api/v1/me", squatter.AccessToken, nil), 200).json(&me)
	if len(me.Memberships) != 0 {
		t.Fatalf("squatter became a member: %+v", me.Memberships)
	}
	// The real owner of the address verifies it and accepts.
	w.e.expect(w.e.do("POST", "/api/v1/auth/email/verify", squatter.AccessToken,
		tokenRequest{Token: w.e.mailTo("cfo@a.example.cn", market.MailVerifyEmail).Data["token"]}), 200)
	w.e.expect(w.e.do("POST", "/api/v1/invitations/accept", squatter.AccessToken, answerInvitationRequest{Token: tok}), 200)
	w.e.expect(w.e.do("GET", "/api/v1/me", squatter.AccessToken, nil), 200).json(&me)
	if len(me.Memberships) != 1 || me.Memberships[0].OrgID != w.orgA.ID || me.Memberships[0].Role != "owner" {
		t.Fatalf("memberships after accepting = %+v", me.Memberships)
	}
	// The link is single-use.
	w.e.expect(w.e.do("POST", "/api/v1/invitations/accept", squatter.AccessToken, answerInvitationRequest{Token: tok}), 400).problem()
}

// TestUnverifiedCannotOpenDeal: neither an organisation waiting for
// verification nor an account with an unverified email opens a deal, and
// the refusal names what is missing. The old code opened both.
func TestUnverifiedCannotOpenDeal(t *testing.T) {
	w := newWorld(t)
	outcome := w.e.publishedOutcome("member@a.example.cn", w.orgA.ID, false)
	_, owner := w.e.user("owner@p.example.cn")
	pending := w.e.unverifiedOrg(owner.AccessToken, "enterprise")
	before := w.e.eventCount()
	p := w.e.expect(w.e.do("POST", "/api/v1/deals", owner.AccessToken, openDealRequest{OutcomeID: outcome, Message: "hi"}), 403).problem()
	if !hasField(p, "organization_verified") || !strings.Contains(p.Detail, pending.ID) {
		t.Fatalf("refusal does not name the organisation: %+v", p)
	}
	_, unverified := w.e.unverifiedUser("new@u.example.cn")
	w.e.org(unverified.AccessToken, "enterprise") // even a verified organisation needs a verified account
	before = w.e.eventCount()
	p = w.e.expect(w.e.do("POST", "/api/v1/deals", unverified.AccessToken, openDealRequest{OutcomeID: outcome, Message: "hi"}), 403).problem()
	if !hasField(p, "email_verified") {
		t.Fatalf("refusal does not name the email: %+v", p)
	}
	if w.e.eventCount() != before {
		t.Fatal("refused deals changed the log")
	}
	// Once an admin verifies the organisation, it trades.
	w.e.expect(w.e.do("POST", "/api/v1/admin/organizations/"+pending.ID+"/verification", w.admin.AccessToken,
		verificationRequest{Verification: "verified"}), 200)
	w.e.expect(w.e.do("POST", "/api/v1/deals", owner.AccessToken, openDealRequest{OutcomeID: outcome, Message: "hi"}), 201)
}

// TestUnverifiedOrganisationCannotPublish: submitting waits; publishing is
// refused until the organisation is verified.
func TestUnverifiedOrganisationCannotPublish(t *testing.T) {
	w := newWorld(t)
	_, owner := w.e.user("owner@p.example.cn")
	pending := w.e.unverifiedOrg(owner.AccessToken, "university")
	ctx := context.Background()
	a := w.e.actorOf("owner@p.example.cn")
	trl := 4
	o, err := w.e.svc.CreateOutcome(ctx, a, pending.ID, market.OutcomeInput{Title: "t", Summary: "s", Description: "d", TRL: &trl})
	if err != nil {
		t.Fatal(err)
	}
	if o, err = w.e.svc.TransitionOutcome(ctx, a, o.ID, o.Version, market.SubmitListing, ""); err != nil {
		t.Fatalf("submission must wait, not fail: %v", err)
	}
	admin := w.e.actorOf("admin@techbridge.test")
	_, err = w.e.svc.TransitionOutcome(ctx, admin, o.ID, o.Version, market.PublishListing, "")
	if market.ErrorCode(err) != market.EFORBIDDEN || !strings.Contains(market.ErrorMessage(err), "not verified") {
		t.Fatalf("publishing for an unverified organisation: %v", err)
	}
	if _, err := w.e.svc.VerifyOrganization(ctx, admin, pending.ID, market.VerificationVerified, ""); err != nil {
		t.Fatal(err)
	}
	if _, err = w.e.svc.TransitionOutcome(ctx, admin, o.ID, o.Version, market.PublishListing, ""); err != nil {
		t.Fatalf("publishing after verification: %v", err)
	}
}

// TestRegisterDoesNotTellWhoHasAnAccount: a new and a taken email get the
// same status and body; the taken one's owner gets a mail instead. (The
// old code answered 409 "already exists".)
func TestRegisterDoesNotTellWhoHasAnAccount(t *testing.T) {
	e := newEnv(t)
	e.user("zhou@example.cn")
	taken := e.do("POST", "/api/v1/auth/register", "", registerRequest{Email: "Zhou@Example.cn", Password: "another long one", DisplayName: "z"})
	fresh := e.do("POST", "/api/v1/auth/register", "", registerRequest{Email: "li@example.cn", Password: "another long one", DisplayName: "l"})
	if taken.Code != fresh.Code || taken.Body.String() != fresh.Body.String() || taken.Code != 202 {
		t.Fatalf("taken %d %s, fresh %d %s", taken.Code, taken.Body, fresh.Code, fresh.Body)
	}
	if e.mailCount("zhou@example.cn", market.MailAlreadyAccount) != 1 || e.mailCount("li@example.cn", market.MailVerifyEmail) != 1 {
		t.Fatal("the taken address got no notice, or the new one no verification link")
	}
	// The taken account's password is unchanged.
	e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "zhou@example.cn", Password: "correct horse battery"}), 200)
	e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "zhou@example.cn", Password: "another long one"}), 401)
	// Forgot password answers alike too.
	known := e.do("POST", "/api/v1/auth/password/forgot", "", forgotPasswordRequest{Email: "zhou@example.cn"})
	unknown := e.do("POST", "/api/v1/auth/password/forgot", "", forgotPasswordRequest{Email: "nobody@example.cn"})
	if known.Code != unknown.Code || known.Body.String() != unknown.Body.String() {
		t.Fatalf("forgot: known %d %s, unknown %d %s", known.Code, known.Body, unknown.Code, unknown.Body)
	}
}

// TestVerificationTokens: reuse, expiry, another account's token and
// tampering are all refused.
func TestVerificationTokens(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UTC()
	e.svc.Now = func() time.Time { return now }
	_, a := e.unverifiedUser("a@example.cn")
	_, b := e.unverifiedUser("b@example.cn")
	tokA := e.mailTo("a@example.cn", market.MailVerifyEmail).Data["token"]
	// Tampered: one character changed.
	bad := []byte(tokA)
	bad[0] ^= 1
	e.expect(e.do("POST", "/api/v1/auth/email/verify", "", tokenRequest{Token: string(bad)}), 400).problem()
	// Another logged-in account cannot spend A's link.
	e.expect(e.do("POST", "/api/v1/auth/email/verify", b.AccessToken, tokenRequest{Token: tokA}), 403).problem()
	var me meResponse
	e.expect(e.do("GET", "/api/v1/me", b.AccessToken, nil), 200).json(&me)
	if me.Account.EmailVerified {
		t.Fatal("B verified by A's link")
	}
	// Expired after 24 hours.
	now = now.Add(market.VerifyEmailTTL + time.Second)
	e.expect(e.do("POST", "/api/v1/auth/email/verify", a.AccessToken, tokenRequest{Token: tokA}), 400).problem()
	// A new link works once.
	e.expect(e.do("POST", "/api/v1/me/email/verification", a.AccessToken, nil), 202)
	tokA = e.mailTo("a@example.cn", market.MailVerifyEmail).Data["token"]
	e.expect(e.do("POST", "/api/v1/auth/email/verify", "", tokenRequest{Token: tokA}), 200)
	e.expect(e.do("POST", "/api/v1/auth/email/verify", "", tokenRequest{Token: tokA}), 400).problem()
	e.expect(e.do("GET", "/api/v1/me", a.AccessToken, nil), 200).json(&me)
	if !me.Account.EmailVerified {
		t.Fatal("A not verified")
	}
	// Only the hash is stored.
	var stored int
	e.db.View(context.Background(), func(tx market.Tx) error {
		if _, err := tx.AccountTokenByHash(tokA); err == nil {
			stored++
		}
		if _, err := tx.AccountTokenByHash(market.HashSecret(tokA)); err == nil {
			stored += 10
		}
		return nil
	})
	if stored != 10 {
		t.Fatalf("token storage = %d, want the hash only", stored)
	}
}

// TestPasswordReset: a reset link works once within 30 minutes, not for
// another purpose, and ends every refresh token and web session.
func TestPasswordReset(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UTC()
	e.svc.Now = func() time.Time { return now }
	_, tok := e.user("reset@example.cn")
	ctx := context.Background()
	acc := e.actorOf("reset@example.cn")
	session, err := e.svc.StartWebSession(ctx, acc.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	e.expect(e.do("POST", "/api/v1/auth/password/forgot", "", forgotPasswordRequest{Email: "reset@example.cn"}), 202)
	reset := e.mailTo("reset@example.cn", market.MailPasswordReset).Data["token"]
	// A verification token is not a reset token; a tampered one is nothing.
	e.expect(e.do("POST", "/api/v1/auth/password/reset", "", resetPasswordRequest{Token: e.mailTo("reset@example.cn", market.MailVerifyEmail).Data["token"],
		Password: "brand new password"}), 400).problem()
	e.expect(e.do("POST", "/api/v1/auth/password/reset", "", resetPasswordRequest{Token: reset[1:], Password: "brand new password"}), 400).problem()
	// Expired after 30 minutes.
	now = now.Add(market.ResetPasswordTTL + time.Second)
	e.expect(e.do("POST", "/api/v1/auth/password/reset", "", resetPasswordRequest{Token: reset, Password: "brand new password"}), 400).problem()
	e.expect(e.do("POST", "/api/v1/auth/password/forgot", "", forgotPasswordRequest{Email: "reset@example.cn"}), 202)
	reset = e.mailTo("reset@example.cn", market.MailPasswordReset).Data["token"]
	e.expect(e.do("POST", "/api/v1/auth/password/reset", "", resetPasswordRequest{Token: reset, Password: "brand new password"}), 204)
	e.expect(e.do("POST", "/api/v1/auth/password/reset", "", resetPasswordRequest{Token: reset, Password: "another new password"}), 400).problem()
	// Every session ended; the new password logs in, the old one does not.
	e.expect(e.do("POST", "/api/v1/auth/refresh", "", refreshRequest{RefreshToken: tok.RefreshToken}), 401)
	if _, err := e.svc.WebSessionAccount(ctx, session); market.ErrorCode(err) != market.EUNAUTHORIZED {
		t.Fatalf("web session after reset: %v", err)
	}
	e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "reset@example.cn", Password: "correct horse battery"}), 401)
	e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "reset@example.cn", Password: "brand new password"}), 200)
	if e.mailCount("reset@example.cn", market.MailPasswordChanged) != 1 {
		t.Fatal("no notice of the changed password")
	}
}

// TestMembershipLifeCycle: owners list and withdraw invitations, change
// roles and remove members; members leave; the last owner stays.
func TestMembershipLifeCycle(t *testing.T) {
	w := newWorld(t)
	colID, col := w.e.user("col@a.example.cn")
	path := "/api/v1/organizations/" + w.orgA.ID
	// A withdrawn invitation's link stops working.
	var inv invitationResponse
	w.e.expect(w.e.do("POST", path+"/members", w.member.AccessToken, inviteRequest{Email: "col@a.example.cn"}), 201).json(&inv)
	first := w.e.mailTo("col@a.example.cn", market.MailInvitation).Data["token"]
	var pending listResponse[invitationResponse]
	w.e.expect(w.e.do("GET", path+"/invitations?state=pending", w.member.AccessToken, nil), 200).json(&pending)
	if len(pending.Items) != 1 || pending.Items[0].ID != inv.ID {
		t.Fatalf("pending = %+v", pending.Items)
	}
	w.e.expect(w.e.do("DELETE", path+"/invitations/"+inv.ID, w.member.AccessToken, nil), 200)
	w.e.expect(w.e.do("POST", "/api/v1/invitations/accept", col.AccessToken, answerInvitationRequest{Token: first}), 400)
	// Invited again, accepted.
	w.e.join(w.member.AccessToken, w.orgA.ID, "col@a.example.cn", "member", col.AccessToken)
	// A member cannot change roles or remove others; the owner can.
	memberID := w.memberID()
	w.e.expect(w.e.do("PUT", path+"/members/"+memberID, col.AccessToken, memberRoleRequest{Role: "member"}), 403)
	w.e.expect(w.e.do("DELETE", path+"/members/"+memberID, col.AccessToken, nil), 403)
	// The last owner can neither step down nor leave.
	w.e.expect(w.e.do("PUT", path+"/members/"+memberID, w.member.AccessToken, memberRoleRequest{Role: "member"}), 409)
	w.e.expect(w.e.do("DELETE", path+"/members/"+memberID, w.member.AccessToken, nil), 409)
	w.e.expect(w.e.do("PUT", path+"/members/"+colID, w.member.AccessToken, memberRoleRequest{Role: "owner"}), 204)
	w.e.expect(w.e.do("PUT", path+"/members/"+memberID, w.member.AccessToken, memberRoleRequest{Role: "member"}), 204)
	// Now col owns A alone; the former owner leaves.
	w.e.expect(w.e.do("DELETE", path+"/members/"+memberID, w.member.AccessToken, nil), 204)
	var ms listResponse[memberResponse]
	w.e.expect(w.e.do("GET", path+"/members", col.AccessToken, nil), 200).json(&ms)
	if len(ms.Items) != 1 || ms.Items[0].AccountID != colID || ms.Items[0].Role != "owner" {
		t.Fatalf("members after leaving = %+v", ms.Items)
	}
	w.e.expect(w.e.do("DELETE", path+"/members/"+colID, col.AccessToken, nil), 409)
}

// TestExplicitOrganisation: an account in several organisations names the
// one it acts for (X-Organization or org_id); nothing picks the first.
func TestExplicitOrganisation(t *testing.T) {
	w := newWorld(t)
	outcome := w.e.publishedOutcome("member@a.example.cn", w.orgA.ID, false)
	second := w.e.org(w.other.AccessToken, "enterprise")
	p := w.e.expect(w.e.do("POST", "/api/v1/deals", w.other.AccessToken, openDealRequest{OutcomeID: outcome, Message: "hi"}), 400).problem()
	if !hasField(p, "org_id") {
		t.Fatalf("refusal does not ask for the organisation: %+v", p)
	}
	// A header naming an organisation the caller is not in is refused.
	r := newRequest("GET", "/api/v1/me", map[string]string{"Authorization": "Bearer " + w.other.AccessToken, "X-Organization": w.orgA.ID})
	if res := serve(w.e, r); res.Code != 403 {
		t.Fatalf("foreign X-Organization: %d", res.Code)
	}
	r = newRequest("POST", "/api/v1/deals", map[string]string{"Authorization": "Bearer " + w.other.AccessToken,
		"X-Organization": second.ID, "Content-Type": "application/json"})
	r.Body = io.NopCloser(strings.NewReader(`{"outcome_id":"` + outcome + `","message":"hi"}`))
	res := serve(w.e, r)
	if res.Code != 201 || !strings.Contains(res.Body.String(), second.ID) {
		t.Fatalf("deal for the named organisation: %d %s", res.Code, res.Body)
	}
}

// TestAdminMemberOfPartyStillSettles: an admin who accepted membership of
// the buyer still settles the buyer's dispute as the admin, and the log
// says so. (The old code let membership win: 403, so an organisation could
// freeze its own disputed escrow.)
func TestAdminMemberOfPartyStillSettles(t *testing.T) {
	w := newWorld(t)
	f := w.payments()
	seller := w.e.actorOf("pay-seller@s.example.cn")
	mid := f.milestone.ID
	w.e.expect(w.e.do("POST", "/api/v1/milestones/"+mid+"/fund", w.member.AccessToken, milestoneRequest{Version: 1, Reference: "ICBC-1"}), 202)
	w.e.expect(w.e.do("POST", "/api/v1/milestones/"+mid+"/fund/confirm", w.admin.AccessToken, milestoneRequest{Version: 1}), 200)
	ctx := context.Background()
	// The buyer invites the admin, who accepts: now a member of a party.
	w.e.join(w.member.AccessToken, w.orgA.ID, "admin@techbridge.test", "member", w.admin.AccessToken)
	m, err := w.e.svc.ActOnMilestone(ctx, seller, mid, market.MilestoneAction{Action: market.MilestoneDeliver, Version: 2, Note: "done"})
	if err != nil {
		t.Fatal(err)
	}
	var got milestoneMoneyResponse
	w.e.expect(w.e.do("POST", "/api/v1/milestones/"+mid+"/dispute", w.member.AccessToken, milestoneRequest{Version: m.Version, Note: "late"}), 200).json(&got)
	w.e.expect(w.e.do("POST", "/api/v1/admin/milestones/"+mid+"/settle", w.admin.AccessToken,
		milestoneRequest{Version: got.Version, Amount: 1000}), 200).json(&got)
	if got.State == market.MilestoneDisputed {
		t.Fatalf("still disputed: %+v", got)
	}
	var evs []market.Event
	w.e.db.View(ctx, func(tx market.Tx) (err error) {
		evs, err = tx.EventsAfter(0, 10000)
		return err
	})
	seen := false
	for _, ev := range evs {
		if ev.Type == market.EventAdminSettlesOwnParty && strings.Contains(string(ev.Payload), w.orgA.ID) {
			seen = true
		}
	}
	if !seen {
		t.Fatal("the admin's membership of a party is not on the record")
	}
}

// recordingMailer keeps what it was asked to send.
type recordingMailer struct{ sent []market.OutboxMail }

func (r *recordingMailer) Send(_ context.Context, m market.OutboxMail) error {
	r.sent = append(r.sent, m)
	return nil
}

// TestMailPreferencesHonoured: deal activity is mailed to the other side's
// members, except to those who switched deal mail off (read at send time,
// so it applies to mail already queued); account mail always goes.
func TestMailPreferencesHonoured(t *testing.T) {
	w := newWorld(t)
	outcome := w.e.publishedOutcome("member@a.example.cn", w.orgA.ID, false)
	colID, col := w.e.user("col@a.example.cn")
	w.e.join(w.member.AccessToken, w.orgA.ID, "col@a.example.cn", "member", col.AccessToken)
	w.e.expect(w.e.do("POST", "/api/v1/deals", w.other.AccessToken, openDealRequest{OutcomeID: outcome, Message: "hi"}), 201)
	var acc accountResponse
	w.e.expect(w.e.do("PATCH", "/api/v1/me", col.AccessToken, profileRequest{DisplayName: "Col", Language: "en",
		MailOptOut: []string{market.MailCategoryDealActivity}}), 200).json(&acc)
	if len(acc.MailOptOut) != 1 || acc.Language != "en" {
		t.Fatalf("profile %+v", acc)
	}
	rec := &recordingMailer{}
	if _, err := w.e.svc.SendDueMail(context.Background(), rec, 1000); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, m := range rec.sent {
		got[m.To+" "+m.Kind]++
		if m.AccountID == colID && m.Kind == market.MailDealActivity {
			t.Error("deal mail sent to a member who switched it off")
		}
	}
	if got["member@a.example.cn "+market.MailDealActivity] != 1 || got["other@b.example.cn "+market.MailDealActivity] != 0 {
		t.Fatalf("deal mail went to %v", got)
	}
	if got["col@a.example.cn "+market.MailVerifyEmail] != 1 {
		t.Fatalf("account mail was held back: %v", got)
	}
}

// TestPayoutOnlyToVerifiedOrganisation: a transfer to an organisation
// rejected since its release waits; the admin's "paid" is refused.
func TestPayoutOnlyToVerifiedOrganisation(t *testing.T) {
	w := newWorld(t)
	f := w.payments()
	var payee string
	w.e.db.View(context.Background(), func(tx market.Tx) error {
		op, err := tx.PaymentOpByID(f.payoutID)
		if err == nil {
			payee = op.OrgID
		}
		return err
	})
	admin := w.e.actorOf("admin@techbridge.test")
	if _, err := w.e.svc.VerifyOrganization(context.Background(), admin, payee, market.VerificationRejected, "licence expired"); err != nil {
		t.Fatal(err)
	}
	p := w.e.expect(w.e.do("POST", "/api/v1/admin/payouts/"+f.payoutID+"/paid", w.admin.AccessToken, payoutPaidRequest{Reference: "WIRE-1"}), 403).problem()
	if !hasField(p, "organization_verified") {
		t.Fatalf("refusal does not name the organisation: %+v", p)
	}
	if _, err := w.e.svc.VerifyOrganization(context.Background(), admin, payee, market.VerificationVerified, ""); err != nil {
		t.Fatal(err)
	}
	// Verified again, the gate opens; the fixture's payout has no payable
	// behind it, so the ledger answers 409 (past the verification check).
	p = w.e.expect(w.e.do("POST", "/api/v1/admin/payouts/"+f.payoutID+"/paid", w.admin.AccessToken, payoutPaidRequest{Reference: "WIRE-1"}), 409).problem()
	if hasField(p, "organization_verified") {
		t.Fatalf("still refused for verification: %+v", p)
	}
}

// TestOrganisationVerificationReview: a rejection needs a reason; the
// owners correct their details and the organisation waits again; the
// history keeps every step; only members and admins read the details.
func TestOrganisationVerificationReview(t *testing.T) {
	w := newWorld(t)
	_, owner := w.e.user("owner@p.example.cn")
	p := w.e.unverifiedOrg(owner.AccessToken, "enterprise")
	adminPath := "/api/v1/admin/organizations/" + p.ID + "/verification"
	w.e.expect(w.e.do("POST", adminPath, w.admin.AccessToken, verificationRequest{Verification: "rejected"}), 400).problem()
	var o orgResponse
	w.e.expect(w.e.do("POST", adminPath, w.admin.AccessToken, verificationRequest{Verification: "rejected", Reason: "营业执照照片不清晰"}), 200).json(&o)
	if o.Verification != market.VerificationRejected {
		t.Fatalf("after rejecting: %+v", o)
	}
	if n := w.e.mailCount("owner@p.example.cn", market.MailOrgVerification); n != 1 {
		t.Fatalf("%d decision mails to the owner", n)
	}
	req := "/api/v1/organizations/" + p.ID + "/verification-request"
	w.e.expect(w.e.do("POST", req, w.other.AccessToken, verificationRequestBody{Details: "x"}), 403)
	w.e.expect(w.e.do("POST", req, owner.AccessToken, verificationRequestBody{Details: "执照编号 91310000MA1FL0001X，上海市市场监督管理局"}), 200).json(&o)
	if o.Verification != market.VerificationPending || !strings.Contains(o.Details, "执照编号") {
		t.Fatalf("after resubmitting: %+v", o)
	}
	var public orgResponse
	w.e.expect(w.e.do("GET", "/api/v1/organizations/"+p.ID, w.other.AccessToken, nil), 200).json(&public)
	if public.Details != "" {
		t.Fatal("a stranger reads the verification details")
	}
	w.e.expect(w.e.do("POST", adminPath, w.admin.AccessToken, verificationRequest{Verification: "verified"}), 200)
	var h listResponse[orgVerificationResponse]
	w.e.expect(w.e.do("GET", "/api/v1/organizations/"+p.ID+"/verifications", owner.AccessToken, nil), 200).json(&h)
	var steps []string
	for _, v := range h.Items {
		steps = append(steps, v.Decision)
	}
	if strings.Join(steps, ",") != "rejected,submitted,verified" || h.Items[0].Reason != "营业执照照片不清晰" {
		t.Fatalf("history %+v", h.Items)
	}
	w.e.expect(w.e.do("GET", "/api/v1/organizations/"+p.ID+"/verifications", w.other.AccessToken, nil), 403)
}
