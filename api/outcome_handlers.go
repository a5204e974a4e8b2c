package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// outcomeRequest is the body of create and update. It has no status, owner,
// review or verification fields: the strict decoder refuses them by name.
type outcomeRequest struct {
	Version     int64    `json:"version,omitempty"` // update only: the version read
	ExternalID  string   `json:"external_id,omitempty"`
	Title       string   `json:"title,omitempty"`
	Summary     string   `json:"summary,omitempty"`
	Description string   `json:"description,omitempty"`
	Keywords    []string `json:"keywords,omitempty"`
	bilingualRequest
	Field         string   `json:"field,omitempty"`
	IPC           []string `json:"ipc,omitempty"`
	TRL           *int     `json:"trl,omitempty"`
	IPType        string   `json:"ip_type,omitempty"`
	PatentNumbers []string `json:"patent_numbers,omitempty"`
	LegalStatus   string   `json:"legal_status,omitempty"`
	TransferModes []string `json:"transfer_modes,omitempty"`
	PriceMin      int64    `json:"price_min,omitempty"`
	PriceMax      int64    `json:"price_max,omitempty"`
	moneyRequest
	Confidentiality string `json:"confidentiality,omitempty"`
	FreshUntil      string `json:"fresh_until,omitempty"`
}

func (r outcomeRequest) input(f *market.Fields) market.OutcomeInput {
	return market.OutcomeInput{ExternalID: r.ExternalID, Title: r.Title, Summary: r.Summary, Description: r.Description,
		Keywords: r.Keywords, Field: r.Field, IPC: r.IPC, TRL: r.TRL, IPType: r.IPType, PatentNumbers: r.PatentNumbers,
		Bilingual:   r.bilingual(),
		LegalStatus: r.LegalStatus, TransferModes: r.TransferModes, Confidentiality: r.Confidentiality,
		Price:      r.money(r.PriceMin, r.PriceMax),
		FreshUntil: parseDate(f, "fresh_until", r.FreshUntil)}
}

type outcomeResponse struct {
	listingMetaResponse
	ExternalID  string   `json:"external_id,omitempty"`
	Title       string   `json:"title"`
	Summary     string   `json:"summary"`
	Description string   `json:"description,omitempty"`
	Keywords    []string `json:"keywords"`
	bilingualResponse
	Field           string   `json:"field"`
	IPC             []string `json:"ipc"`
	TRL             int      `json:"trl,omitempty"`
	IPType          string   `json:"ip_type"`
	PatentNumbers   []string `json:"patent_numbers,omitempty"`
	LegalStatus     string   `json:"legal_status,omitempty"`
	TransferModes   []string `json:"transfer_modes"`
	PriceMin        int64    `json:"price_min"`
	PriceMax        int64    `json:"price_max"`
	Currency        string   `json:"currency"`
	Negotiable      bool     `json:"negotiable"`
	Confidentiality string   `json:"confidentiality"`
	Teaser          bool     `json:"teaser"` // details withheld until an NDA is accepted
	FreshUntil      string   `json:"fresh_until"`
	Stale           bool     `json:"stale"` // published past fresh_until: the owner should confirm it
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func toOutcomeResponse(o *market.Outcome, a market.Actor) outcomeResponse {
	return outcomeResponse{listingMetaResponse: toListingMetaResponse(o.ListingMeta, a), ExternalID: o.ExternalID,
		Title: o.Title, Summary: o.Summary, Description: o.Description, Keywords: nonNil(o.Keywords),
		bilingualResponse: toBilingualResponse(o.Bilingual), Field: o.Field,
		IPC: nonNil(o.IPC), TRL: o.TRL, IPType: o.IPType, PatentNumbers: o.PatentNumbers, LegalStatus: o.LegalStatus,
		TransferModes: nonNil(o.TransferModes), PriceMin: o.Price.Min, PriceMax: o.Price.Max, Currency: o.Price.Currency,
		Negotiable: o.Price.Negotiable, Confidentiality: o.Confidentiality, FreshUntil: formatDate(&o.FreshUntil),
		Stale:  o.Stale(time.Now()),
		Teaser: o.Confidential() && o.Description == "" && !a.MemberOf(o.OrgID) && !a.IsReviewer()}
}

// outcomeAPI serves the outcome endpoints. GET /outcomes filters by field,
// trl_min, trl_max, price_min, price_max, region, org_id and status, and
// orders by sort (market.OutcomeSorts), a sorted list paged by offset.
var outcomeAPI = &listingAPI[market.Outcome, *market.Outcome, market.OutcomeInput, outcomeRequest, outcomeResponse, market.OutcomeFilter]{
	path: "/api/v1/outcomes/", respond: toOutcomeResponse,
	params:       []string{"field", "trl_min", "trl_max", "price_min", "price_max", "region", "org_id", "status", "sort", "offset", "limit", "cursor"},
	ListingCalls: market.OutcomeCalls,
	filter: func(c *gin.Context, fe *market.Fields, limit int, cursor string) market.OutcomeFilter {
		f := market.OutcomeFilter{OrgID: c.Query("org_id"), Status: c.Query("status"), Field: c.Query("field"),
			Region: c.Query("region"), Sort: c.Query("sort"), After: cursor, Limit: limit}
		queryInt(c, fe, "offset", &f.Offset)
		queryInt(c, fe, "trl_min", &f.TRLMin)
		queryInt(c, fe, "trl_max", &f.TRLMax)
		queryInt(c, fe, "price_min", &f.PriceMin)
		queryInt(c, fe, "price_max", &f.PriceMax)
		return f
	},
}
