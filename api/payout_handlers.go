package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"techbridge/market"
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

// settleMilestone is an admin's ruling on a disputed milestone: amount goes
// back to the buyer, the rest is released.
func (s *Server) settleMilestone(c *gin.Context) {
	var req milestoneRequest
	version, err := decodeVersioned(c, &req)
	if err != nil {
		s.writeError(c, err)
		return
	}
	m, err := s.Service.ActOnMilestone(c.Request.Context(), actor(c), c.Param("id"), market.MilestoneAction{
		Action: market.MilestoneSettle, Version: version, Amount: req.Amount, Note: req.Note})
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, m.Version, toMilestoneMoneyResponse(m))
}
