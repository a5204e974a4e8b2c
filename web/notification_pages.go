package web

import (
	"net/http"
	"time"

	"techbridge/market"
)

// notificationsPage lists the visitor's notifications.
type notificationsPage struct {
	Items  []market.Notification
	Unread bool
	Lang   string
}

// Text is a notification's text in the reader's language only.
func (p *notificationsPage) Text(n market.Notification) string {
	return market.NoticeIn(n.Text, p.Lang)
}

// When formats a time in China's time zone.
func (p *notificationsPage) When(t time.Time) string {
	return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04")
}

// notifications shows the visitor's in-app notifications, newest first;
// ?unread=1 shows only unread ones.
func (s *Server) notifications(w http.ResponseWriter, r *http.Request, v *visit) error {
	unread := r.URL.Query().Get("unread") == "1"
	items, err := s.svc.Notifications(r.Context(), v.Actor, unread, "", market.MaxPageSize)
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "notifications", &notificationsPage{Items: items, Unread: unread, Lang: v.Lang})
	return nil
}

// readNotification marks a notification read and opens what it is about.
func (s *Server) readNotification(w http.ResponseWriter, r *http.Request, v *visit) error {
	n, err := s.svc.MarkNotificationRead(r.Context(), v.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	to := "/notifications"
	if n.ObjectType == market.DealObjectType && n.ObjectID != "" {
		to = "/deals/" + n.ObjectID
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
