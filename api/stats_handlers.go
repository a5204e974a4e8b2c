package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// Statistics (issue 16): the same tables the pages chart, as JSON, read
// from the rollups only.

// marketStatsResponse is the public market's figures and tables.
type marketStatsResponse struct {
	Headline statHeadline       `json:"headline"`
	Tables   []market.StatTable `json:"tables"`
}

type statHeadline struct {
	Supply          int64 `json:"supply"`
	Demand          int64 `json:"demand"`
	SignedDeals30d  int64 `json:"signed_deals_30d"`
	Contracts365d   int64 `json:"contracts_365d"`
	ContractAmount  int64 `json:"contract_amount"`
	TechnicalIncome int64 `json:"technical_income"`
}

// statFilter reads ?from=&to=&field=&region=.
func statFilter(c *gin.Context) (market.StatFilter, error) {
	return market.ParseStatFilter(c.Query("from"), c.Query("to"), c.Query("field"), c.Query("region"))
}

// marketStats serves GET /stats/market: anyone's.
func (s *Server) marketStats(c *gin.Context) {
	h, err := s.Service.Headline(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	tables, err := s.Service.StatTables(c.Request.Context(), actor(c), market.StatFilter{}, market.PublicStatTables)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, marketStatsResponse{Headline: statHeadline{Supply: h.Supply, Demand: h.Demand,
		SignedDeals30d: h.SignedDeals, Contracts365d: h.Contracts, ContractAmount: h.ContractAmount, TechnicalIncome: h.Income}, Tables: tables})
}

// statTable serves GET /stats/tables/{id}: the public tables are
// anyone's, the others the commission's.
func (s *Server) statTable(c *gin.Context) {
	f, err := statFilter(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	tables, err := s.Service.StatTables(c.Request.Context(), actor(c), f, []string{c.Param("id")})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, tables[0])
}

// funnel serves GET /stats/funnel?scope=&id=: a listing's, an
// organisation's or a broker's funnel for its members, the market's
// (scope all) for the commission.
func (s *Server) funnel(c *gin.Context) {
	f, err := statFilter(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	t, err := s.Service.Funnel(c.Request.Context(), actor(c), c.Query("scope"), c.Query("id"), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, t)
}
