package api

import (
	"mime"
	"net/http"
	"strings"
	"techbridge/market/msgs"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"techbridge/market"
)

// requireJSON refuses a request body that is not JSON with 415 (RFC 9110
// §15.5.16) before a handler parses it: a body sent as text/plain or a
// form is a client bug, and reading it as JSON anyway hides it. Bodyless
// requests pass.
func (s *Server) requireJSON(c *gin.Context) {
	if hasBody(c.Request) && !isJSON(c.GetHeader("Content-Type")) {
		s.unsupportedMedia(c, "application/json")
		return
	}
	c.Next()
}

// requireMedia is requireJSON for routes that read other media types.
func (s *Server) requireMedia(types ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
		for _, t := range types {
			if mt == t {
				c.Next()
				return
			}
		}
		s.unsupportedMedia(c, strings.Join(types, ", "))
	}
}

func (s *Server) unsupportedMedia(c *gin.Context, want string) {
	c.Header("Accept-Post", want) // RFC 9110 §15.5.16 suggests naming what is accepted
	s.writeError(c, market.Errorf(codeUnsupportedMedia, msgs.WrongMediaType, want, quoteOrNone(c.GetHeader("Content-Type"))))
}

func quoteOrNone(ct string) string {
	if ct == "" {
		return "unlabelled"
	}
	return `"` + ct + `"`
}

// hasBody reports whether a request carries a body.
func hasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && (r.ContentLength > 0 || r.ContentLength == -1)
}

// isJSON accepts application/json and any +json type.
func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// formatParam reads ?format=, one of allowed (the first is the default);
// any other value is a 400 rather than silently the default.
func formatParam(c *gin.Context, allowed ...string) (string, error) {
	f := c.Query("format")
	if f == "" {
		return allowed[0], nil
	}
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	return "", market.Invalid("format", msgs.OneOf, strings.Join(allowed, ", "))
}

// validCursor checks a ?cursor=: cursors are the ids of the last item of
// the previous page, so anything else is a client error, not page 1.
func validCursor(cursor string) error {
	if cursor == "" {
		return nil
	}
	if _, err := uuid.Parse(cursor); err != nil {
		return market.Invalid("cursor", msgs.NotCursorThisAPIGaveOut)
	}
	return nil
}
