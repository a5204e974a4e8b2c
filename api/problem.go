package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

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
	codeTooLarge:             http.StatusRequestEntityTooLarge,
	codeUnsupportedMedia:     http.StatusUnsupportedMediaType,
	codePreconditionFailed:   http.StatusPreconditionFailed,
	codePreconditionRequired: http.StatusPreconditionRequired,
}

// codeTooLarge marks a request body over the limit; it is an HTTP matter,
// so it lives here rather than in market.
const codeTooLarge = "too_large"

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type      string              `json:"type"`
	Title     string              `json:"title"`
	Status    int                 `json:"status"`
	Detail    string              `json:"detail,omitempty"`
	Instance  string              `json:"instance,omitempty"`
	Code      string              `json:"code"`
	RequestID string              `json:"request_id,omitempty"`
	Errors    []market.FieldError `json:"errors,omitempty"`
}

// ProblemContentType is the media type of error bodies.
const ProblemContentType = "application/problem+json"

// writeError answers with err as problem+json. Internal errors are logged
// with the request id and shown as "internal error" only.
func (s *Server) writeError(c *gin.Context, err error) {
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
	if errors.As(err, &me) {
		p.Errors = me.Fields
		if me.RetryAfterSeconds > 0 {
			c.Header("Retry-After", strconv.Itoa(me.RetryAfterSeconds))
		}
	}
	if status == http.StatusUnauthorized && c.Writer.Header().Get("WWW-Authenticate") == "" {
		// RFC 9110 §15.5.2: every 401 names the scheme to use.
		c.Header("WWW-Authenticate", `Bearer realm="techbridge"`)
	}
	if status >= 500 {
		s.Log.ErrorContext(c.Request.Context(), "request failed", "request_id", p.RequestID, "path", c.FullPath(), "err", err)
	}
	c.Header("Content-Type", ProblemContentType)
	c.AbortWithStatusJSON(status, p)
	// AbortWithStatusJSON sets application/json; restore the problem type.
	c.Writer.Header().Set("Content-Type", ProblemContentType)
}
