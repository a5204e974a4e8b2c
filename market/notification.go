package market

import (
	"strings"
	"techbridge/market/msgs"
	"time"
)

// Notification is an in-app message to one account, or to every member of
// an organisation. Any area may send one inside its own transaction with
// Notify or NotifyOnce; the notifications page and API list them.
type Notification struct {
	ID         string
	AccountID  string // the recipient account; "" when OrgID is set
	OrgID      string // the recipient organisation; "" when AccountID is set
	Kind       string // what happened, e.g. an event type such as "deal.offer_proposed"
	ObjectType string // what it is about, e.g. "deal"; with ObjectID it links the page
	ObjectID   string
	Text       string
	DedupKey   string // "" or a key used at most once across all notifications
	CreatedAt  time.Time
	ReadAt     *time.Time // nil while unread; for an organisation, read by any member
}

// Recipient is who a notification goes to: ToAccount or ToOrg.
type Recipient struct {
	AccountID string
	OrgID     string
}

// ToAccount addresses one account.
func ToAccount(accountID string) Recipient { return Recipient{AccountID: accountID} }

// ToOrg addresses every member of an organisation.
func ToOrg(orgID string) Recipient { return Recipient{OrgID: orgID} }

// ObjectRef names the object a notification is about.
type ObjectRef struct {
	Type string
	ID   string
}

// NotificationTx persists notifications.
type NotificationTx interface {
	// CreateNotification inserts n and reports true, or reports false and
	// writes nothing when n.DedupKey is set and was used before.
	CreateNotification(n *Notification) (bool, error)
	NotificationByID(id string) (*Notification, error)
	// ListNotifications returns the newest notifications first.
	ListNotifications(f NotificationFilter) ([]Notification, error)
	// MarkNotificationRead sets read_at once; later calls keep the first time.
	MarkNotificationRead(id string, at time.Time) error
	// MarkNotificationsRead marks every unread notification f selects
	// (its account's and its organisations') read at once.
	MarkNotificationsRead(f NotificationFilter, at time.Time) error
}

// NotificationFilter selects the notifications of one account: those to the
// account and those to its organisations.
type NotificationFilter struct {
	AccountID  string
	OrgIDs     []string
	UnreadOnly bool
	After      string // cursor: id of the last notification of the previous page
	Limit      int
}

// maxNotificationText bounds a notification's text; longer texts are cut.
const maxNotificationText = 1000

// Notify sends a notification inside the caller's transaction, so it
// commits with the change it reports.
func Notify(tx NotificationTx, to Recipient, kind string, about ObjectRef, text string, now time.Time) error {
	_, err := NotifyOnce(tx, "", to, kind, about, text, now)
	return err
}

// NotifyOnce is Notify with a dedup key: a second notification with the same
// non-empty key is dropped (sent false), e.g. for "tell once" alerts such as
// a search match (key "match:<search>:<outcome>").
func NotifyOnce(tx NotificationTx, dedupKey string, to Recipient, kind string, about ObjectRef, text string, now time.Time) (bool, error) {
	var f Fields
	if (to.AccountID == "") == (to.OrgID == "") {
		f.Add("recipient", msgs.ExactlyOneAccountAndOrganisationRequired)
	}
	if strings.TrimSpace(kind) == "" {
		f.Add("kind", msgs.Required)
	}
	if err := f.Err(); err != nil {
		return false, err
	}
	if r := []rune(text); len(r) > maxNotificationText {
		text = string(r[:maxNotificationText-1]) + "…"
	}
	n := &Notification{ID: NewID(), AccountID: to.AccountID, OrgID: to.OrgID, Kind: kind,
		ObjectType: about.Type, ObjectID: about.ID, Text: text, DedupKey: dedupKey, CreatedAt: now.UTC()}
	return tx.CreateNotification(n)
}
