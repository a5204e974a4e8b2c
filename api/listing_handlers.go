package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"techbridge/market/msgs"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// transitionRequest moves a listing or proposal through its life cycle;
// version is the version the caller read (a stale one gets 409).
type transitionRequest struct {
	Action  string `json:"action,omitempty"`
	Version int64  `json:"version,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// eventResponse is one entry of a listing's history.
type eventResponse struct {
	Seq     int64           `json:"seq"`
	Type    string          `json:"type"`
	ActorID string          `json:"actor_id,omitempty"`
	At      time.Time       `json:"at"`
	Payload json.RawMessage `json:"payload"`
}

func toEventResponses(evs []market.Event) listResponse[eventResponse] {
	resp := listResponse[eventResponse]{Items: []eventResponse{}}
	for _, e := range evs {
		resp.Items = append(resp.Items, eventResponse{Seq: e.Seq, Type: e.Type, ActorID: e.ActorID, At: e.At, Payload: e.Payload})
	}
	n := len(resp.Items)
	resp.Total = &n
	return resp
}

// pageResponse converts a market page with a converter.
func pageResponse[T, R any](p market.Page[T], conv func(*T) R) listResponse[R] {
	resp := listResponse[R]{Items: []R{}, HasMore: &p.HasMore, NextCursor: p.NextCursor}
	for i := range p.Items {
		resp.Items = append(resp.Items, conv(&p.Items[i]))
	}
	if p.Counted {
		total := p.Total
		resp.Total = &total
	}
	return resp
}

// parseDate reads an optional "2006-01-02" date (RFC 3339 times are taken
// too), naming field when it is neither.
func parseDate(f *market.Fields, field, v string) *time.Time {
	if v == "" {
		return nil
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339} {
		if t, err := time.Parse(layout, v); err == nil {
			t = t.UTC()
			return &t
		}
	}
	f.Add(field, msgs.DateExample2027)
	return nil
}

func formatDate(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// queryInt reads an optional integer query parameter into dst.
func queryInt[N int | int64](c *gin.Context, f *market.Fields, name string, dst *N) {
	v := c.Query(name)
	if v == "" {
		return
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		f.Add(name, msgs.Integer)
		return
	}
	*dst = N(n)
}

// orgParam picks the organisation a member acts for: ?org_id=, else the
// X-Organization header, else the actor's only organisation; "" when the
// account has several and named none (never the first of them).
func orgParam(c *gin.Context) string {
	return actor(c).ChosenOrg(c.Query("org_id"))
}

type fieldsResponse struct {
	Items []market.TechField `json:"items"`
}

// listFields serves the technology-field taxonomy with zh and en names.
func (s *Server) listFields(c *gin.Context) { fieldsConstant.serve(c) }

// fieldsConstant is the taxonomy, fixed at build time, encoded once.
var fieldsConstant = newConstant(fieldsResponse{Items: market.TechFields})

type reviewQueueResponse struct {
	Outcomes  listResponse[outcomeResponse]  `json:"outcomes"`
	Scenarios listResponse[scenarioResponse] `json:"scenarios"`
}

// reviewQueue lists the listings waiting for reviewers.
func (s *Server) reviewQueue(c *gin.Context) {
	limit, _, err := pageParams(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	q, err := s.Service.PendingReview(c.Request.Context(), actor(c), limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	a := actor(c)
	c.JSON(http.StatusOK, reviewQueueResponse{
		Outcomes:  pageResponse(q.Outcomes, func(o *market.Outcome) outcomeResponse { return toOutcomeResponse(o, a) }),
		Scenarios: pageResponse(q.Scenarios, func(sc *market.Scenario) scenarioResponse { return toScenarioResponse(sc, a) }),
	})
}
