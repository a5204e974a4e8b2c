package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestAccountTrustStorage: on both engines, a token is used once, an
// invitation is decided once, a mail key is queued and sent once, email
// changes respect uniqueness, and a reset's revocations reach every
// token and session of the account.
func TestAccountTrustStorage(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		a := &market.Account{ID: market.NewID(), Email: "a@x.cn", DisplayName: "A", PasswordHash: "h", CreatedAt: t0, Language: "en"}
		b := &market.Account{ID: market.NewID(), Email: "b@x.cn", DisplayName: "B", PasswordHash: "h", CreatedAt: t0}
		org := &market.Organization{ID: market.NewID(), Kind: market.OrgUniversity, NameZH: "大学", Region: "上海",
			CreditCode: sqltest.ValidCreditCode(77), Verification: market.VerificationPending, VerificationDetails: "执照 1",
			CreatedAt: t0, UpdatedAt: t0, Version: 1}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(update(t, db, func(tx market.Tx) error {
			for _, acc := range []*market.Account{a, b} {
				if err := tx.CreateAccount(acc); err != nil {
					return err
				}
			}
			return tx.CreateOrganization(org)
		}))

		// Accounts: verification time, language, opt-outs, email uniqueness.
		at := t0.Add(time.Hour)
		must(update(t, db, func(tx market.Tx) error { return tx.SetAccountEmail(a.ID, "a@x.cn", &at) }))
		if err := update(t, db, func(tx market.Tx) error { return tx.SetAccountEmail(b.ID, "a@x.cn", nil) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("taking another account's email: %v", err)
		}
		must(update(t, db, func(tx market.Tx) error {
			a.MailOptOut = []string{"digests", "match_alerts"}
			return tx.UpdateAccountProfile(a)
		}))
		must(db.View(ctx, func(tx market.Tx) error {
			got, err := tx.AccountByID(a.ID)
			if err != nil {
				return err
			}
			if !got.EmailVerified() || !got.EmailVerifiedAt.Equal(t0.Add(time.Hour)) || got.Language != "en" || len(got.MailOptOut) != 2 {
				t.Errorf("account %+v", got)
			}
			o, err := tx.OrganizationByID(org.ID)
			if err == nil && o.VerificationDetails != "执照 1" {
				t.Errorf("details %q", o.VerificationDetails)
			}
			return err
		}))

		// Tokens are used once.
		tok := &market.AccountToken{Hash: market.HashSecret("s1"), AccountID: a.ID, Purpose: market.TokenResetPassword, Email: a.Email,
			CreatedAt: t0, ExpiresAt: t0.Add(market.ResetPasswordTTL)}
		must(update(t, db, func(tx market.Tx) error { return tx.CreateAccountToken(tok) }))
		must(update(t, db, func(tx market.Tx) error { return tx.UseAccountToken(tok.Hash, t0) }))
		if err := update(t, db, func(tx market.Tx) error { return tx.UseAccountToken(tok.Hash, t0) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("second use: %v", err)
		}

		// A reset revokes every refresh family and session of the account, not others'.
		must(update(t, db, func(tx market.Tx) error {
			for i, acc := range []string{a.ID, a.ID, b.ID} {
				r := &market.RefreshToken{ID: market.NewID(), FamilyID: market.NewID(), AccountID: acc, Hash: market.HashSecret("r" + string(rune('0'+i))),
					CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
				if err := tx.CreateRefreshToken(r); err != nil {
					return err
				}
				if err := tx.CreateWebSession(&market.WebSession{Hash: market.HashSecret("w" + string(rune('0'+i))), AccountID: acc, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}); err != nil {
					return err
				}
			}
			if err := tx.RevokeAccountRefreshTokens(a.ID, t0); err != nil {
				return err
			}
			return tx.DeleteAccountWebSessions(a.ID)
		}))
		must(db.View(ctx, func(tx market.Tx) error {
			for i, want := range []bool{true, true, false} {
				r, err := tx.RefreshTokenByHash(market.HashSecret("r" + string(rune('0'+i))))
				if err != nil {
					return err
				}
				if (r.RevokedAt != nil) != want {
					t.Errorf("refresh token %d revoked=%v, want %v", i, r.RevokedAt != nil, want)
				}
				_, err = tx.WebSessionByHash(market.HashSecret("w" + string(rune('0'+i))))
				if (market.ErrorCode(err) == market.ENOTFOUND) != want {
					t.Errorf("web session %d: %v", i, err)
				}
			}
			return nil
		}))

		// Invitations are decided once and listed by filter.
		inv := &market.Invitation{ID: market.NewID(), OrgID: org.ID, Email: "b@x.cn", Role: market.MemberMember, InvitedBy: a.ID,
			TokenHash: market.HashSecret("inv"), State: market.InvitationPending, CreatedAt: t0, ExpiresAt: t0.Add(market.InvitationTTL)}
		must(update(t, db, func(tx market.Tx) error { return tx.CreateInvitation(inv) }))
		decided := t0.Add(time.Minute)
		inv.State, inv.DecidedAt, inv.DecidedBy = market.InvitationAccepted, &decided, b.ID
		must(update(t, db, func(tx market.Tx) error { return tx.DecideInvitation(inv) }))
		if err := update(t, db, func(tx market.Tx) error { return tx.DecideInvitation(inv) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("second decision: %v", err)
		}
		must(db.View(ctx, func(tx market.Tx) error {
			byHash, err := tx.InvitationByTokenHash(market.HashSecret("inv"))
			if err != nil {
				return err
			}
			pending, err := tx.ListInvitations(market.InvitationFilter{OrgID: org.ID, State: market.InvitationPending})
			if err != nil {
				return err
			}
			all, err := tx.ListInvitations(market.InvitationFilter{Email: "b@x.cn"})
			if byHash.State != market.InvitationAccepted || !byHash.DecidedAt.Equal(decided) || len(pending) != 0 || len(all) != 1 {
				t.Errorf("invitation %+v, pending %d, all %d", byHash, len(pending), len(all))
			}
			return err
		}))

		// A mail key is queued once and sent once.
		m := &market.OutboxMail{Key: "k1", AccountID: a.ID, To: a.Email, Lang: "en", Kind: market.MailVerifyEmail,
			Category: market.MailCategoryAccount, Data: map[string]string{"link": "x"}, CreatedAt: t0, NextAttemptAt: t0}
		for i, want := range []bool{true, false} {
			must(update(t, db, func(tx market.Tx) error {
				ok, err := tx.EnqueueMail(m)
				if ok != want {
					t.Errorf("enqueue %d: inserted %v", i, ok)
				}
				return err
			}))
		}
		must(update(t, db, func(tx market.Tx) error { return tx.MarkMailFailed("k1", 1, t0.Add(time.Minute), "down") }))
		must(db.View(ctx, func(tx market.Tx) error {
			early, err := tx.DueMail(t0, 10)
			if err != nil {
				return err
			}
			due, err := tx.DueMail(t0.Add(time.Minute), 10)
			if len(early) != 0 || len(due) != 1 || due[0].Attempts != 1 || due[0].Data["link"] != "x" {
				t.Errorf("due early %d, later %+v", len(early), due)
			}
			return err
		}))
		must(update(t, db, func(tx market.Tx) error { return tx.MarkMailSent("k1", t0) }))
		if err := update(t, db, func(tx market.Tx) error { return tx.MarkMailSent("k1", t0) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("second send: %v", err)
		}

		// Notifications of the account and its organisation are read at once.
		must(update(t, db, func(tx market.Tx) error {
			for _, to := range []market.Recipient{market.ToAccount(a.ID), market.ToOrg(org.ID), market.ToAccount(b.ID)} {
				if err := market.Notify(tx, to, "k", market.ObjectRef{}, "t", t0); err != nil {
					return err
				}
			}
			return tx.MarkNotificationsRead(market.NotificationFilter{AccountID: a.ID, OrgIDs: []string{org.ID}}, t0)
		}))
		must(db.View(ctx, func(tx market.Tx) error {
			ua, err := tx.ListNotifications(market.NotificationFilter{AccountID: a.ID, OrgIDs: []string{org.ID}, UnreadOnly: true, Limit: 10})
			if err != nil {
				return err
			}
			ub, err := tx.ListNotifications(market.NotificationFilter{AccountID: b.ID, UnreadOnly: true, Limit: 10})
			if len(ua) != 0 || len(ub) != 1 {
				t.Errorf("unread after read-all: a %d, b %d", len(ua), len(ub))
			}
			return err
		}))
	})
}

// TestRegisterTakenEmailOnBothEngines: a taken email changes nothing and
// queues the owner's notice (on PostgreSQL the refused insert must not
// poison the notice's transaction).
func TestRegisterTakenEmailOnBothEngines(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		svc := market.NewService(db)
		first, err := svc.Register(ctx, market.NewAccount{Email: "z@x.cn", Password: "long enough pass", DisplayName: "Z"})
		if err != nil || first == nil {
			t.Fatalf("first: %v %v", first, err)
		}
		again, err := svc.Register(ctx, market.NewAccount{Email: "Z@x.cn", Password: "another long pass", DisplayName: "Y"})
		if err != nil || again != nil {
			t.Fatalf("taken: %v %v", again, err)
		}
		var due []market.OutboxMail
		if err := db.View(ctx, func(tx market.Tx) (err error) { due, err = tx.DueMail(time.Now().AddDate(1, 0, 0), 10); return err }); err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, m := range due {
			kinds[m.Kind]++
		}
		if kinds[market.MailVerifyEmail] != 1 || kinds[market.MailAlreadyAccount] != 1 {
			t.Fatalf("queued %v", kinds)
		}
		if _, err := svc.Authenticate(ctx, "z@x.cn", "long enough pass"); err != nil {
			t.Fatalf("the first password stopped working: %v", err)
		}
	})
}
