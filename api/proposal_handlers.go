package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// proposalRequest answers a scenario; the proposing organisation comes
// from ?org_id= (or the caller's only organisation), never from the body.
type proposalRequest struct {
	OutcomeID  string `json:"outcome_id,omitempty"`
	Title      string `json:"title,omitempty"`
	Summary    string `json:"summary,omitempty"`
	PriceMin   int64  `json:"price_min,omitempty"`
	PriceMax   int64  `json:"price_max,omitempty"`
	Currency   string `json:"currency,omitempty"`
	Negotiable bool   `json:"negotiable"`
}

type proposalResponse struct {
	ID         string    `json:"id"`
	ScenarioID string    `json:"scenario_id"`
	OrgID      string    `json:"org_id"`
	OutcomeID  string    `json:"outcome_id,omitempty"`
	Title      string    `json:"title"`
	Summary    string    `json:"summary"`
	PriceMin   int64     `json:"price_min"`
	PriceMax   int64     `json:"price_max"`
	Currency   string    `json:"currency"`
	Negotiable bool      `json:"negotiable"`
	Status     string    `json:"status"`
	Reason     string    `json:"reason,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Version    int64     `json:"version"`
}

func toProposalResponse(p *market.Proposal) proposalResponse {
	return proposalResponse{ID: p.ID, ScenarioID: p.ScenarioID, OrgID: p.OrgID, OutcomeID: p.OutcomeID, Title: p.Title,
		Summary: p.Summary, PriceMin: p.Price.Min, PriceMax: p.Price.Max, Currency: p.Price.Currency,
		Negotiable: p.Price.Negotiable, Status: p.Status, Reason: p.Reason, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		Version: p.Version}
}

func (s *Server) submitProposal(c *gin.Context) {
	var req proposalRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	p, err := s.Service.SubmitProposal(c.Request.Context(), actor(c), c.Param("id"), orgParam(c), market.ProposalInput{
		OutcomeID: req.OutcomeID, Title: req.Title, Summary: req.Summary,
		Price: market.Money{Min: req.PriceMin, Max: req.PriceMax, Currency: req.Currency, Negotiable: req.Negotiable}})
	if err != nil {
		s.writeError(c, err)
		return
	}
	created(c, "/api/v1/proposals/"+p.ID, p.Version, toProposalResponse(p))
}

func (s *Server) getProposal(c *gin.Context) {
	p, err := s.Service.Proposal(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, p.Version, toProposalResponse(p))
}

// listScenarioProposals lists a scenario's proposals for its owner (and a
// proposer's own with ?org_id=).
func (s *Server) listScenarioProposals(c *gin.Context) {
	s.listProposalsWith(c, market.ProposalFilter{ScenarioID: c.Param("id"), OrgID: c.Query("org_id")})
}

// listProposals lists an organisation's own proposals (?org_id=).
func (s *Server) listProposals(c *gin.Context) {
	s.listProposalsWith(c, market.ProposalFilter{OrgID: orgParam(c)})
}

func (s *Server) listProposalsWith(c *gin.Context, f market.ProposalFilter) {
	limit, cursor, err := pageParams(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	f.Status, f.After, f.Limit = c.Query("status"), cursor, limit
	page, err := s.Service.Proposals(c.Request.Context(), actor(c), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, pageResponse(page, toProposalResponse))
}

func (s *Server) transitionProposal(c *gin.Context) {
	var req transitionRequest
	version, err := decodeVersioned(c, &req)
	if err != nil {
		s.writeError(c, err)
		return
	}
	p, err := s.Service.TransitionProposal(c.Request.Context(), actor(c), c.Param("id"), version, market.ProposalAction(req.Action), req.Reason)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, p.Version, toProposalResponse(p))
}
