package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// constant is a response that never changes while the process runs (the
// field taxonomy, the OpenAPI document): encoded once, with a strong ETag
// from its bytes, so a request costs a header write or a 304.
type constant struct {
	body        []byte
	etag        string
	contentType string
}

// newConstant encodes v as JSON once; a []byte is taken as already encoded.
func newConstant(v any) constant {
	b, ok := v.([]byte)
	if !ok {
		var err error
		if b, err = json.Marshal(v); err != nil {
			panic("api: constant response does not encode: " + err.Error()) // a programming error, caught by any test
		}
	}
	sum := sha256.Sum256(b)
	return constant{body: b, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, contentType: "application/json; charset=utf-8"}
}

// serve answers 304 when the caller holds the current version, else the body.
func (k constant) serve(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("ETag", k.etag)
	h.Set("Cache-Control", "public, max-age=3600")
	if etagMatches(c.GetHeader("If-None-Match"), k.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	c.Data(http.StatusOK, k.contentType, k.body)
}

// etagMatches applies If-None-Match (RFC 9110 §13.1.2): "*" or any listed
// tag equal to etag under the weak comparison.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
