package market

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// MatchAlertMail is what a match-alert mail tells an organisation's
// members: a newly published listing matches one of theirs.
type MatchAlertMail struct {
	OrgID    string    // the organisation the alert notification went to
	DedupKey string    // the notification's dedup key: one mail per member per key
	About    ObjectRef // the newly published listing
	Listing  string    // its title
	Yours    string    // the title of the organisation's listing it matches
	Score    string    // the match score, as shown
	At       time.Time // when the alert was sent
}

// MailMatchAlert queues a match-alert mail to each member of a.OrgID inside
// tx, the transaction that created the alert's notification, so the mail
// is sent exactly when the alert commits. Keys name the alert and the
// member, so a replayed alert queues nothing new; the outbox skips members
// who switched match alerts off. The match-alert consumer (package search)
// calls it only when the notification was new.
func (s *Service) MailMatchAlert(tx Tx, a MatchAlertMail) error {
	ms, err := tx.Members(a.OrgID)
	if err != nil {
		return err
	}
	path := "/notifications"
	switch a.About.Type {
	case OutcomeObjectType:
		path = "/outcomes/" + a.About.ID
	case ScenarioObjectType:
		path = "/scenarios/" + a.About.ID
	}
	for _, m := range ms {
		acc, err := tx.AccountByID(m.AccountID)
		if err != nil {
			return err
		}
		key := "alert:" + a.DedupKey + ":" + acc.ID
		if err := queueMail(tx, acc, acc.Email, MailMatchAlert, MailCategoryMatchAlerts, key,
			map[string]string{"name": acc.DisplayName, "listing": a.Listing, "yours": a.Yours, "score": a.Score,
				"link": s.link(path)}, a.At); err != nil {
			return err
		}
	}
	return nil
}

// Digest bounds: an account gets at most one digest a day, listing up to
// DigestMaxItems of the unread notifications that came since its last one.
const (
	DigestPeriod   = 24 * time.Hour
	DigestMaxItems = 10
	digestPage     = 100 // accounts read per query
)

// QueueDigests queues the daily digest mail of every account whose last
// digest is at least DigestPeriod old (or that never had one) and that has
// unread notifications (its own or its organisations') created since; it
// reports how many it queued. Each account's digest and its new
// last-digest time commit together; the key names the account and the
// UTC day, so a digest is never queued twice a day. Accounts with nothing
// new are left as they are and looked at again on the next run. The outbox
// skips accounts that switched digests off. Run it from one instance
// (market.Singleton), e.g. hourly.
func (s *Service) QueueDigests(ctx context.Context) (int, error) {
	now := s.now()
	queued := 0
	after := ""
	for {
		var due []DigestDue
		err := s.Store.View(ctx, func(tx Tx) (err error) {
			due, err = tx.DigestsDue(now.Add(-DigestPeriod), after, digestPage)
			return err
		})
		if err != nil {
			return queued, err
		}
		for _, d := range due {
			var ok bool
			err := s.Store.Update(ctx, func(tx Tx) (err error) {
				ok, err = s.queueDigest(tx, d, now)
				return err
			})
			if err != nil {
				return queued, err
			}
			if ok {
				queued++
			}
		}
		if len(due) < digestPage {
			return queued, nil
		}
		after = due[len(due)-1].AccountID
	}
}

// DigestDue is an account due for a digest and when it had its last one.
type DigestDue struct {
	AccountID    string
	LastDigestAt *time.Time // nil: never
}

// DigestTx persists when accounts last got their digest.
type DigestTx interface {
	// DigestsDue lists, by id after the cursor, accounts whose last digest
	// is at or before lastBefore, or that never had one.
	DigestsDue(lastBefore time.Time, after string, limit int) ([]DigestDue, error)
	// SetLastDigest records when an account's digest was queued.
	SetLastDigest(accountID string, at time.Time) error
}

// queueDigest queues d's digest if it has unread notifications since its
// last one and reports whether it queued it.
func (s *Service) queueDigest(tx Tx, d DigestDue, now time.Time) (bool, error) {
	acc, err := tx.AccountByID(d.AccountID)
	if isNotFound(err) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	ms, err := tx.Memberships(acc.ID)
	if err != nil {
		return false, err
	}
	f := NotificationFilter{AccountID: acc.ID, UnreadOnly: true, Limit: DigestMaxItems + 1}
	for _, m := range ms {
		f.OrgIDs = append(f.OrgIDs, m.OrgID)
	}
	ns, err := tx.ListNotifications(f) // newest first
	if err != nil {
		return false, err
	}
	var items []string
	for _, n := range ns {
		if d.LastDigestAt != nil && !n.CreatedAt.After(*d.LastDigestAt) {
			break // older ones were in an earlier digest
		}
		items = append(items, "- "+n.Text)
	}
	if len(items) == 0 {
		return false, nil
	}
	more := ""
	if len(items) > DigestMaxItems {
		items, more = items[:DigestMaxItems], "+"
	}
	key := "digest:" + acc.ID + ":" + now.Format(time.DateOnly)
	if err := queueMail(tx, acc, acc.Email, MailDigest, MailCategoryDigests, key,
		map[string]string{"name": acc.DisplayName, "count": fmt.Sprint(len(items)) + more,
			"items": strings.Join(items, "\n"), "link": s.link("/notifications")}, now); err != nil {
		return false, err
	}
	return true, tx.SetLastDigest(acc.ID, now)
}
