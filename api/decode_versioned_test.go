package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// TestDecodeVersionedReadsBodyThenVersion: the shared first step of the
// versioned writes (listing and proposal transitions, milestone actions,
// funding, settlement) takes If-Match over the body's version, the body's
// version without it, and refuses neither (428), a bad If-Match (412), a
// contradiction (400) and a body that is not the request's (400).
func TestDecodeVersionedReadsBodyThenVersion(t *testing.T) {
	for _, c := range []struct {
		name, body, ifMatch string
		want                int64
		code                string
	}{
		{"if-match", `{"action":"submit"}`, `"4"`, 4, ""},
		{"body", `{"action":"submit","version":3}`, "", 3, ""},
		{"both agree", `{"action":"submit","version":3}`, `"3"`, 3, ""},
		{"neither", `{"action":"submit"}`, "", 0, codePreconditionRequired},
		{"bad if-match", `{"action":"submit"}`, `W/"3"`, 0, codePreconditionFailed},
		{"contradiction", `{"action":"submit","version":2}`, `"3"`, 0, market.EINVALID},
		{"unknown field", `{"action":"submit","version":3,"status":"x"}`, "", 0, market.EINVALID},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, _ := gin.CreateTestContext(httptest.NewRecorder())
			ctx.Request = httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(c.body))
			ctx.Request.Header.Set("Content-Type", "application/json")
			if c.ifMatch != "" {
				ctx.Request.Header.Set("If-Match", c.ifMatch)
			}
			var req transitionRequest
			v, err := decodeVersioned(ctx, &req)
			if market.ErrorCode(err) != c.code || (c.code == "" && (v != c.want || req.Action != "submit")) {
				t.Errorf("version %d, %v (code %q); want %d, code %q", v, err, market.ErrorCode(err), c.want, c.code)
			}
		})
	}
}
