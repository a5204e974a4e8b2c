package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// listPayouts answers transfers and refunds for admins, ?state=pending for
// the ones still to pay.
func (s *Server) listPayouts(c *gin.Context) {
	ops, err := s.Service.Payouts(c.Request.Context(), actor(c), c.Query("state"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := listResponse[paymentOpResponse]{Items: []paymentOpResponse{}}
	for i := range ops {
		resp.Items = append(resp.Items, toPaymentOpResponse(&ops[i]))
	}
	c.JSON(http.StatusOK, resp)
}

type payoutPaidRequest struct {
	Reference string `json:"reference,omitempty"`
}

// markPayoutPaid records the bank reference of a payout an admin made.
func (s *Server) markPayoutPaid(c *gin.Context) {
	var req payoutPaidRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	op, err := s.Service.MarkPayoutPaid(c.Request.Context(), actor(c), c.Param("id"), req.Reference)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toPaymentOpResponse(op))
}

// retryPayout asks the provider again for a pending payout.
func (s *Server) retryPayout(c *gin.Context) {
	op, err := s.Service.RetryPayout(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toPaymentOpResponse(op))
}
