package market

import "techbridge/market/msgs"
import "context"

// Notifications lists the actor's notifications, newest first: those to
// the account and those to its organisations.
func (s *Service) Notifications(ctx context.Context, actor Actor, unreadOnly bool, after string, limit int) ([]Notification, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	var out []Notification
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		out, err = tx.ListNotifications(NotificationFilter{AccountID: actor.AccountID, OrgIDs: actor.OrgIDs(),
			UnreadOnly: unreadOnly, After: after, Limit: ClampLimit(limit)})
		return err
	})
	return out, err
}

// MarkNotificationRead marks one of the actor's notifications read; another
// account's notification is ENOTFOUND.
func (s *Service) MarkNotificationRead(ctx context.Context, actor Actor, id string) (*Notification, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	now := s.now()
	var n *Notification
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if n, err = tx.NotificationByID(id); err != nil {
			return err
		}
		if n.AccountID != actor.AccountID && (n.OrgID == "" || !actor.MemberOf(n.OrgID)) {
			return Errorf(ENOTFOUND, msgs.NotificationNotFound)
		}
		if err := tx.MarkNotificationRead(id, now); err != nil {
			return err
		}
		n, err = tx.NotificationByID(id)
		return err
	})
	return n, err
}

// MarkAllNotificationsRead marks every notification of the actor (its own
// and its organisations') read.
func (s *Service) MarkAllNotificationsRead(ctx context.Context, actor Actor) error {
	if actor.Anonymous() {
		return Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		return tx.MarkNotificationsRead(NotificationFilter{AccountID: actor.AccountID, OrgIDs: actor.OrgIDs()}, s.now())
	})
}
