package search

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"techbridge/market"
)

// Match alerts: when a listing is published (or resumed) and ranks as a
// strong match (Match.Strong) for a listing of the other side, the other
// listing's owner organisation gets one in-app notification. The dedup key
// names the (scenario, outcome) pair, so a pair is announced once whichever
// side appears second, however often either is paused, resumed or
// re-published after an edit.

// AlertsCursor is the match alerts' position in the event log.
const AlertsCursor = "match-alerts"

// AlertKind is the notification kind of a match alert.
const AlertKind = "match.alert"

// Alerts defaults.
const (
	DefaultAlertBatch = 100
	DefaultAlertPoll  = 2 * time.Second
)

// AlertKey is the dedup key of the alert for a scenario and an outcome.
func AlertKey(scenarioID, outcomeID string) string {
	return "match:" + scenarioID + ":" + outcomeID
}

// Alert is one notification to send: the organisation told, the listing it
// is about (the newly published one), the text and the dedup key.
type Alert struct {
	OrgID      string
	ScenarioID string
	OutcomeID  string
	About      market.ObjectRef
	Text       string
	DedupKey   string
	Score      float64
	Listing    string // the new listing's title
	Yours      string // the title of the told organisation's matching listing
}

// Alerts follows the event log under its own cursor and sends match
// alerts. Run it in serve beside the indexer; with WaitForIndex it only
// handles events the indexer has passed, so the listings published before
// an event are in the index when it is matched. Several instances may run
// it: the dedup key keeps a pair to one notification.
type Alerts struct {
	Store   market.Store
	Matcher *Matcher // its Market is not needed
	Log     *slog.Logger
	// WaitForIndex holds events back until the indexer's cursor
	// (CursorName) has passed them.
	WaitForIndex bool
	// IndexPosition, when set, is where WaitForIndex reads the index's
	// position (Indexer.Position): a per-instance index keeps it beside
	// itself, not in the shared cursor row.
	IndexPosition func(ctx context.Context) (int64, error)
	// Service, when set, mails each new alert to the organisation's
	// members (Service.MailMatchAlert, with its public links); without
	// it the mail is still queued, with links as paths.
	Service *market.Service
	Batch   int           // events per step; 0 = DefaultAlertBatch
	Poll    time.Duration // pause when idle; 0 = DefaultAlertPoll
}

// Run handles events until ctx ends, pausing Poll when idle or after an
// error (which it logs; the cursor stays, so the work is retried).
func (a *Alerts) Run(ctx context.Context) error {
	poll := a.Poll
	if poll <= 0 {
		poll = DefaultAlertPoll
	}
	for {
		n, err := a.Step(ctx)
		if err != nil && ctx.Err() == nil {
			a.log().ErrorContext(ctx, "match alerts", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(poll):
		}
	}
}

// Start runs the alerts in the background until ctx ends or stop is
// called; stop waits for the current step to finish, so serve can call it
// before it closes the database and the engine.
func (a *Alerts) Start(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// mailer is the service that queues alert mail; a bare one (links as
// paths) when none is set.
func (a *Alerts) mailer() *market.Service {
	if a.Service != nil {
		return a.Service
	}
	return &market.Service{}
}

func (a *Alerts) log() *slog.Logger {
	if a.Log != nil {
		return a.Log
	}
	return slog.Default()
}

// Step handles one batch of events after the cursor and reports how many
// it handled. Each event's alerts and the cursor past it commit together.
func (a *Alerts) Step(ctx context.Context) (int, error) {
	batch := a.Batch
	if batch <= 0 {
		batch = DefaultAlertBatch
	}
	var events []market.Event
	upTo := int64(-1)
	if a.WaitForIndex && a.IndexPosition != nil {
		var err error
		if upTo, err = a.IndexPosition(ctx); err != nil {
			return 0, err
		}
	}
	err := a.Store.View(ctx, func(tx market.Tx) error {
		cur, err := tx.Cursor(AlertsCursor)
		if err != nil {
			return err
		}
		if a.WaitForIndex && a.IndexPosition == nil {
			if upTo, err = tx.Cursor(CursorName); err != nil {
				return err
			}
		}
		if events, err = tx.EventsAfter(cur, batch); err != nil {
			return err
		}
		for i, e := range events {
			if upTo >= 0 && e.Seq > upTo {
				events = events[:i]
				break
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for i, e := range events {
		alerts, err := a.Plan(ctx, e)
		if err != nil {
			return i, fmt.Errorf("match alerts for event %d: %w", e.Seq, err)
		}
		if err := a.send(ctx, e, alerts); err != nil {
			return i, err
		}
	}
	return len(events), nil
}

// send writes the alerts of one event and moves the cursor past it.
func (a *Alerts) send(ctx context.Context, e market.Event, alerts []Alert) error {
	return a.Store.Update(ctx, func(tx market.Tx) error {
		for _, al := range alerts {
			created, err := market.NotifyOnce(tx, al.DedupKey, market.ToOrg(al.OrgID), AlertKind, al.About, al.Text, e.At)
			if err != nil {
				return err
			}
			if !created { // told before: its mail was queued then
				continue
			}
			if err := a.mailer().MailMatchAlert(tx, market.MatchAlertMail{OrgID: al.OrgID, DedupKey: al.DedupKey,
				About: al.About, Listing: al.Listing, Yours: al.Yours, Score: fmt.Sprintf("%.0f", al.Score), At: e.At}); err != nil {
				return err
			}
		}
		return tx.SetCursor(AlertsCursor, e.Seq)
	})
}

// alertEvents are the events after which a listing is newly visible.
var alertEvents = map[string]string{
	market.OutcomeObjectType + ".published":  market.OutcomeObjectType,
	market.OutcomeObjectType + ".resumed":    market.OutcomeObjectType,
	market.ScenarioObjectType + ".published": market.ScenarioObjectType,
	market.ScenarioObjectType + ".resumed":   market.ScenarioObjectType,
}

// Plan returns the alerts an event calls for: none unless it publishes or
// resumes a listing that is still published, and only about counterparts
// published before the event. The new listing is matched as
// the public sees it (the index document, a teaser for a confidential
// outcome), so an alert never carries hidden words; every strong match is
// checked against the store, so only listings that are still published
// (scenarios also open) are announced.
func (a *Alerts) Plan(ctx context.Context, e market.Event) ([]Alert, error) {
	kind, ok := alertEvents[e.Type]
	if !ok || e.ObjectType != kind {
		return nil, nil
	}
	var subject Document
	var title string
	live := false
	err := a.Store.View(ctx, func(tx market.Tx) error {
		var orgID string
		switch kind {
		case market.OutcomeObjectType:
			o, err := tx.OutcomeByID(e.ObjectID)
			if err != nil {
				return err
			}
			live, orgID, title = o.Status == market.ListingPublished, o.OrgID, o.Title
			org, err := tx.OrganizationByID(orgID)
			if err != nil {
				return err
			}
			subject = OutcomeDocument(o, org)
		default:
			s, err := tx.ScenarioByID(e.ObjectID)
			if err != nil {
				return err
			}
			live, orgID, title = s.Status == market.ListingPublished, s.OrgID, s.Title
			org, err := tx.OrganizationByID(orgID)
			if err != nil {
				return err
			}
			subject = ScenarioSubject(s, org)
		}
		return nil
	})
	if market.ErrorCode(err) == market.ENOTFOUND {
		return nil, nil
	}
	if err != nil || !live {
		return nil, err
	}
	res, err := a.Matcher.Match(ctx, subject, MatchOptions{Limit: MaxMatches})
	if err != nil {
		return nil, err
	}
	// A counterpart published after this event is announced by its own
	// event, to this listing's owner: each pair is told to the owner of the
	// listing that was there first, however far the consumer lags.
	var strong []Match
	for _, m := range res.Matches {
		if m.Strong() && !m.PublishedAt.Truncate(time.Microsecond).After(e.At) {
			strong = append(strong, m)
		}
	}
	if len(strong) == 0 {
		return nil, nil
	}
	var out []Alert
	now := a.Matcher.now()
	err = a.Store.View(ctx, func(tx market.Tx) error {
		for _, m := range strong {
			al, ok, err := alertFor(tx, kind, e.ObjectID, title, m, now)
			if err != nil {
				return err
			}
			if ok {
				out = append(out, al)
			}
		}
		return nil
	})
	return out, err
}

// alertFor builds the alert telling the owner of match m about the new
// listing (newID, newTitle, of newKind), if m is still live.
func alertFor(tx market.Tx, newKind, newID, newTitle string, m Match, now time.Time) (Alert, bool, error) {
	score := fmt.Sprintf("%.0f", m.Score)
	if newKind == market.OutcomeObjectType {
		s, err := tx.ScenarioByID(m.ID)
		if market.ErrorCode(err) == market.ENOTFOUND {
			return Alert{}, false, nil
		} else if err != nil {
			return Alert{}, false, err
		}
		if !s.Open(now) {
			return Alert{}, false, nil
		}
		return Alert{OrgID: s.OrgID, ScenarioID: s.ID, OutcomeID: newID, Score: m.Score, Listing: newTitle, Yours: s.Title,
			About:    market.ObjectRef{Type: market.OutcomeObjectType, ID: newID},
			DedupKey: AlertKey(s.ID, newID),
			Text:     market.BilingualNotice(alertOutcomeZH, alertOutcomeEN, newTitle, s.Title, score)}, true, nil
	}
	o, err := tx.OutcomeByID(m.ID)
	if market.ErrorCode(err) == market.ENOTFOUND {
		return Alert{}, false, nil
	} else if err != nil {
		return Alert{}, false, err
	}
	if o.Status != market.ListingPublished {
		return Alert{}, false, nil
	}
	return Alert{OrgID: o.OrgID, ScenarioID: newID, OutcomeID: o.ID, Score: m.Score, Listing: newTitle, Yours: o.Title,
		About:    market.ObjectRef{Type: market.ScenarioObjectType, ID: newID},
		DedupKey: AlertKey(newID, o.ID),
		Text:     market.BilingualNotice(alertScenarioZH, alertScenarioEN, newTitle, o.Title, score)}, true, nil
}

// The alert texts, zh and en, each given the new listing's title, the
// recipient's listing's title and the score.
const (
	alertOutcomeZH  = "新发布的成果「%s」与您的需求「%s」高度匹配（匹配度 %s）"
	alertOutcomeEN  = "New outcome “%s” matches your scenario “%s” (score %s)"
	alertScenarioZH = "新发布的需求「%s」可能需要您的成果「%s」（匹配度 %s）"
	alertScenarioEN = "New scenario “%s” may need your outcome “%s” (score %s)"
)

func init() {
	market.RegisterNoticeFormat(alertOutcomeZH, alertOutcomeEN)
	market.RegisterNoticeFormat(alertScenarioZH, alertScenarioEN)
}

// SkipHistory moves a consumer that never ran (cursor 0) to the end of the
// log, so the first start on a database with history announces only what
// is published from then on instead of replaying every old publication.
// It reports the position it set, or -1 when the cursor had moved already.
func (a *Alerts) SkipHistory(ctx context.Context) (int64, error) {
	pos := int64(-1)
	err := a.Store.Update(ctx, func(tx market.Tx) error {
		cur, err := tx.Cursor(AlertsCursor)
		if err != nil || cur != 0 {
			return err
		}
		if pos, err = tx.LastEventSeq(); err != nil {
			return err
		}
		return tx.SetCursor(AlertsCursor, pos)
	})
	return pos, err
}
