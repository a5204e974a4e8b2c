package market

import (
	"context"
	"encoding/json"
	"time"
)

// Mail kinds: each is one template (zh and en) in the mail adapter.
const (
	MailVerifyEmail     = "verify_email"     // link: confirm the address
	MailAlreadyAccount  = "already_account"  // someone registered with a taken address
	MailPasswordReset   = "password_reset"   // link: choose a new password
	MailPasswordChanged = "password_changed" // notice after a reset or change
	MailInvitation      = "invitation"       // link: join an organisation
	MailOrgVerification = "org_verification" // an admin decided on an organisation
	MailDealActivity    = "deal_activity"    // something happened in a deal
	MailMatchAlert      = "match_alert"      // a new listing matches one of the organisation's
	MailDigest          = "digest"           // daily list of unread notifications
)

// Mail categories an account may opt out of; account mail (verification,
// reset, invitations) has no category and is always sent.
const (
	MailCategoryAccount      = "account"
	MailCategoryDealActivity = "deal_activity"
	MailCategoryMatchAlerts  = "match_alerts"
	MailCategoryDigests      = "digests"
)

// MailOptionalCategories are the categories an account can switch off.
var MailOptionalCategories = []string{MailCategoryDealActivity, MailCategoryMatchAlerts, MailCategoryDigests}

// OutboxMail is one mail waiting in (or sent from) the outbox. It carries
// the template's input, not text: the adapter renders it in Lang at send
// time, so the domain builds no user-facing text.
type OutboxMail struct {
	Key           string // unique: the same key is queued once and sent once
	AccountID     string // the recipient account; "" for an address without one
	To            string
	Lang          string
	Kind          string
	Category      string
	Data          map[string]string // template input: links, names, codes
	CreatedAt     time.Time
	Attempts      int
	NextAttemptAt time.Time
	SentAt        *time.Time
	Skipped       string // why it was not sent (an opt-out), "" otherwise
	LastError     string
}

// MailTx persists the outbox.
type MailTx interface {
	// EnqueueMail inserts m unless its key is queued already; it reports
	// whether it inserted.
	EnqueueMail(m *OutboxMail) (bool, error)
	// DueMail lists unsent, unskipped mail whose next attempt is due, oldest first.
	DueMail(now time.Time, limit int) ([]OutboxMail, error)
	MailByKey(key string) (*OutboxMail, error)
	// MarkMailSent records the send; ECONFLICT when it was sent already.
	MarkMailSent(key string, at time.Time) error
	// MarkMailFailed records a failed attempt and when to try again.
	MarkMailFailed(key string, attempts int, next time.Time, reason string) error
	// MarkMailSkipped closes a mail that will not be sent, with the reason.
	MarkMailSkipped(key, reason string) error
	// MailBacklog counts mail neither sent nor skipped.
	MailBacklog() (int64, error)
}

// Mailer delivers one rendered mail; the SMTP and folder adapters
// implement it. Send must be safe to call again for the same key after a
// failure.
type Mailer interface {
	Send(ctx context.Context, m OutboxMail) error
}

// mailData marshals template input for storage.
func mailData(m OutboxMail) string {
	raw, _ := json.Marshal(m.Data)
	return string(raw)
}

// queueMail puts a mail for acc into the outbox inside tx, so it is sent
// exactly when the transaction commits. key must identify the reason for
// the mail (a token hash, an invitation id), so a retry queues nothing new.
func queueMail(tx Tx, acc *Account, to, kind, category, key string, data map[string]string, now time.Time) error {
	m := &OutboxMail{Key: key, To: to, Kind: kind, Category: category, Data: data, CreatedAt: now, NextAttemptAt: now,
		Lang: Languages[0]}
	if acc != nil {
		m.AccountID, m.Lang = acc.ID, NormalizeLanguage(acc.Language)
	}
	_, err := tx.EnqueueMail(m)
	return err
}

// MailEncode returns the stored form of template input; the store uses it.
func MailEncode(m OutboxMail) string { return mailData(m) }
