package api

import (
	"net/http"
	"techbridge/market/msgs"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
	"techbridge/market/ledger"
)

// milestoneRequest is the body of every milestone action; each action
// reads the fields it needs (market.ApplyMilestone says which).
type milestoneRequest struct {
	Version   int64    `json:"version,omitempty"`
	Amount    int64    `json:"amount,omitempty"`
	Note      string   `json:"note,omitempty"`
	Files     []string `json:"files,omitempty"`
	Reference string   `json:"reference,omitempty"`
}

type milestoneMoneyResponse struct {
	ID           string    `json:"id"`
	DealID       string    `json:"deal_id"`
	Seq          int       `json:"seq"`
	Title        string    `json:"title"`
	State        string    `json:"state"`
	Amount       int64     `json:"amount"`
	Currency     string    `json:"currency"`
	Funded       int64     `json:"funded"`
	Refunded     int64     `json:"refunded"`
	DeliveryNote string    `json:"delivery_note,omitempty"`
	ChangesNote  string    `json:"changes_note,omitempty"`
	DisputeNote  string    `json:"dispute_note,omitempty"`
	Display      string    `json:"amount_display"`
	Version      int64     `json:"version"`
	UpdatedAt    time.Time `json:"updated_at"`
	// In a deal's money view (GET /deals/{id}/payments) only: what the
	// buyer pays, how the money divides, and what the caller may do now.
	BuyerPays *int64          `json:"buyer_pays,omitempty"`
	Shares    *sharesResponse `json:"shares,omitempty"`
	Actions   []string        `json:"actions,omitempty"`
}

func toMilestoneMoneyResponse(m *market.Milestone) milestoneMoneyResponse {
	return milestoneMoneyResponse{ID: m.ID, DealID: m.DealID, Seq: m.Seq, Title: m.Title, State: m.State, Amount: m.Amount,
		Currency: m.Currency, Funded: m.Funded, Refunded: m.Refunded, DeliveryNote: m.DeliveryNote, ChangesNote: m.ChangesNote,
		DisputeNote: m.DisputeNote, Display: ledger.Plain(m.Amount, m.Currency), Version: m.Version, UpdatedAt: m.UpdatedAt}
}

type paymentOpResponse struct {
	ID           string    `json:"id"`
	Kind         string    `json:"kind"`
	Provider     string    `json:"provider"`
	State        string    `json:"state"`
	DealID       string    `json:"deal_id"`
	MilestoneID  string    `json:"milestone_id"`
	OrgID        string    `json:"org_id"`
	Amount       int64     `json:"amount"`
	Currency     string    `json:"currency"`
	Display      string    `json:"amount_display"`
	Reference    string    `json:"reference,omitempty"`
	ClientSecret string    `json:"client_secret,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	Version      int64     `json:"version"`
}

func toPaymentOpResponse(op *market.PaymentOp) paymentOpResponse {
	return paymentOpResponse{ID: op.ID, Kind: op.Kind, Provider: op.Provider, State: op.State, DealID: op.DealID,
		MilestoneID: op.MilestoneID, OrgID: op.OrgID, Amount: op.Amount, Currency: op.Currency,
		Display: ledger.Plain(op.Amount, op.Currency), Reference: op.ExternalRef, CreatedAt: op.CreatedAt, Version: op.Version}
}

// milestoneAction returns the handler of one milestone action.
func (s *Server) milestoneAction(action string) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req milestoneRequest
		version, err := decodeVersioned(c, &req)
		if err != nil {
			s.writeError(c, err)
			return
		}
		m, err := s.Service.ActOnMilestone(c.Request.Context(), actor(c), c.Param("id"), market.MilestoneAction{
			Action: action, Version: version, Amount: req.Amount, Note: req.Note, Files: req.Files})
		if err != nil {
			s.writeError(c, err)
			return
		}
		writeVersioned(c, http.StatusOK, m.Version, toMilestoneMoneyResponse(m))
	}
}

// fundMilestone starts the buyer's payment; the answer carries the bank
// reference (manual) or the PaymentIntent's client secret (Stripe).
func (s *Server) fundMilestone(c *gin.Context) {
	var req milestoneRequest
	version, err := decodeVersioned(c, &req)
	if err != nil {
		s.writeError(c, err)
		return
	}
	op, err := s.Service.FundMilestone(c.Request.Context(), actor(c), c.Param("id"), market.FundInput{Version: version, Reference: req.Reference})
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := toPaymentOpResponse(op)
	resp.ClientSecret = op.ClientSecret // only the buyer ever gets here
	c.JSON(http.StatusAccepted, resp)
}

// confirmFunding records the receipt of a bank transfer.
func (s *Server) confirmFunding(c *gin.Context) {
	var req milestoneRequest
	version, err := decodeVersioned(c, &req)
	if err != nil {
		s.writeError(c, err)
		return
	}
	m, err := s.Service.ConfirmFunding(c.Request.Context(), actor(c), c.Param("id"), version)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, m.Version, toMilestoneMoneyResponse(m))
}

type onboardRequest struct {
	ReturnURL string `json:"return_url,omitempty"`
}

type onboardResponse struct {
	Provider         string `json:"provider"`
	AccountID        string `json:"account_id"`
	OnboardingURL    string `json:"onboarding_url"`
	PayoutsEnabled   bool   `json:"payouts_enabled"`
	DetailsSubmitted bool   `json:"details_submitted"`
}

// onboardPayee creates the organisation's connected account and returns
// its onboarding link.
func (s *Server) onboardPayee(c *gin.Context) {
	var req onboardRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if req.ReturnURL == "" {
		s.writeError(c, market.Invalid("return_url", msgs.Required))
		return
	}
	acct, link, err := s.Service.OnboardPayee(c.Request.Context(), actor(c), c.Param("id"), req.ReturnURL)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, onboardResponse{Provider: acct.Provider, AccountID: acct.ExternalID, OnboardingURL: link,
		PayoutsEnabled: acct.PayoutsEnabled, DetailsSubmitted: acct.DetailsSubmitted})
}
