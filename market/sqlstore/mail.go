package sqlstore

import (
	"database/sql"
	"encoding/json"
	"strconv"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
)

const mailColumns = `key, account_id, to_addr, lang, kind, category, data, created_at, attempts, next_attempt_at, sent_at, skipped, last_error`

func scanMail(row scanner) (*market.OutboxMail, error) {
	var m market.OutboxMail
	var data string
	var sent sql.NullTime
	err := row.Scan(&m.Key, &m.AccountID, &m.To, &m.Lang, &m.Kind, &m.Category, &data, &m.CreatedAt, &m.Attempts,
		&m.NextAttemptAt, &sent, &m.Skipped, &m.LastError)
	if err != nil {
		return nil, err
	}
	m.CreatedAt, m.NextAttemptAt, m.SentAt = m.CreatedAt.UTC(), m.NextAttemptAt.UTC(), timePtr(sent)
	return &m, json.Unmarshal([]byte(data), &m.Data)
}

// EnqueueMail inserts a mail unless its key is queued; ON CONFLICT DO
// NOTHING keeps a PostgreSQL transaction alive on a repeat.
func (t *Tx) EnqueueMail(m *market.OutboxMail) (bool, error) {
	res, err := t.exec(`INSERT INTO mail_outbox (`+mailColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (key) DO NOTHING`,
		m.Key, m.AccountID, m.To, m.Lang, m.Kind, m.Category, market.MailEncode(*m), m.CreatedAt.UTC(), m.Attempts,
		m.NextAttemptAt.UTC(), optTime(m.SentAt), m.Skipped, m.LastError)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DueMail lists unsent mail whose next attempt is due, oldest first.
func (t *Tx) DueMail(now time.Time, limit int) ([]market.OutboxMail, error) {
	rows, err := t.query(`SELECT `+mailColumns+` FROM mail_outbox
		WHERE sent_at IS NULL AND skipped = '' AND next_attempt_at <= $1
		ORDER BY next_attempt_at, key LIMIT `+strconv.Itoa(limit), now.UTC())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.OutboxMail
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// MailBacklog counts mail neither sent nor skipped; it reads the unsent
// end of mail_outbox_due, so it costs the backlog, not the table.
func (t *Tx) MailBacklog() (int64, error) {
	var n int64
	err := t.queryRow(`SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND skipped = ''`).Scan(&n)
	return n, err
}

// MailByKey loads one outbox mail.
func (t *Tx) MailByKey(key string) (*market.OutboxMail, error) {
	m, err := scanMail(t.queryRow(`SELECT `+mailColumns+` FROM mail_outbox WHERE key = $1`, key))
	if err != nil {
		return nil, notFound(err, "mail")
	}
	return m, nil
}

// MarkMailSent records a send once.
func (t *Tx) MarkMailSent(key string, at time.Time) error {
	res, err := t.exec(`UPDATE mail_outbox SET sent_at = $1, last_error = '' WHERE key = $2 AND sent_at IS NULL`, at.UTC(), key)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return market.Errorf(market.ECONFLICT, msgs.MailSent, key)
	}
	return nil
}

// MarkMailFailed records a failed attempt.
func (t *Tx) MarkMailFailed(key string, attempts int, next time.Time, reason string) error {
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	_, err := t.exec(`UPDATE mail_outbox SET attempts = $1, next_attempt_at = $2, last_error = $3 WHERE key = $4 AND sent_at IS NULL`,
		attempts, next.UTC(), reason, key)
	return err
}

// MarkMailSkipped closes a mail that will not be sent.
func (t *Tx) MarkMailSkipped(key, reason string) error {
	_, err := t.exec(`UPDATE mail_outbox SET skipped = $1 WHERE key = $2 AND sent_at IS NULL`, reason, key)
	return err
}
