package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"techbridge/market/msgs"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// Optimistic concurrency over HTTP (RFC 9110 §8.8.3, §13.1.1, RFC 6585 §3):
// a single-object read carries its version as a strong ETag, "7"; a write
// names the version it read either as If-Match: "7" or as the body's
// version, as before. Neither is 428; a stale If-Match is 412, a stale body
// version stays 409.

// HTTP-level problem codes beside market's, mapped in problemStatus.
const (
	codePreconditionFailed   = "precondition_failed"
	codePreconditionRequired = "precondition_required"
	codeUnsupportedMedia     = "unsupported_media_type"
)

// ctxIfMatch marks a request whose version came from If-Match, so that
// writeError answers a stale version with 412 rather than 409.
const ctxIfMatch = "if_match"

// etag is the strong entity tag of an object at version v.
func etag(v int64) string { return `"` + strconv.FormatInt(v, 10) + `"` }

// setETag labels a single-object answer with its version.
func setETag(c *gin.Context, version int64) {
	c.Header("ETag", etag(version))
}

// writeVersioned answers one object with its ETag.
func writeVersioned(c *gin.Context, status int, version int64, body any) {
	setETag(c, version)
	writeJSON(c, status, body)
}

// expectedVersion reads the version a write is based on: If-Match when
// sent, else the body's version (0 = not given). It refuses a request that
// gives neither (428), an If-Match that is not one strong ETag of ours
// (412: it cannot match), and a body version that contradicts If-Match.
func expectedVersion(c *gin.Context, bodyVersion int64) (int64, error) {
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" {
		if bodyVersion == 0 {
			return 0, market.Errorf(codePreconditionRequired, msgs.SendVersion)
		}
		return bodyVersion, nil
	}
	c.Set(ctxIfMatch, true)
	v, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(h, `"`), `"`), 10, 64)
	if err != nil || v <= 0 || !strings.HasPrefix(h, `"`) || !strings.HasSuffix(h, `"`) || len(h) < 3 {
		return 0, market.Errorf(codePreconditionFailed, msgs.IfMatchETag)
	}
	if bodyVersion != 0 && bodyVersion != v {
		return 0, market.Invalid("version", msgs.IfMatchMismatch, bodyVersion, v)
	}
	return v, nil
}

// optionalIfMatch reads If-Match where a version is not required: absent
// is 0 (act on the current version).
func optionalIfMatch(c *gin.Context) (int64, error) {
	if strings.TrimSpace(c.GetHeader("If-Match")) == "" {
		return 0, nil
	}
	return expectedVersion(c, 0)
}

// staleAsPrecondition turns a stale-version conflict into 412 when the
// version came from If-Match.
func staleAsPrecondition(c *gin.Context, err error) error {
	if c.GetBool(ctxIfMatch) && market.IsStale(err) {
		var e *market.Error
		errors.As(err, &e)
		pf := *e // the same message, answered as a failed precondition
		pf.Code, pf.Stale = codePreconditionFailed, false
		return &pf
	}
	return err
}

// created answers 201 with the new object's URL in Location (RFC 9110
// §15.3.2) and, when it has one, its version as ETag.
func created(c *gin.Context, location string, version int64, body any) {
	c.Header("Location", location)
	if version > 0 {
		setETag(c, version)
	}
	c.JSON(http.StatusCreated, body)
}
