package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"techbridge/market/msgs"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// importBodyLimit caps an import upload: 10,000 records with abstracts are
// about 5 MB, so the general 1 MiB body limit is too small.
const importBodyLimit = 64 << 20

// refuseWhileDraining refuses long work (bulk imports) once shutdown has
// begun: it could not finish within the shutdown grace period and the
// client would see a closed connection. The 503 tells it to retry, which
// reaches another instance or this one restarted; imports are idempotent
// by external id, so a re-sent file only adds what is missing.
func (s *Server) refuseWhileDraining(c *gin.Context) {
	if s.draining.Load() {
		s.writeError(c, market.Errorf(market.EUNAVAILABLE, msgs.ShuttingDown).RetryAfter(5))
		return
	}
	c.Next()
}

// Drain makes the server refuse new long work; serve calls it when a
// shutdown signal arrives, before it stops taking connections.
func (s *Server) Drain() { s.draining.Store(true) }

// limitImportBody is the body limit of the import route's group.
func (s *Server) limitImportBody(c *gin.Context) {
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, importBodyLimit)
	}
	c.Next()
}

// importMedia are the media types an import reads (requireMedia refuses
// others with 415): JSON lines under its common names, and CSV.
var importMedia = []string{"application/x-ndjson", "application/jsonl", "text/csv"}

// importFormat reads ?format= (jsonl or csv), else the content type:
// text/csv is CSV, the JSON-lines types JSONL.
func importFormat(c *gin.Context) (string, error) {
	if c.Query("format") != "" {
		return formatParam(c, market.ImportJSONL, market.ImportCSV)
	}
	if mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type")); mt == "text/csv" {
		return market.ImportCSV, nil
	}
	return market.ImportJSONL, nil
}

// importOutcomes serves POST /outcomes/import?org_id=: JSONL or CSV into
// the caller's organisation as drafts. Bad lines are listed with their line
// numbers and skipped; with ?all_or_nothing=true any bad line refuses the
// whole file with a problem naming each line and field, and nothing changes.
func (s *Server) importOutcomes(c *gin.Context) {
	opts := market.ImportOptions{AllOrNothing: c.Query("all_or_nothing") == "true"}
	format, err := importFormat(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	rep, err := s.Service.ImportOutcomes(c.Request.Context(), actor(c), orgParam(c), c.Request.Body, format, opts)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = market.Errorf(codeTooLarge, msgs.ImportTooLarge, tooLarge.Limit)
	} else if errors.Is(err, io.ErrUnexpectedEOF) {
		err = market.Invalid("body", msgs.UploadEndedEarly)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, rep)
}
