package api

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"techbridge/market/msgs"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
	"techbridge/search"
)

// Matching ranks published listings for a subject and explains each match.
// Who sees what: a published scenario's or outcome's matches are public
// (they are published listings anyone could find by searching, and an
// outsider matches a confidential outcome by its teaser only); a listing in
// any other status is matched for its owner and reviewers only, and is not
// found for everyone else. POST /match is open to anonymous callers, under
// the same rate limit as every public route.

// matchParams are the query parameters of the GET match routes.
var matchParams = []string{"limit", "group", "field", "ipc", "org_kind", "transfer_mode"}

// matchOptions reads the GET match routes' query parameters, naming every
// bad one.
func matchOptions(v url.Values) (search.MatchOptions, error) {
	var f market.Fields
	refuseUnknownParams(&f, v, matchParams)
	opt := search.MatchOptions{Group: v.Get("group")}
	opt.Limit = intParam(&f, v, "limit", 1, search.MaxMatches)
	if opt.Filter.Field = v.Get("field"); opt.Filter.Field != "" && !market.ValidField(opt.Filter.Field) {
		f.Add("field", msgs.UnknownFieldCodeXSeeGET, opt.Filter.Field)
	}
	if ipc := strings.TrimSpace(v.Get("ipc")); ipc != "" {
		if len(ipc) > 20 || !ipcPrefixOK(ipc) {
			f.Add("ipc", msgs.StartIPCCodeSuchAsH01M)
		}
		opt.Filter.IPCPrefix = search.NormalizeIPC(ipc)
	}
	if opt.Filter.OrgKind = v.Get("org_kind"); opt.Filter.OrgKind != "" && !slices.Contains(market.OrgKinds, opt.Filter.OrgKind) {
		f.Add("org_kind", msgs.OneOf, strings.Join(market.OrgKinds, ", "))
	}
	if opt.Filter.TransferMode = v.Get("transfer_mode"); opt.Filter.TransferMode != "" && !slices.Contains(market.TransferModes, opt.Filter.TransferMode) {
		f.Add("transfer_mode", msgs.OneOf, strings.Join(market.TransferModes, ", "))
	}
	if opt.Group != "" && opt.Group != search.GroupOrganization {
		f.Add("group", msgs.XOrAbsent, search.GroupOrganization)
	}
	return opt, f.Err()
}

// needRequest is the body of POST /api/v1/match.
type needRequest struct {
	Text     string `json:"text,omitempty"`
	Kind     string `json:"kind,omitempty"`
	Field    string `json:"field,omitempty"`
	IPC      string `json:"ipc,omitempty"`
	Region   string `json:"region,omitempty"`
	OrgKind  string `json:"org_kind,omitempty"`
	TRL      int    `json:"trl,omitempty"`
	PriceMin int64  `json:"price_min,omitempty"`
	PriceMax int64  `json:"price_max,omitempty"`
	Currency string `json:"currency,omitempty"`
	Limit    int    `json:"limit,omitempty"`
	Group    string `json:"group,omitempty"`
}

type matchSubjectResponse struct {
	ID    string `json:"id,omitempty"`
	Kind  string `json:"kind"`
	Title string `json:"title,omitempty"`
}

type reasonResponse struct {
	Kind     string   `json:"kind"`
	Points   float64  `json:"points"`
	Detail   string   `json:"detail"`
	Terms    []string `json:"terms,omitempty"`
	Codes    []string `json:"codes,omitempty"`
	Inferred bool     `json:"inferred,omitempty"`
	Coverage float64  `json:"coverage,omitempty"`
	Want     int64    `json:"want,omitempty"`
	Have     int64    `json:"have,omitempty"`
	Currency string   `json:"currency,omitempty"`
	Days     int      `json:"days,omitempty"`
}

type matchResponse struct {
	ID          string              `json:"id"`
	Kind        string              `json:"kind"`
	Title       string              `json:"title"`
	Summary     string              `json:"summary,omitempty"`
	OrgID       string              `json:"org_id"`
	OrgName     string              `json:"org_name,omitempty"`
	OrgKind     string              `json:"org_kind,omitempty"`
	Field       string              `json:"field,omitempty"`
	IPC         []string            `json:"ipc,omitempty"`
	TRL         int                 `json:"trl,omitempty"`
	PriceMin    int64               `json:"price_min,omitempty"`
	PriceMax    int64               `json:"price_max,omitempty"`
	Currency    string              `json:"currency,omitempty"`
	Region      string              `json:"region,omitempty"`
	PublishedAt time.Time           `json:"published_at"`
	Deadline    string              `json:"deadline,omitempty"`
	Score       float64             `json:"score"`
	Strong      bool                `json:"strong"`
	Highlights  map[string][]string `json:"highlights,omitempty"`
	Reasons     []reasonResponse    `json:"reasons"`
	Gaps        []reasonResponse    `json:"gaps"`
}

type orgMatchResponse struct {
	OrgID   string          `json:"org_id"`
	OrgName string          `json:"org_name,omitempty"`
	OrgKind string          `json:"org_kind,omitempty"`
	Score   float64         `json:"score"`
	Matches int             `json:"matches"`
	Best    []matchResponse `json:"best"`
}

// matchResultResponse carries items, or organizations when grouped.
type matchResultResponse struct {
	Subject       matchSubjectResponse `json:"subject"`
	Items         []matchResponse      `json:"items,omitempty"`
	Organizations []orgMatchResponse   `json:"organizations,omitempty"`
}

func toReasonResponses(rs []search.Reason) []reasonResponse {
	out := make([]reasonResponse, 0, len(rs))
	for _, r := range rs {
		out = append(out, reasonResponse{Kind: r.Kind, Points: r.Points, Detail: r.Detail, Terms: r.Terms, Codes: r.Codes,
			Inferred: r.Inferred, Coverage: r.Coverage, Want: r.Want, Have: r.Have, Currency: r.Currency, Days: r.Days})
	}
	return out
}

func toMatchResponse(m search.Match) matchResponse {
	r := matchResponse{ID: m.ID, Kind: m.Kind, Title: m.Title, Summary: m.Summary, OrgID: m.OrgID, OrgName: m.OrgName,
		OrgKind: m.OrgKind, Field: m.Field, IPC: m.IPC, TRL: m.TRL, PriceMin: m.PriceMin, PriceMax: m.PriceMax,
		Currency: m.Currency, Region: m.Region, PublishedAt: m.PublishedAt, Score: m.Score, Strong: m.Strong(),
		Highlights: m.Highlights, Reasons: toReasonResponses(m.Reasons), Gaps: toReasonResponses(m.Gaps)}
	if !m.Deadline.IsZero() {
		r.Deadline = m.Deadline.UTC().Format(time.DateOnly)
	}
	return r
}

func toMatchResultResponse(res search.MatchResult) matchResultResponse {
	out := matchResultResponse{Subject: matchSubjectResponse{ID: res.Subject.ID, Kind: res.Subject.Kind, Title: res.Subject.Title}}
	for _, m := range res.Matches {
		out.Items = append(out.Items, toMatchResponse(m))
	}
	for _, g := range res.Organizations {
		og := orgMatchResponse{OrgID: g.OrgID, OrgName: g.OrgName, OrgKind: g.OrgKind, Score: g.Score, Matches: g.Matches}
		for _, m := range g.Best {
			og.Best = append(og.Best, toMatchResponse(m))
		}
		out.Organizations = append(out.Organizations, og)
	}
	if out.Items == nil && out.Organizations == nil {
		out.Items = []matchResponse{}
	}
	return out
}

// errNoMatcher answers when serve runs without a search engine.
var errNoMatcher = market.Errorf(market.ENOTIMPLEMENTED, msgs.MatchingNotAvailableOnThisServer)

func (s *Server) scenarioMatches(c *gin.Context) { s.listingMatches(c, s.Matcher.ForScenario) }
func (s *Server) outcomeMatches(c *gin.Context)  { s.listingMatches(c, s.Matcher.ForOutcome) }

// listingMatches answers the matches of the listing named in the path.
func (s *Server) listingMatches(c *gin.Context, find func(context.Context, market.Actor, string, search.MatchOptions) (search.MatchResult, error)) {
	opt, err := matchOptions(c.Request.URL.Query())
	if err != nil {
		s.writeError(c, err)
		return
	}
	if s.Matcher == nil {
		s.writeError(c, errNoMatcher)
		return
	}
	res, err := find(c.Request.Context(), actor(c), c.Param("id"), opt)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeJSON(c, http.StatusOK, toMatchResultResponse(res))
}

func (s *Server) matchNeed(c *gin.Context) {
	var req needRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if s.Matcher == nil {
		s.writeError(c, errNoMatcher)
		return
	}
	need := search.Need{Text: req.Text, Kind: req.Kind, Field: req.Field, IPC: req.IPC, Region: req.Region,
		OrgKind: req.OrgKind, TRL: req.TRL, PriceMin: req.PriceMin, PriceMax: req.PriceMax, Currency: req.Currency}
	res, err := s.Matcher.ForNeed(c.Request.Context(), need, search.MatchOptions{Limit: req.Limit, Group: req.Group})
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeJSON(c, http.StatusOK, toMatchResultResponse(res))
}
