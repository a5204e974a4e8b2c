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
	bilingualRequest
	IPC       []string `json:"ipc,omitempty"`
	MinTRL    int      `json:"min_trl,omitempty"`
	BudgetMin int64    `json:"budget_min,omitempty"`
	BudgetMax int64    `json:"budget_max,omitempty"`
	moneyRequest
	Bounty   int64  `json:"bounty,omitempty"`
	Criteria string `json:"criteria,omitempty"`
	Deadline string `json:"deadline,omitempty"`
	Region   string `json:"region,omitempty"`
}

func (r scenarioRequest) input(f *market.Fields) market.ScenarioInput {
	return market.ScenarioInput{Kind: r.Kind, Bilingual: r.bilingual(), Title: r.Title, Description: r.Description, Field: r.Field,
		Keywords: r.Keywords, IPC: r.IPC, MinTRL: r.MinTRL, Bounty: r.Bounty, Criteria: r.Criteria, Region: r.Region,
		Budget:   r.money(r.BudgetMin, r.BudgetMax),
		Deadline: parseDate(f, "deadline", r.Deadline)}
}

type scenarioResponse struct {
	listingMetaResponse
	Kind        string   `json:"kind"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Field       string   `json:"field"`
	Keywords    []string `json:"keywords"`
	bilingualResponse
	IPC        []string `json:"ipc"`
	MinTRL     int      `json:"min_trl,omitempty"`
	BudgetMin  int64    `json:"budget_min"`
	BudgetMax  int64    `json:"budget_max"`
	Currency   string   `json:"currency"`
	Negotiable bool     `json:"negotiable"`
	Bounty     int64    `json:"bounty,omitempty"`
	Criteria   string   `json:"criteria,omitempty"`
	Deadline   string   `json:"deadline,omitempty"`
	Region     string   `json:"region"`
}

func toScenarioResponse(s *market.Scenario, a market.Actor) scenarioResponse {
	return scenarioResponse{listingMetaResponse: toListingMetaResponse(s.ListingMeta, a),
		bilingualResponse: toBilingualResponse(s.Bilingual), Kind: s.Kind, Title: s.Title, Description: s.Description,
		Field: s.Field, Keywords: nonNil(s.Keywords), IPC: nonNil(s.IPC), MinTRL: s.MinTRL, BudgetMin: s.Budget.Min,
		BudgetMax: s.Budget.Max, Currency: s.Budget.Currency, Negotiable: s.Budget.Negotiable, Bounty: s.Bounty,
		Criteria: s.Criteria, Deadline: formatDate(s.Deadline), Region: s.Region}
}

// scenarioAPI serves the scenario endpoints. GET /scenarios filters by
// kind, field, trl_min, trl_max (on the minimum TRL), budget_min,
// budget_max, region, org_id and status.
var scenarioAPI = &listingAPI[market.Scenario, *market.Scenario, market.ScenarioInput, scenarioRequest, scenarioResponse, market.ScenarioFilter]{
	path: "/api/v1/scenarios/", respond: toScenarioResponse,
	params:       []string{"kind", "field", "trl_min", "trl_max", "budget_min", "budget_max", "region", "org_id", "status", "sort", "offset", "limit", "cursor"},
	ListingCalls: market.ScenarioCalls,
	filter: func(c *gin.Context, fe *market.Fields, limit int, cursor string) market.ScenarioFilter {
		f := market.ScenarioFilter{OrgID: c.Query("org_id"), Kind: c.Query("kind"), Status: c.Query("status"),
			Field: c.Query("field"), Region: c.Query("region"), Sort: c.Query("sort"), After: cursor, Limit: limit}
		queryInt(c, fe, "offset", &f.Offset)
		queryInt(c, fe, "trl_min", &f.TRLMin)
		queryInt(c, fe, "trl_max", &f.TRLMax)
		queryInt(c, fe, "budget_min", &f.BudgetMin)
		queryInt(c, fe, "budget_max", &f.BudgetMax)
		return f
	},
}
