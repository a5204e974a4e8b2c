package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// payoutAccountRequest is where the platform pays an organisation its
// share by bank transfer: bank, account name and number as one line.
type payoutAccountRequest struct {
	PayoutRef string `json:"payout_ref,omitempty"`
}

// setPayoutAccount records the organisation's payout account (owners), as
// the "my organisation" page does; the finance payout list shows it.
func (s *Server) setPayoutAccount(c *gin.Context) {
	var req payoutAccountRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	o, err := s.Service.SetPayoutAccount(c.Request.Context(), actor(c), c.Param("id"), req.PayoutRef)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, o.Version, toOrgResponse(o))
}
