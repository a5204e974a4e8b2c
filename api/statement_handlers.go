package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
	"techbridge/market/ledger"
)

type statementResponse struct {
	Currency string `json:"currency"`
	Paid     int64  `json:"paid"`
	Received int64  `json:"received"`
	PaidOut  int64  `json:"paid_out"`
	Owed     int64  `json:"owed"`
	Held     int64  `json:"held"`
	Fees     int64  `json:"fees"`
	Earnings int64  `json:"intermediary_earnings"`
	// Display renders each amount with its currency, for people.
	Display map[string]string `json:"display"`
}

func toStatementResponse(st market.Statement) statementResponse {
	f := func(v int64) string { return ledger.Plain(v, st.Currency) }
	return statementResponse{Currency: st.Currency, Paid: st.Paid, Received: st.Received, PaidOut: st.PaidOut, Owed: st.Owed,
		Held: st.Held, Fees: st.Fees, Earnings: st.Earnings, Display: map[string]string{"paid": f(st.Paid),
			"received": f(st.Received), "paid_out": f(st.PaidOut), "owed": f(st.Owed), "held": f(st.Held), "fees": f(st.Fees),
			"intermediary_earnings": f(st.Earnings)}}
}

// orgStatement answers an organisation's statement, one item per currency.
func (s *Server) orgStatement(c *gin.Context) {
	sts, err := s.Service.OrganizationStatements(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := listResponse[statementResponse]{Items: []statementResponse{}}
	for _, st := range sts {
		resp.Items = append(resp.Items, toStatementResponse(st))
	}
	c.JSON(http.StatusOK, resp)
}

type earningsResponse struct {
	Currency string `json:"currency"`
	Earned   int64  `json:"earned"`
	Display  string `json:"display"`
}

// orgEarnings answers what an intermediary earned in fees, per currency.
func (s *Server) orgEarnings(c *gin.Context) {
	sts, err := s.Service.OrganizationStatements(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := listResponse[earningsResponse]{Items: []earningsResponse{}}
	for _, st := range sts {
		if st.Earnings != 0 {
			resp.Items = append(resp.Items, earningsResponse{Currency: st.Currency, Earned: st.Earnings,
				Display: ledger.Plain(st.Earnings, st.Currency)})
		}
	}
	c.JSON(http.StatusOK, resp)
}

type ledgerEntryResponse struct {
	Account string `json:"account"`
	Amount  int64  `json:"amount"`
}

type ledgerTxResponse struct {
	ID          string                `json:"id"`
	Kind        string                `json:"kind"`
	Key         string                `json:"idempotency_key"`
	MilestoneID string                `json:"milestone_id,omitempty"`
	Currency    string                `json:"currency"`
	At          time.Time             `json:"at"`
	Entries     []ledgerEntryResponse `json:"entries"`
}

type dealPaymentsResponse struct {
	DealID       string                   `json:"deal_id"`
	Currency     string                   `json:"currency"`
	Funded       int64                    `json:"funded"`
	Refunded     int64                    `json:"refunded"`
	Held         int64                    `json:"held"`
	Seller       int64                    `json:"seller"`
	Intermediary int64                    `json:"intermediary"`
	Platform     int64                    `json:"platform"`
	PlatformBPS  int64                    `json:"platform_bps"` // the fee the shares use, fixed by the signed contract
	Provider     string                   `json:"provider"`
	Milestones   []milestoneMoneyResponse `json:"milestones"`
	Operations   []paymentOpResponse      `json:"operations"`
	Transactions []ledgerTxResponse       `json:"transactions"`
}

// dealPayments answers a deal's statement, milestones, provider
// operations and ledger transactions.
func (s *Server) dealPayments(c *gin.Context) {
	dm, err := s.Service.DealMoney(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	ds := dm.Statement
	resp := dealPaymentsResponse{DealID: ds.DealID, Currency: ds.Currency, Funded: ds.Funded, Refunded: ds.Refunded, Held: ds.Held,
		Seller: ds.Seller, Intermediary: ds.Intermediary, Platform: ds.Platform, PlatformBPS: dm.PlatformBPS, Provider: dm.Provider,
		Milestones: []milestoneMoneyResponse{}, Operations: []paymentOpResponse{}, Transactions: []ledgerTxResponse{}}
	for i := range dm.Milestones {
		mm := &dm.Milestones[i]
		r := toMilestoneMoneyResponse(&mm.Milestone)
		r.Actions = []string{}
		for _, a := range moneyActionOrder {
			if mm.Actions[a] {
				r.Actions = append(r.Actions, a)
			}
		}
		if mm.HasShares {
			r.BuyerPays = &mm.BuyerPays
			r.Shares = &sharesResponse{Booked: mm.Booked, Funded: mm.Shares.Funded, Gross: mm.Shares.Gross,
				Seller: mm.Shares.Seller, Platform: mm.Shares.Platform, Intermediary: mm.Shares.Intermediary}
		}
		resp.Milestones = append(resp.Milestones, r)
		if mm.Fund != nil {
			resp.Operations = append(resp.Operations, toPaymentOpResponse(mm.Fund))
		}
		for j := range mm.Payouts {
			resp.Operations = append(resp.Operations, toPaymentOpResponse(&mm.Payouts[j]))
		}
	}
	for _, t := range ds.Transactions {
		tr := ledgerTxResponse{ID: t.ID, Kind: t.Kind, Key: t.IdempotencyKey, MilestoneID: t.Refs.MilestoneID, Currency: t.Currency, At: t.At}
		for _, e := range t.Entries {
			tr.Entries = append(tr.Entries, ledgerEntryResponse{Account: string(e.Account), Amount: e.Amount})
		}
		resp.Transactions = append(resp.Transactions, tr)
	}
	c.JSON(http.StatusOK, resp)
}

// moneyActionOrder lists a milestone's actions in the order a client shows them.
var moneyActionOrder = []string{market.MilestoneFund, market.MoneyConfirm, market.MilestoneDeliver, market.MilestoneRequestChanges,
	market.MilestoneAccept, market.MilestoneRelease, market.MilestoneRefund, market.MilestoneDispute, market.MilestoneSettle}

// sharesResponse is how a milestone's money divides: booked once released
// or settled, projected before.
type sharesResponse struct {
	Booked       bool  `json:"booked"`
	Funded       int64 `json:"funded"`
	Gross        int64 `json:"gross"`
	Seller       int64 `json:"seller"`
	Platform     int64 `json:"platform"`
	Intermediary int64 `json:"intermediary"`
}
