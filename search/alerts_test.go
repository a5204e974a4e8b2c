package search_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/search"
)

// alertNotices returns the match alerts an organisation has received.
func alertNotices(t *testing.T, db *sqlstore.DB, orgID string) []market.Notification {
	t.Helper()
	var out []market.Notification
	err := db.View(context.Background(), func(tx market.Tx) error {
		ns, err := tx.ListNotifications(market.NotificationFilter{OrgIDs: []string{orgID}, Limit: 100})
		for _, n := range ns {
			if n.Kind == search.AlertKind && n.OrgID == orgID {
				out = append(out, n)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func step(t *testing.T, a *search.Alerts) int {
	t.Helper()
	n, err := a.Step(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var batteryDemand = market.ScenarioInput{Title: "新能源汽车退役动力电池回收利用", Field: "energy_storage",
	Description: "每年退役数千套动力电池，需要自动拆解与梯次利用方案。", Keywords: []string{"动力电池", "回收"}, MinTRL: 5,
	Budget: market.Money{Max: 100 * matchWan, Currency: "CNY"}, Region: "上海市"}

var recyclingOutcome = market.OutcomeInput{Title: "退役动力锂电池回收与梯次利用技术", Summary: "动力电池自动拆解与梯次利用",
	Keywords: []string{"动力电池", "电池回收", "梯次利用"}, Field: "energy_storage", IPC: []string{"H01M 10/54"},
	TRL: trl(6), Price: market.Money{Min: 50 * matchWan, Max: 80 * matchWan, Currency: "CNY"}}

func TestMatchAlertsTellTheOtherSideOncePerPair(t *testing.T) {
	db := sqltest.MustOpen(t)
	m := newMarket(t, db)
	ix := newIndexer(db, memEngine(t))
	eng := ix.Engine
	alerts := &search.Alerts{Store: db, Matcher: &search.Matcher{Search: &search.Service{Engine: eng}}, Log: quietLog(), WaitForIndex: true}

	demand := m.scenario(batteryDemand)
	catchUp(t, ix)
	if n := step(t, alerts); n == 0 {
		t.Fatal("no events handled")
	}
	if got := alertNotices(t, db, m.ent.ID); len(got) != 0 {
		t.Fatalf("alerts before any outcome: %+v", got)
	}

	// An unrelated outcome and the fitting one are published; only the
	// fitting one is announced, to the scenario's owner.
	m.publish(m.outcome(market.OutcomeInput{Title: "智能灌溉系统", Keywords: []string{"灌溉"}, Field: "agriculture"}))
	o := m.publish(m.outcome(recyclingOutcome))
	// Held back until the indexer has passed the publication.
	step(t, alerts)
	if got := alertNotices(t, db, m.ent.ID); len(got) != 0 {
		t.Fatalf("alerted before the index caught up: %+v", got)
	}
	catchUp(t, ix)
	step(t, alerts)
	got := alertNotices(t, db, m.ent.ID)
	if len(got) != 1 {
		t.Fatalf("scenario owner got %d alerts, want 1: %+v", len(got), got)
	}
	n := got[0]
	if n.DedupKey != search.AlertKey(demand.ID, o.ID) || n.ObjectType != market.OutcomeObjectType || n.ObjectID != o.ID ||
		!strings.Contains(n.Text, o.Title) || !strings.Contains(n.Text, demand.Title) {
		t.Fatalf("alert %+v", n)
	}
	if own := alertNotices(t, db, m.uni.ID); len(own) != 0 {
		t.Fatalf("the outcome's owner was told about its own publication: %+v", own)
	}

	// Pausing and resuming the outcome does not repeat the alert.
	o = m.moveOutcome(o, m.uniOwner, market.PauseListing)
	m.moveOutcome(o, m.uniOwner, market.ResumeListing)
	catchUp(t, ix)
	if plan, err := alerts.Plan(context.Background(), lastEvent(t, db)); err != nil || len(plan) != 1 {
		t.Fatalf("the resume plans %d alerts (%v), want the same one again", len(plan), err)
	}
	step(t, alerts)
	if got := alertNotices(t, db, m.ent.ID); len(got) != 1 {
		t.Fatalf("after pause and resume: %d alerts, want still 1", len(got))
	}

	// The reverse: a second demand published later tells the outcome's owner.
	second := batteryDemand
	second.Title = "储能电站退役电池梯次利用"
	s2 := m.scenario(second)
	catchUp(t, ix)
	step(t, alerts)
	uni := alertNotices(t, db, m.uni.ID)
	if len(uni) != 1 || uni[0].DedupKey != search.AlertKey(s2.ID, o.ID) || uni[0].ObjectID != s2.ID {
		t.Fatalf("outcome owner alerts %+v", uni)
	}
	if n := step(t, alerts); n != 0 {
		t.Fatalf("step after catching up handled %d events", n)
	}
}

func TestMatchAlertsPlanSkipsWhatIsNoLongerPublished(t *testing.T) {
	db := sqltest.MustOpen(t)
	m := newMarket(t, db)
	ix := newIndexer(db, memEngine(t))
	alerts := &search.Alerts{Store: db, Matcher: &search.Matcher{Search: &search.Service{Engine: ix.Engine}}}
	m.scenario(batteryDemand)
	o := m.publish(m.outcome(recyclingOutcome))
	catchUp(t, ix)
	published := lastEvent(t, db)
	plan, err := alerts.Plan(context.Background(), published)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 1 || plan[0].OrgID != m.ent.ID || plan[0].OutcomeID != o.ID || plan[0].Score < search.AlertScore {
		t.Fatalf("plan %+v", plan)
	}
	// Closed since: the same event plans nothing.
	m.moveOutcome(o, m.uniOwner, market.CloseListing)
	if plan, err = alerts.Plan(context.Background(), published); err != nil || len(plan) != 0 {
		t.Fatalf("plan for a closed outcome: %+v, %v", plan, err)
	}
}

func lastEvent(t *testing.T, db *sqlstore.DB) market.Event {
	t.Helper()
	var e market.Event
	err := db.View(context.Background(), func(tx market.Tx) error {
		seq, err := tx.LastEventSeq()
		if err != nil {
			return err
		}
		evs, err := tx.EventsAfter(seq-1, 1)
		if len(evs) == 1 {
			e = evs[0]
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestMatchAlertsStartRunsUntilStopped(t *testing.T) {
	db := sqltest.MustOpen(t)
	m := newMarket(t, db)
	ix := newIndexer(db, memEngine(t))
	demand := m.scenario(batteryDemand)
	o := m.publish(m.outcome(recyclingOutcome))
	catchUp(t, ix)
	alerts := &search.Alerts{Store: db, Matcher: &search.Matcher{Search: &search.Service{Engine: ix.Engine}},
		Log: quietLog(), WaitForIndex: true, Poll: time.Millisecond}
	stop := alerts.Start(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	for len(alertNotices(t, db, m.ent.ID)) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	stop()
	got := alertNotices(t, db, m.ent.ID)
	if len(got) != 1 || got[0].DedupKey != search.AlertKey(demand.ID, o.ID) {
		t.Fatalf("alerts after Start: %+v", got)
	}
	var cur, last int64
	db.View(context.Background(), func(tx market.Tx) (err error) {
		if cur, err = tx.Cursor(search.AlertsCursor); err != nil {
			return err
		}
		last, err = tx.LastEventSeq()
		return err
	})
	if cur != last {
		t.Fatalf("cursor %d after the run, log ends at %d", cur, last)
	}
	// Both were published before the consumer ran: the scenario came first,
	// so its owner hears of the outcome, and the outcome's owner is not
	// told of a scenario that was there before it.
	if uni := alertNotices(t, db, m.uni.ID); len(uni) != 0 {
		t.Fatalf("outcome owner told of an older scenario: %+v", uni)
	}
}

// TestMatchAlertsSkipHistoryOnFirstStart: a consumer that never ran used to
// replay the whole log on its first start, announcing every old pair; it
// now starts at the end, and later publications are announced as before.
func TestMatchAlertsSkipHistoryOnFirstStart(t *testing.T) {
	db := sqltest.MustOpen(t)
	m := newMarket(t, db)
	ix := newIndexer(db, memEngine(t))
	m.scenario(batteryDemand)
	m.publish(m.outcome(recyclingOutcome)) // history: a strong pair
	catchUp(t, ix)
	alerts := &search.Alerts{Store: db, Matcher: &search.Matcher{Search: &search.Service{Engine: ix.Engine}},
		Log: quietLog(), WaitForIndex: true}
	pos, err := alerts.SkipHistory(context.Background())
	if err != nil || pos <= 0 {
		t.Fatalf("skip history: %d, %v", pos, err)
	}
	if n, err := alerts.Step(context.Background()); err != nil || n != 0 {
		t.Fatalf("step after skipping: %d events, %v", n, err)
	}
	if got := alertNotices(t, db, m.ent.ID); len(got) != 0 {
		t.Fatalf("old pair announced: %v", got)
	}
	if again, err := alerts.SkipHistory(context.Background()); err != nil || again != -1 {
		t.Fatalf("second skip moved the cursor: %d, %v", again, err)
	}
	// A later publication is announced.
	m.publish(m.outcome(market.OutcomeInput{Title: "动力电池梯次利用与自动拆解回收", Summary: "动力电池回收",
		Keywords: []string{"动力电池", "电池回收", "梯次利用"}, Field: "energy_storage", IPC: []string{"H01M 10/54"}, TRL: trl(6)}))
	catchUp(t, ix)
	for {
		n, err := alerts.Step(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	if got := alertNotices(t, db, m.ent.ID); len(got) != 1 {
		t.Fatalf("alerts after a new publication: %v", got)
	}
}
