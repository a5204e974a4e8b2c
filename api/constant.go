package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

// constant is a response that never changes while the process runs (the
// field taxonomy, the OpenAPI document): encoded once, with a strong ETag
// from its bytes, so a request costs a header write or a 304.
type constant struct {
	body []byte
	etag string
	// The response headers, built once: serve puts these slices in the
	// header map as they are (canonical keys, no per-request allocation);
	// net/http and Gin replace a header's slice rather than append to it.
	etagHeader, cacheControl, contentType, contentLength []string
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
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	return constant{body: b, etag: etag, etagHeader: []string{etag}, cacheControl: []string{"public, max-age=3600"},
		contentType: []string{"application/json; charset=utf-8"}, contentLength: []string{strconv.Itoa(len(b))}}
}

// serve answers 304 when the caller holds the current version, else the body.
func (k constant) serve(c *gin.Context) {
	h := c.Writer.Header()
	h["Etag"] = k.etagHeader
	h["Cache-Control"] = k.cacheControl
	if inm := c.Request.Header["If-None-Match"]; len(inm) > 0 && etagMatches(strings.Join(inm, ","), k.etag) {
		c.Status(http.StatusNotModified)
		return
	}
	h["Content-Type"] = k.contentType
	h["Content-Length"] = k.contentLength
	c.Status(http.StatusOK)
	c.Writer.Write(k.body)
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
