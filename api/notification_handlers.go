package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

type notificationResponse struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	ObjectType string     `json:"object_type"`
	ObjectID   string     `json:"object_id"`
	Text       string     `json:"text"`
	OrgID      string     `json:"org_id,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	ReadAt     *time.Time `json:"read_at,omitempty"`
}

func toNotificationResponse(n *market.Notification) notificationResponse {
	return notificationResponse{ID: n.ID, Kind: n.Kind, ObjectType: n.ObjectType, ObjectID: n.ObjectID, Text: n.Text,
		OrgID: n.OrgID, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt}
}

func (s *Server) listNotifications(c *gin.Context) {
	limit, cursor, err := pageParams(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ns, err := s.Service.Notifications(c.Request.Context(), actor(c), c.Query("unread") == "true", cursor, limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := listResponse[notificationResponse]{Items: []notificationResponse{}}
	for i := range ns {
		resp.Items = append(resp.Items, toNotificationResponse(&ns[i]))
	}
	if len(ns) == limit {
		resp.NextCursor = ns[len(ns)-1].ID
	}
	c.JSON(http.StatusOK, resp)
}

func (s *Server) readNotification(c *gin.Context) {
	n, err := s.Service.MarkNotificationRead(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toNotificationResponse(n))
}
