package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"techbridge/api/kv"
	"techbridge/market"
)

// problemStatus is the one mapping from market error codes to HTTP statuses.
var problemStatus = map[string]int{
	market.EINVALID:          http.StatusBadRequest,
	market.EUNAUTHORIZED:     http.StatusUnauthorized,
	market.EFORBIDDEN:        http.StatusForbidden,
	market.ENOTFOUND:         http.StatusNotFound,
	market.ECONFLICT:         http.StatusConflict,
	market.ETOOMANY:          http.StatusTooManyRequests,
	market.ENOTIMPLEMENTED:   http.StatusNotImplemented,
	market.EINTERNAL:         http.StatusInternalServerError,
	market.EUNAVAILABLE:      http.StatusServiceUnavailable,
	codeTooLarge:             http.StatusRequestEntityTooLarge,
	codeUnsupportedMedia:     http.StatusUnsupportedMediaType,
	codePreconditionFailed:   http.StatusPreconditionFailed,
	codePreconditionRequired: http.StatusPreconditionRequired,
}

// statusClientClosed is the status logged for a request its client
// abandoned (nginx's 499); the client never sees it.
const statusClientClosed = 499

// dependencyFailed tells a dependency that timed out or could not be
// reached (503, retry later) from a fault of the server (500): the
// request's deadline passed, the shared store failed, or a network call
// broke. The database adapter marks its own such failures
// market.ErrUnavailable.
func dependencyFailed(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, kv.ErrUnavailable) || errors.As(err, &ne)
}

// codeTooLarge marks a request body over the limit; it is an HTTP matter,
// so it lives here rather than in market.
const codeTooLarge = "too_large"

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"` // English
	// MessageCode is the code of Detail's message (market/msgs), for
	// clients that show their own text.
	MessageCode string              `json:"message_code,omitempty"`
	Instance    string              `json:"instance,omitempty"`
	Code        string              `json:"code"`
	RequestID   string              `json:"request_id,omitempty"`
	Errors      []market.FieldError `json:"errors,omitempty"`
}

// ProblemContentType is the media type of error bodies.
const ProblemContentType = "application/problem+json"

// writeError answers with err as problem+json. Internal errors are logged
// with the request id and shown as "internal error" only.
func (s *Server) writeError(c *gin.Context, err error) {
	if errors.Is(c.Request.Context().Err(), context.Canceled) {
		// The client went away: nobody reads an answer, and it is not a
		// server error.
		s.Log.InfoContext(c.Request.Context(), "request cancelled by the client", "request_id", requestID(c), "path", c.FullPath())
		c.AbortWithStatus(statusClientClosed)
		return
	}
	if market.ErrorCode(err) == market.EINTERNAL && dependencyFailed(err) {
		err = fmt.Errorf("%w: %w", market.ErrUnavailable, err)
	}
	err = staleAsPrecondition(c, err)
	code := market.ErrorCode(err)
	status, ok := problemStatus[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	p := Problem{
		Type:      "urn:techbridge:problem:" + code,
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    market.ErrorMessage(err),
		Instance:  c.Request.URL.Path,
		Code:      code,
		RequestID: requestID(c),
	}
	var me *market.Error
	if errors.As(market.MoneyError(err), &me) {
		p.Errors = me.Fields
		if code != market.EINTERNAL {
			p.MessageCode = string(me.Msg)
		}
		if me.RetryAfterSeconds > 0 {
			c.Header("Retry-After", strconv.Itoa(me.RetryAfterSeconds))
		}
	}
	if status == http.StatusUnauthorized && c.Writer.Header().Get("WWW-Authenticate") == "" {
		// RFC 9110 §15.5.2: every 401 names the scheme to use.
		c.Header("WWW-Authenticate", `Bearer realm="techbridge"`)
	}
	switch {
	case status == http.StatusServiceUnavailable: // a dependency's fault, retried by the client
		s.Log.WarnContext(c.Request.Context(), "request failed: dependency unavailable", "request_id", p.RequestID, "path", c.FullPath(), "err", err)
	case status >= 500:
		s.Log.ErrorContext(c.Request.Context(), "request failed", "request_id", p.RequestID, "path", c.FullPath(), "err", err)
	}
	c.Header("Content-Type", ProblemContentType)
	c.AbortWithStatusJSON(status, p)
	// AbortWithStatusJSON sets application/json; restore the problem type.
	c.Writer.Header().Set("Content-Type", ProblemContentType)
}
