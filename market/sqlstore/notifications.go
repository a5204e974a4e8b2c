package sqlstore

import (
	"database/sql"
	"strconv"
	"strings"
	"time"

	"techbridge/market"
)

const notificationColumns = `id, account_id, org_id, kind, object_type, object_id, text, dedup_key, created_at, read_at`

func scanNotification(row scanner) (*market.Notification, error) {
	var n market.Notification
	var dedup sql.NullString
	var read sql.NullTime
	err := row.Scan(&n.ID, &n.AccountID, &n.OrgID, &n.Kind, &n.ObjectType, &n.ObjectID, &n.Text, &dedup, &n.CreatedAt, &read)
	n.DedupKey, n.CreatedAt, n.ReadAt = dedup.String, n.CreatedAt.UTC(), timePtr(read)
	return &n, err
}

// CreateNotification inserts n. ON CONFLICT DO NOTHING lets a repeated dedup
// key pass without an error, which would abort a PostgreSQL transaction.
func (t *Tx) CreateNotification(n *market.Notification) (bool, error) {
	var dedup any
	if n.DedupKey != "" {
		dedup = n.DedupKey
	}
	res, err := t.exec(`INSERT INTO notifications (`+notificationColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (dedup_key) DO NOTHING`,
		n.ID, n.AccountID, n.OrgID, n.Kind, n.ObjectType, n.ObjectID, n.Text, dedup, n.CreatedAt.UTC(), optTime(n.ReadAt))
	if err != nil {
		return false, err
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// NotificationByID loads a notification.
func (t *Tx) NotificationByID(id string) (*market.Notification, error) {
	n, err := scanNotification(t.keyRow(`SELECT `+notificationColumns+` FROM notifications WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "notification")
	}
	return n, nil
}

// ListNotifications lists an account's notifications, newest first.
func (t *Tx) ListNotifications(f market.NotificationFilter) ([]market.Notification, error) {
	// Organisation notifications are stored with an empty account_id, so the
	// account condition is added only for a real account: an empty one would
	// match every organisation's notifications.
	var marks []string
	var args []any
	if f.AccountID != "" {
		marks, args = append(marks, "account_id = ?"), append(args, f.AccountID)
	}
	for _, id := range f.OrgIDs {
		marks, args = append(marks, "org_id = ?"), append(args, id)
	}
	if len(marks) == 0 {
		return nil, nil // no recipient: nothing is addressed to nobody
	}
	w := &where{}
	w.add("("+strings.Join(marks, " OR ")+")", args...)
	if f.UnreadOnly {
		w.add("read_at IS NULL")
	}
	if f.After != "" {
		w.add("id < ?", f.After)
	}
	limit := w.next(market.ClampLimit(f.Limit))
	rows, err := t.query(`SELECT `+notificationColumns+` FROM notifications`+w.sql()+` ORDER BY id DESC LIMIT `+limit, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *n)
	}
	return out, rows.Err()
}

// MarkNotificationRead records the first read.
func (t *Tx) MarkNotificationRead(id string, at time.Time) error {
	res, err := t.exec(`UPDATE notifications SET read_at = $1 WHERE id = $2 AND read_at IS NULL`, at.UTC(), id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	_, err = t.NotificationByID(id)
	return err
}

// MarkNotificationsRead marks the unread notifications of an account and
// its organisations read.
func (t *Tx) MarkNotificationsRead(f market.NotificationFilter, at time.Time) error {
	args := []any{at.UTC()}
	var marks []string
	if f.AccountID != "" {
		args = append(args, f.AccountID)
		marks = append(marks, "account_id = $"+strconv.Itoa(len(args)))
	}
	for _, id := range f.OrgIDs {
		args = append(args, id)
		marks = append(marks, "org_id = $"+strconv.Itoa(len(args)))
	}
	if len(marks) == 0 {
		return nil
	}
	_, err := t.exec(`UPDATE notifications SET read_at = $1 WHERE read_at IS NULL AND (`+strings.Join(marks, " OR ")+`)`, args...)
	return err
}
