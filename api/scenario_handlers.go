package api

import (
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

func (r scenarioRequest) bodyVersion() int64 { return r.Version }

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
	listingMetaResponse
	Kind        string   `json:"kind"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Field       string   `json:"field"`
	Keywords    []string `json:"keywords"`
	Languages   []string `json:"languages"`
	TitleAlt    string   `json:"title_alt,omitempty"`
	SummaryAlt  string   `json:"summary_alt,omitempty"`
	IPC         []string `json:"ipc"`
	MinTRL      int      `json:"min_trl,omitempty"`
	BudgetMin   int64    `json:"budget_min"`
	BudgetMax   int64    `json:"budget_max"`
	Currency    string   `json:"currency"`
	Negotiable  bool     `json:"negotiable"`
	Bounty      int64    `json:"bounty,omitempty"`
	Criteria    string   `json:"criteria,omitempty"`
	Deadline    string   `json:"deadline,omitempty"`
	Region      string   `json:"region"`
}

func toScenarioResponse(s *market.Scenario, a market.Actor) scenarioResponse {
	return scenarioResponse{listingMetaResponse: toListingMetaResponse(s.ListingMeta, a), Kind: s.Kind, Title: s.Title,
		Description: s.Description, Field: s.Field, Keywords: nonNil(s.Keywords), Languages: nonNil(s.Languages),
		TitleAlt: s.TitleAlt, SummaryAlt: s.SummaryAlt, IPC: nonNil(s.IPC), MinTRL: s.MinTRL, BudgetMin: s.Budget.Min,
		BudgetMax: s.Budget.Max, Currency: s.Budget.Currency, Negotiable: s.Budget.Negotiable, Bounty: s.Bounty,
		Criteria: s.Criteria, Deadline: formatDate(s.Deadline), Region: s.Region}
}

// scenarioAPI serves the scenario endpoints. GET /scenarios filters by
// kind, field, trl_min, trl_max (on the minimum TRL), budget_min,
// budget_max, region, org_id and status.
var scenarioAPI = &listingAPI[market.Scenario, *market.Scenario, market.ScenarioInput, scenarioRequest, scenarioResponse, market.ScenarioFilter]{
	path: "/api/v1/scenarios/", respond: toScenarioResponse,
	create: (*market.Service).CreateScenario, update: (*market.Service).UpdateScenario, get: (*market.Service).Scenario,
	list: (*market.Service).Scenarios, transition: (*market.Service).TransitionScenario, history: (*market.Service).ScenarioHistory,
	filter: func(c *gin.Context, fe *market.Fields, limit int, cursor string) market.ScenarioFilter {
		f := market.ScenarioFilter{OrgID: c.Query("org_id"), Kind: c.Query("kind"), Status: c.Query("status"),
			Field: c.Query("field"), Region: c.Query("region"), After: cursor, Limit: limit}
		queryInt(c, fe, "trl_min", &f.TRLMin)
		queryInt(c, fe, "trl_max", &f.TRLMax)
		queryInt(c, fe, "budget_min", &f.BudgetMin)
		queryInt(c, fe, "budget_max", &f.BudgetMax)
		return f
	},
}

func (s *Server) createScenario(c *gin.Context)     { scenarioAPI.createOne(s, c) }
func (s *Server) updateScenario(c *gin.Context)     { scenarioAPI.updateOne(s, c) }
func (s *Server) getScenario(c *gin.Context)        { scenarioAPI.getOne(s, c) }
func (s *Server) listScenarios(c *gin.Context)      { scenarioAPI.listPage(s, c) }
func (s *Server) transitionScenario(c *gin.Context) { scenarioAPI.transitionOne(s, c) }
func (s *Server) scenarioHistory(c *gin.Context)    { scenarioAPI.historyOf(s, c) }
