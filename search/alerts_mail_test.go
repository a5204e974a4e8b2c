package search_test

import (
	"context"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/search"
)

// recordingMailer keeps what the outbox asked it to send.
type recordingMailer struct{ sent []market.OutboxMail }

func (r *recordingMailer) Send(_ context.Context, m market.OutboxMail) error {
	r.sent = append(r.sent, m)
	return nil
}

// queuedOfKind returns the outbox's unsent mail of one kind.
func queuedOfKind(t *testing.T, db *sqlstore.DB, kind string) []market.OutboxMail {
	t.Helper()
	var out []market.OutboxMail
	err := db.View(context.Background(), func(tx market.Tx) error {
		ms, err := tx.DueMail(time.Now().Add(time.Hour), 1000)
		for _, m := range ms {
			if m.Kind == kind {
				out = append(out, m)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMatchAlertMailsEachMemberOnce: a new alert queues one match-alert
// mail per member of the told organisation, in the member's language,
// linking the new listing; replaying the event queues nothing more; a
// member who switched match alerts off has the mail skipped.
func TestMatchAlertMailsEachMemberOnce(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		m := newMarket(t, db)
		m.svc.LinkBase = "https://tb.example.cn/"
		ix := newIndexer(db, memEngine(t))
		alerts := &search.Alerts{Store: db, Matcher: &search.Matcher{Search: &search.Service{Engine: ix.Engine}},
			Log: quietLog(), WaitForIndex: true, Service: m.svc}
		member := func(email, lang string, optOut ...string) *market.Account {
			acc, err := m.svc.RegisterVerified(ctx, market.NewAccount{Email: email, Password: "correct horse battery", DisplayName: email, Language: lang})
			m.must(err)
			acc.MailOptOut = optOut
			m.must(db.Update(ctx, func(tx market.Tx) error {
				if err := tx.UpdateAccountProfile(acc); err != nil {
					return err
				}
				return tx.AddMembership(market.Membership{AccountID: acc.ID, OrgID: m.ent.ID, Role: market.MemberMember, CreatedAt: time.Now()})
			}))
			return acc
		}
		col := member("col@x.cn", "en")
		quiet := member("quiet@x.cn", "zh", market.MailCategoryMatchAlerts)

		demand := m.scenario(batteryDemand)
		o := m.publish(m.outcome(recyclingOutcome))
		catchUp(t, ix)
		for step(t, alerts) > 0 {
		}
		if got := alertNotices(t, db, m.ent.ID); len(got) != 1 {
			t.Fatalf("%d alerts, want 1", len(got))
		}
		mails := queuedOfKind(t, db, market.MailMatchAlert)
		if len(mails) != 3 { // the owner, col and quiet
			t.Fatalf("%d match-alert mails queued, want 3: %+v", len(mails), mails)
		}
		byAccount := map[string]market.OutboxMail{}
		for _, ml := range mails {
			byAccount[ml.AccountID] = ml
			if ml.Category != market.MailCategoryMatchAlerts || ml.Data["link"] != "https://tb.example.cn/outcomes/"+o.ID ||
				ml.Data["listing"] != o.Title || ml.Data["yours"] != demand.Title ||
				ml.Key != "alert:"+search.AlertKey(demand.ID, o.ID)+":"+ml.AccountID {
				t.Errorf("mail %+v", ml)
			}
		}
		if byAccount[m.entOwner.AccountID].To != "ent@x.cn" || byAccount[col.ID].Lang != "en" || byAccount[quiet.ID].To != "quiet@x.cn" {
			t.Fatalf("mails by account %+v", byAccount)
		}

		// A replay of the whole log (cursor reset) queues nothing new.
		m.must(db.Update(ctx, func(tx market.Tx) error { return tx.SetCursor(search.AlertsCursor, 0) }))
		for step(t, alerts) > 0 {
		}
		if again := queuedOfKind(t, db, market.MailMatchAlert); len(again) != 3 {
			t.Fatalf("after a replay %d match-alert mails, want still 3", len(again))
		}

		rec := &recordingMailer{}
		if _, err := m.svc.SendDueMail(ctx, rec, 1000); err != nil {
			t.Fatal(err)
		}
		sent := map[string]bool{}
		for _, ml := range rec.sent {
			if ml.Kind == market.MailMatchAlert {
				sent[ml.AccountID] = true
			}
		}
		if len(sent) != 2 || !sent[m.entOwner.AccountID] || !sent[col.ID] {
			t.Fatalf("match-alert mail sent to %v, want the owner and col only", sent)
		}
		m.must(db.View(ctx, func(tx market.Tx) error {
			ml, err := tx.MailByKey(byAccount[quiet.ID].Key)
			if err == nil && (ml.Skipped == "" || ml.SentAt != nil) {
				t.Errorf("opted-out member's mail %+v", ml)
			}
			return err
		}))
	})
}
