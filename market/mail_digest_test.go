package market_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// outboxMail reads one mail by key; nil when there is none.
func outboxMail(t *testing.T, db *sqlstore.DB, key string) *market.OutboxMail {
	t.Helper()
	var m *market.OutboxMail
	err := db.View(context.Background(), func(tx market.Tx) (err error) {
		m, err = tx.MailByKey(key)
		if market.ErrorCode(err) == market.ENOTFOUND {
			m, err = nil, nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

type digestRecorder struct{ sent []market.OutboxMail }

func (r *digestRecorder) Send(_ context.Context, m market.OutboxMail) error {
	r.sent = append(r.sent, m)
	return nil
}

// TestDigestOncePerDayWithTheUnread: an account with unread notifications
// (its own and its organisation's) gets one digest listing up to 10 of
// them, in its language; running again the same day, or a day later with
// nothing new, queues nothing; a new notice a day later makes the next
// digest, listing only it; an account with nothing unread gets none; an
// account that switched digests off has its digest skipped by the outbox.
func TestDigestOncePerDayWithTheUnread(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		clock := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
		svc := market.NewService(db)
		svc.Now = func() time.Time { return clock }
		svc.LinkBase = "https://tb.example.cn"
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		register := func(email, lang string, optOut ...string) *market.Account {
			acc, err := svc.RegisterVerified(ctx, market.NewAccount{Email: email, Password: "long enough pass", DisplayName: email, Language: lang})
			must(err)
			if len(optOut) > 0 {
				acc.MailOptOut = optOut
				must(db.Update(ctx, func(tx market.Tx) error { return tx.UpdateAccountProfile(acc) }))
			}
			return acc
		}
		notify := func(to market.Recipient, text string) string {
			var id string
			must(db.Update(ctx, func(tx market.Tx) error {
				if err := market.Notify(tx, to, "test", market.ObjectRef{}, text, clock.Add(-time.Minute)); err != nil {
					return err
				}
				f := market.NotificationFilter{AccountID: to.AccountID, Limit: 1}
				if to.OrgID != "" {
					f.OrgIDs = []string{to.OrgID}
				}
				ns, err := tx.ListNotifications(f)
				if err == nil && len(ns) == 1 {
					id = ns[0].ID
				}
				return err
			}))
			return id
		}
		busy := register("busy@x.cn", "en")
		idle := register("idle@x.cn", "zh")
		quiet := register("quiet@x.cn", "zh", market.MailCategoryDigests)
		actor, err := svc.ActorFor(ctx, busy.ID)
		must(err)
		org, err := svc.CreateOrganization(ctx, actor, market.NewOrganization{Kind: market.OrgEnterprise, NameZH: "新擎",
			Region: "上海", CreditCode: sqltest.ValidCreditCode(77)})
		must(err)
		read := notify(market.ToAccount(busy.ID), "already read")
		must(db.Update(ctx, func(tx market.Tx) error { return tx.MarkNotificationRead(read, clock) }))
		for i := range 11 {
			notify(market.ToAccount(busy.ID), fmt.Sprintf("notice %d", i))
		}
		notify(market.ToOrg(org.ID), "org notice")
		notify(market.ToAccount(quiet.ID), "for quiet")

		queue := func(want int) {
			t.Helper()
			n, err := svc.QueueDigests(ctx)
			must(err)
			if n != want {
				t.Fatalf("at %s: %d digests queued, want %d", clock, n, want)
			}
		}
		queue(2) // busy and quiet
		day := func(acc *market.Account) string { return "digest:" + acc.ID + ":" + clock.Format(time.DateOnly) }
		m := outboxMail(t, db, day(busy))
		if m == nil || m.Kind != market.MailDigest || m.Category != market.MailCategoryDigests || m.Lang != "en" ||
			m.To != "busy@x.cn" || m.Data["link"] != "https://tb.example.cn/notifications" || m.Data["count"] != "10+" {
			t.Fatalf("busy's digest %+v", m)
		}
		items := strings.Split(m.Data["items"], "\n")
		if len(items) != 10 || items[0] != "- org notice" || strings.Contains(m.Data["items"], "already read") {
			t.Fatalf("busy's digest lists %q", items)
		}
		if outboxMail(t, db, day(idle)) != nil {
			t.Fatal("a digest for an account with nothing unread")
		}

		clock = clock.Add(2 * time.Hour)
		queue(0) // the same day
		clock = clock.Add(23 * time.Hour)
		queue(0) // a day later, but nothing came since
		notify(market.ToAccount(busy.ID), "new since")
		queue(1)
		m = outboxMail(t, db, day(busy))
		if m == nil || m.Data["items"] != "- new since" || m.Data["count"] != "1" {
			t.Fatalf("next day's digest %+v", m)
		}
		queue(0)

		rec := &digestRecorder{}
		_, err = svc.SendDueMail(ctx, rec, 1000)
		must(err)
		digests := map[string]int{}
		for _, s := range rec.sent {
			if s.Kind == market.MailDigest {
				digests[s.To]++
			}
		}
		if digests["busy@x.cn"] != 2 || digests["quiet@x.cn"] != 0 || len(digests) != 1 {
			t.Fatalf("digests sent %v", digests)
		}
		q := outboxMail(t, db, "digest:"+quiet.ID+":2026-12-06")
		if q == nil || q.Skipped == "" || q.SentAt != nil {
			t.Fatalf("opted-out digest %+v", q)
		}
	})
}
