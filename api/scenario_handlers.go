package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// scenarioRequest is the body of create and update; no status or owner.
type scenarioRequest struct {
	Version     int64    `json:"version,omitempty"` // update only
	Kind        string   `json:"kind,omitempty"`
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	Field       string   `json:"field,omitempty"`
	Keywords    []string `json:"keywords,omitempty"`
	Languages   []string `json:"languages,omitempty"` // zh, en or both; empty: detected from the title and description
	TitleAlt    string   `json:"title_alt,omitempty"` // the title in the other language
	SummaryAlt  string   `json:"summary_alt,omitempty"`
	IPC         []string `json:"ipc,omitempty"`
	MinTRL      int      `json:"min_trl,omitempty"`
	BudgetMin   int64    `json:"budget_min,omitempty"`
	BudgetMax   int64    `json:"budget_max,omitempty"`
	Currency    string   `json:"currency,omitempty"`
	Negotiable  bool     `json:"negotiable"`
	Bounty      int64    `json:"bounty,omitempty"`
	Criteria    string   `json:"criteria,omitempty"`
	Deadline    string   `json:"deadline,omitempty"`
	Region      string   `json:"region,omitempty"`
}

func (r scenarioRequest) input() (market.ScenarioInput, error) {
	var f market.Fields
	in := market.ScenarioInput{Kind: r.Kind, Title: r.Title, Description: r.Description, Field: r.Field,
		Keywords: r.Keywords, IPC: r.IPC, MinTRL: r.MinTRL, Bounty: r.Bounty, Criteria: r.Criteria, Region: r.Region,
		Budget:   market.Money{Min: r.BudgetMin, Max: r.BudgetMax, Currency: r.Currency, Negotiable: r.Negotiable},
		Deadline: parseDate(&f, "deadline", r.Deadline)}
	in.Bilingual = market.Bilingual{Languages: r.Languages, TitleAlt: r.TitleAlt, SummaryAlt: r.SummaryAlt}
	return in, f.Err()
}

type scenarioResponse struct {
	ID           string     `json:"id"`
	OrgID        string     `json:"org_id"`
	Kind         string     `json:"kind"`
	Title        string     `json:"title"`
	Description  string     `json:"description"`
	Field        string     `json:"field"`
	Keywords     []string   `json:"keywords"`
	Languages    []string   `json:"languages"`
	TitleAlt     string     `json:"title_alt,omitempty"`
	SummaryAlt   string     `json:"summary_alt,omitempty"`
	IPC          []string   `json:"ipc"`
	MinTRL       int        `json:"min_trl,omitempty"`
	BudgetMin    int64      `json:"budget_min"`
	BudgetMax    int64      `json:"budget_max"`
	Currency     string     `json:"currency"`
	Negotiable   bool       `json:"negotiable"`
	Bounty       int64      `json:"bounty,omitempty"`
	Criteria     string     `json:"criteria,omitempty"`
	Deadline     string     `json:"deadline,omitempty"`
	Region       string     `json:"region"`
	Status       string     `json:"status"`
	RejectReason string     `json:"reject_reason,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	PublishedAt  *time.Time `json:"published_at,omitempty"`
	Version      int64      `json:"version"`
}

func toScenarioResponse(s *market.Scenario) scenarioResponse {
	return scenarioResponse{ID: s.ID, OrgID: s.OrgID, Kind: s.Kind, Title: s.Title, Description: s.Description,
		Field: s.Field, Keywords: nonNil(s.Keywords), Languages: nonNil(s.Languages), TitleAlt: s.TitleAlt,
		SummaryAlt: s.SummaryAlt, IPC: nonNil(s.IPC), MinTRL: s.MinTRL, BudgetMin: s.Budget.Min,
		BudgetMax: s.Budget.Max, Currency: s.Budget.Currency, Negotiable: s.Budget.Negotiable, Bounty: s.Bounty,
		Criteria: s.Criteria, Deadline: formatDate(s.Deadline), Region: s.Region, Status: s.Status,
		RejectReason: s.RejectReason, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, PublishedAt: s.PublishedAt, Version: s.Version}
}

func (s *Server) createScenario(c *gin.Context) {
	var req scenarioRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	in, err := req.input()
	if err != nil {
		s.writeError(c, err)
		return
	}
	sc, err := s.Service.CreateScenario(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	created(c, "/api/v1/scenarios/"+sc.ID, sc.Version, toScenarioResponse(sc))
}

func (s *Server) updateScenario(c *gin.Context) {
	var req scenarioRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	in, err := req.input()
	if err != nil {
		s.writeError(c, err)
		return
	}
	version, err := expectedVersion(c, req.Version)
	if err != nil {
		s.writeError(c, err)
		return
	}
	sc, err := s.Service.UpdateScenario(c.Request.Context(), actor(c), c.Param("id"), version, in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, sc.Version, toScenarioResponse(sc))
}

func (s *Server) getScenario(c *gin.Context) {
	sc, err := s.Service.Scenario(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, sc.Version, toScenarioResponse(sc))
}

// listScenarios serves GET /scenarios with filters kind, field, trl_min,
// trl_max (on the minimum TRL), budget_min, budget_max, region, org_id,
// status, cursor and limit.
func (s *Server) listScenarios(c *gin.Context) {
	limit, cursor, err := pageParams(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	f := market.ScenarioFilter{OrgID: c.Query("org_id"), Kind: c.Query("kind"), Status: c.Query("status"),
		Field: c.Query("field"), Region: c.Query("region"), After: cursor, Limit: limit}
	var fe market.Fields
	queryInt(c, &fe, "trl_min", &f.TRLMin)
	queryInt(c, &fe, "trl_max", &f.TRLMax)
	queryInt(c, &fe, "budget_min", &f.BudgetMin)
	queryInt(c, &fe, "budget_max", &f.BudgetMax)
	if err := fe.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	page, err := s.Service.Scenarios(c.Request.Context(), actor(c), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, pageResponse(page, toScenarioResponse))
}

func (s *Server) transitionScenario(c *gin.Context) {
	var req transitionRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	version, err := expectedVersion(c, req.Version)
	if err != nil {
		s.writeError(c, err)
		return
	}
	sc, err := s.Service.TransitionScenario(c.Request.Context(), actor(c), c.Param("id"), version, market.ListingAction(req.Action), req.Reason)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, sc.Version, toScenarioResponse(sc))
}

func (s *Server) scenarioHistory(c *gin.Context) {
	evs, err := s.Service.ScenarioHistory(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toEventResponses(evs))
}
