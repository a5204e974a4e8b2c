package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	gojson "github.com/goccy/go-json"

	"techbridge/market"
)

// listingMetaResponse is the part of every listing answer that comes from
// market.ListingMeta.
type listingMetaResponse struct {
	ID           string `json:"id"`
	OrgID        string `json:"org_id"`
	Status       string `json:"status"`
	RejectReason string `json:"reject_reason,omitempty"` // owners and reviewers only
	// The times are RFC 3339 strings, as time.Time writes itself in JSON,
	// formatted here: the encoder's call of each time's MarshalJSON was
	// half of a detail answer's encoding (TestListingTimesAreTheTimesJSON).
	CreatedAt   string `json:"created_at"`
	UpdatedAt   string `json:"updated_at"`
	PublishedAt string `json:"published_at,omitempty"`
	Version     int64  `json:"version"`
}

// toListingMetaResponse answers the shared state as the actor may see it:
// the rejection reason is the owner's and the reviewers' business.
func toListingMetaResponse(m market.ListingMeta, a market.Actor) listingMetaResponse {
	m.RedactFor(a)
	r := listingMetaResponse{ID: m.ID, OrgID: m.OrgID, Status: m.Status, RejectReason: m.RejectReason,
		CreatedAt: jsonTime(m.CreatedAt), UpdatedAt: jsonTime(m.UpdatedAt), Version: m.Version}
	if m.PublishedAt != nil {
		r.PublishedAt = jsonTime(*m.PublishedAt)
	}
	return r
}

// jsonTime is t as time.Time's MarshalJSON writes it, unquoted.
func jsonTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

// bilingualRequest is the language part of a listing's body.
type bilingualRequest struct {
	Languages  []string `json:"languages,omitempty"` // zh, en or both; empty: detected from the title and summary (description)
	TitleAlt   string   `json:"title_alt,omitempty"` // the title in the other language
	SummaryAlt string   `json:"summary_alt,omitempty"`
}

func (r bilingualRequest) bilingual() market.Bilingual {
	return market.Bilingual{Languages: r.Languages, TitleAlt: r.TitleAlt, SummaryAlt: r.SummaryAlt}
}

// bilingualResponse is the language part of a listing's answer.
type bilingualResponse struct {
	Languages  []string `json:"languages"`
	TitleAlt   string   `json:"title_alt,omitempty"`
	SummaryAlt string   `json:"summary_alt,omitempty"`
}

func toBilingualResponse(b market.Bilingual) bilingualResponse {
	return bilingualResponse{Languages: nonNil(b.Languages), TitleAlt: b.TitleAlt, SummaryAlt: b.SummaryAlt}
}

// moneyRequest is the currency of a listing's amount range, which may be
// negotiable instead.
type moneyRequest struct {
	Currency   string `json:"currency,omitempty"`
	Negotiable bool   `json:"negotiable"`
}

func (r moneyRequest) money(min, max int64) market.Money {
	return market.Money{Min: min, Max: max, Currency: r.Currency, Negotiable: r.Negotiable}
}

// listingRequest is the body of a listing's create and update.
type listingRequest[In any] interface {
	// input converts the body, recording fields it cannot read in f.
	input(f *market.Fields) In
	bodyVersion() int64 // update only: the version read
}

func (r outcomeRequest) bodyVersion() int64  { return r.Version }
func (r scenarioRequest) bodyVersion() int64 { return r.Version }

// listingAPI serves one listing kind: create, update, get, list, transition
// and history are written once here; each kind names its service calls,
// its list filters and its answer. T is the listing, Q its request body, R
// its answer, F its list filter.
type listingAPI[T any, P interface {
	*T
	Meta() *market.ListingMeta
}, In any, Q listingRequest[In], R any, F any] struct {
	market.ListingCalls[T, In, F]
	path string // "/api/v1/outcomes/"
	// params are the query parameters the list reads (filter and
	// pageParams); any other is refused, and the detail takes none.
	params []string
	// filter reads the list's query into a filter, recording unreadable numbers in fe.
	filter  func(c *gin.Context, fe *market.Fields, limit int, cursor string) F
	respond func(*T, market.Actor) R
}

// serve binds a handler written once for every listing kind to s.
func (s *Server) serve(h func(*Server, *gin.Context)) gin.HandlerFunc {
	return func(c *gin.Context) { h(s, c) }
}

func (k *listingAPI[T, P, In, Q, R, F]) write(s *Server, c *gin.Context, x *T, err error) {
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, P(x).Meta().Version, k.respond(x, actor(c)))
}

// read decodes the body into an input.
func (k *listingAPI[T, P, In, Q, R, F]) read(c *gin.Context) (Q, In, error) {
	var req Q
	var in In
	if err := decode(c, &req); err != nil {
		return req, in, err
	}
	var f market.Fields
	in = req.input(&f)
	return req, in, f.Err()
}

func (k *listingAPI[T, P, In, Q, R, F]) createOne(s *Server, c *gin.Context) {
	_, in, err := k.read(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	x, err := k.Create(s.Service, c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	m := P(x).Meta()
	created(c, k.path+m.ID, m.Version, k.respond(x, actor(c)))
}

func (k *listingAPI[T, P, In, Q, R, F]) updateOne(s *Server, c *gin.Context) {
	req, in, err := k.read(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	version, err := expectedVersion(c, req.bodyVersion())
	if err != nil {
		s.writeError(c, err)
		return
	}
	x, err := k.Update(s.Service, c.Request.Context(), actor(c), c.Param("id"), version, in)
	k.write(s, c, x, err)
}

func (k *listingAPI[T, P, In, Q, R, F]) getOne(s *Server, c *gin.Context) {
	if c.Request.URL.RawQuery != "" {
		var f market.Fields
		refuseUnknownParams(&f, c.Request.URL.Query(), nil)
		if err := f.Err(); err != nil {
			s.writeError(c, err)
			return
		}
	}
	x, err := k.Get(s.Service, c.Request.Context(), actor(c), c.Param("id"))
	k.write(s, c, x, err)
}

func (k *listingAPI[T, P, In, Q, R, F]) listPage(s *Server, c *gin.Context) {
	var fe market.Fields
	refuseUnknownParams(&fe, c.Request.URL.Query(), k.params)
	if err := fe.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	limit, cursor, err := pageParams(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	f := k.filter(c, &fe, limit, cursor)
	if err := fe.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	a := actor(c)
	page, err := k.List(s.Service, c.Request.Context(), a, f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeJSON(c, http.StatusOK, pageResponse(page, func(x *T) R { return k.respond(x, a) }))
}

// writeJSON answers v as JSON encoded by goccy/go-json, which writes what
// encoding/json writes (TestJSONEncodersAgree) at about half the cost: the
// listing reads spend a tenth of their time encoding.
func writeJSON(c *gin.Context, status int, v any) {
	b, err := gojson.Marshal(v)
	if err != nil {
		c.JSON(status, v) // encoding/json names the failure as gin reports it
		return
	}
	writeOwned(c, status, "application/json; charset=utf-8", b)
}

func (k *listingAPI[T, P, In, Q, R, F]) transitionOne(s *Server, c *gin.Context) {
	var req transitionRequest
	version, err := decodeVersioned(c, &req)
	if err != nil {
		s.writeError(c, err)
		return
	}
	x, err := k.Transition(s.Service, c.Request.Context(), actor(c), c.Param("id"), version, market.ListingAction(req.Action), req.Reason)
	k.write(s, c, x, err)
}

func (k *listingAPI[T, P, In, Q, R, F]) historyOf(s *Server, c *gin.Context) {
	evs, err := k.History(s.Service, c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toEventResponses(evs))
}
