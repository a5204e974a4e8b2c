package api

import (
	"errors"
	"io"
	"net/http"
	"techbridge/market/msgs"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// maxWebhookBody bounds a provider event; Stripe's are a few kilobytes.
const maxWebhookBody = 256 << 10

// stripeWebhook verifies the signature over the raw body and applies the
// event once; a redelivery answers 200 and changes nothing. Effects are
// database writes only, so the answer is fast.
func (s *Server) stripeWebhook(c *gin.Context) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxWebhookBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		s.writeError(c, market.Errorf(codeTooLarge, msgs.EventTooLarge))
		return
	} else if err != nil {
		s.writeError(c, market.Invalid("body", msgs.CouldNotReadRequestBody))
		return
	}
	outcome, err := s.Service.HandleWebhook(c.Request.Context(), body, c.GetHeader("Stripe-Signature"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"received": true, "outcome": outcome})
}
