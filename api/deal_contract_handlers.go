package api

import (
	"net/http"
	"techbridge/market/msgs"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// contractDocumentResponse is the canonical contract and the hash each
// party signs.
type contractDocumentResponse struct {
	DealID   string              `json:"deal_id"`
	State    string              `json:"state"`
	Contract contractResponse    `json:"contract"`
	Signed   []signatureResponse `json:"signatures"`
}

// getContract answers the drafted contract as JSON, or with ?format=text as
// the exact bytes that were hashed.
func (s *Server) getContract(c *gin.Context) {
	format, err := formatParam(c, "json", "text")
	if err != nil {
		s.writeError(c, err)
		return
	}
	v, err := s.Service.Deal(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if v.Deal.Contract == nil {
		s.writeError(c, market.Errorf(market.ECONFLICT, msgs.DealXHasNoContractYet, v.Deal.ID, v.Deal.State))
		return
	}
	if format == "text" {
		c.Header("X-Contract-SHA256", v.Deal.Contract.Hash)
		c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte(v.Deal.Contract.Document))
		return
	}
	r := toDealResponse(v)
	c.JSON(http.StatusOK, contractDocumentResponse{DealID: r.ID, State: r.State, Contract: *r.Contract, Signed: r.Signatures})
}

// dealListingResponse is what a deal is about; confidential outcome details
// are present only when full is true.
type dealListingResponse struct {
	Full     bool           `json:"full"`
	Outcome  map[string]any `json:"outcome,omitempty"`
	Proposal map[string]any `json:"proposal,omitempty"`
	Scenario map[string]any `json:"scenario,omitempty"`
}

func (s *Server) getDealListing(c *gin.Context) {
	l, err := s.Service.DealListing(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := dealListingResponse{Full: l.Full}
	if o := l.Outcome; o != nil {
		resp.Outcome = map[string]any{"id": o.ID, "org_id": o.OrgID, "title": o.Title, "summary": o.Summary,
			"description": o.Description, "keywords": o.Keywords, "field": o.Field, "ipc": o.IPC, "trl": o.TRL,
			"ip_type": o.IPType, "patent_numbers": o.PatentNumbers, "legal_status": o.LegalStatus,
			"transfer_modes": o.TransferModes, "confidentiality": o.Confidentiality, "status": o.Status}
	}
	if p := l.Proposal; p != nil {
		resp.Proposal = map[string]any{"id": p.ID, "scenario_id": p.ScenarioID, "org_id": p.OrgID, "outcome_id": p.OutcomeID,
			"title": p.Title, "summary": p.Summary, "status": p.Status}
	}
	if sc := l.Scenario; sc != nil {
		resp.Scenario = map[string]any{"id": sc.ID, "org_id": sc.OrgID, "kind": sc.Kind, "title": sc.Title,
			"description": sc.Description, "status": sc.Status}
	}
	c.JSON(http.StatusOK, resp)
}

type milestoneResponse struct {
	ID          string    `json:"id"`
	Seq         int       `json:"seq"`
	Title       string    `json:"title"`
	Deliverable string    `json:"deliverable"`
	DueDate     string    `json:"due_date"`
	Amount      int64     `json:"amount"`
	Currency    string    `json:"currency"`
	State       string    `json:"state"`
	Funded      int64     `json:"funded"`
	Refunded    int64     `json:"refunded"`
	Version     int64     `json:"version"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func (s *Server) listDealMilestones(c *gin.Context) {
	ms, err := s.Service.DealMilestones(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := listResponse[milestoneResponse]{Items: []milestoneResponse{}}
	for _, m := range ms {
		resp.Items = append(resp.Items, milestoneResponse{ID: m.ID, Seq: m.Seq, Title: m.Title, Deliverable: m.Deliverable,
			DueDate: m.Due.Format(time.DateOnly), Amount: m.Amount, Currency: m.Currency, State: m.State,
			Funded: m.Funded, Refunded: m.Refunded, Version: m.Version, UpdatedAt: m.UpdatedAt})
	}
	c.JSON(http.StatusOK, resp)
}

type intermediaryDealResponse struct {
	dealResponse
	FeeEstimate int64  `json:"fee_estimate"`
	FeeCurrency string `json:"fee_currency,omitempty"`
	FeeFinal    bool   `json:"fee_final"`
}

func (s *Server) listIntermediaryDeals(c *gin.Context) {
	limit, _, err := pageParams(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ds, err := s.Service.IntermediaryDeals(c.Request.Context(), actor(c), c.Param("id"), limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := listResponse[intermediaryDealResponse]{Items: []intermediaryDealResponse{}}
	for i := range ds {
		resp.Items = append(resp.Items, intermediaryDealResponse{dealResponse: toDealResponse(&ds[i].DealView),
			FeeEstimate: ds[i].FeeEstimate, FeeCurrency: ds[i].Currency, FeeFinal: ds[i].FeeFinal})
	}
	c.JSON(http.StatusOK, resp)
}

type ndaRequest struct {
	Text string `json:"text,omitempty"`
}

func toNDAResponse(n *market.NDA) ndaResponse {
	return ndaResponse{OrgID: n.OwnerOrgID, Version: n.Version, Text: n.Text, Hash: n.Hash, PublishedAt: n.PublishedAt}
}

func (s *Server) getNDA(c *gin.Context) {
	n, err := s.Service.CurrentNDA(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toNDAResponse(n))
}

func (s *Server) publishNDA(c *gin.Context) {
	var req ndaRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	n, err := s.Service.PublishNDA(c.Request.Context(), actor(c), c.Param("id"), req.Text)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toNDAResponse(n))
}
