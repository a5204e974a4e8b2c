package api

import (
	"net/http"
	"strconv"
	"techbridge/market/msgs"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

type orgRequest struct {
	Kind       string `json:"kind,omitempty"`
	NameZH     string `json:"name_zh,omitempty"`
	NameEN     string `json:"name_en,omitempty"`
	Region     string `json:"region,omitempty"`
	CreditCode string `json:"credit_code,omitempty"`
	Details    string `json:"details,omitempty"`
	orgProfileBody
}

// orgProfileBody is what the registration form asks of an organisation.
type orgProfileBody struct {
	Address             string `json:"address,omitempty"`
	LegalRepresentative string `json:"legal_representative,omitempty"`
	ContactPerson       string `json:"contact_person,omitempty"`
	ContactPhone        string `json:"contact_phone,omitempty"`
	RegionCode          string `json:"region_code,omitempty"` // GB/T 2260
	Country             string `json:"country,omitempty"`     // ISO 3166-1 alpha-2
}

func (b orgProfileBody) profile() market.OrgProfile {
	return market.OrgProfile{Address: b.Address, LegalRepresentative: b.LegalRepresentative, ContactPerson: b.ContactPerson,
		ContactPhone: b.ContactPhone, RegionCode: b.RegionCode, Country: b.Country}
}

type orgResponse struct {
	ID           string `json:"id"`
	Kind         string `json:"kind"`
	NameZH       string `json:"name_zh"`
	NameEN       string `json:"name_en"`
	Region       string `json:"region"`
	CreditCode   string `json:"credit_code"`
	Verification string `json:"verification"`
	PayoutRef    string `json:"payout_ref,omitempty"`
	Details      string `json:"verification_details,omitempty"`
	orgProfileBody
	RegionName string    `json:"region_name,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	Version    int64     `json:"version"`
}

func toOrgResponse(o *market.Organization) orgResponse {
	return orgResponse{ID: o.ID, Kind: o.Kind, NameZH: o.NameZH, NameEN: o.NameEN, Region: o.Region,
		CreditCode: o.CreditCode, Verification: o.Verification, PayoutRef: o.PayoutRef, Details: o.VerificationDetails,
		CreatedAt: o.CreatedAt, Version: o.Version, RegionName: market.RegionName(o.RegionCode),
		orgProfileBody: orgProfileBody{Address: o.Address, LegalRepresentative: o.LegalRepresentative, ContactPerson: o.ContactPerson,
			ContactPhone: o.ContactPhone, RegionCode: o.RegionCode, Country: o.Country}}
}

// listResponse is the shape of every list: items, and the cursor of the
// next page when there is one. Total is present only when it is exact and
// cheap (kept with the writes, see market.Page); has_more always says
// whether another page follows.
type listResponse[T any] struct {
	Items      []T    `json:"items"`
	Total      *int   `json:"total,omitempty"`
	HasMore    *bool  `json:"has_more,omitempty"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// pageParams reads ?limit= (clamped) and ?cursor=.
func pageParams(c *gin.Context) (limit int, cursor string, err error) {
	if v := c.Query("limit"); v != "" {
		n, convErr := strconv.Atoi(v)
		if convErr != nil {
			return 0, "", market.Invalid("limit", msgs.Integer)
		}
		limit = n
	}
	cursor = c.Query("cursor")
	if err := validCursor(cursor); err != nil {
		return 0, "", err
	}
	return market.ClampLimit(limit), cursor, nil
}

func (s *Server) createOrganization(c *gin.Context) {
	var req orgRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	o, err := s.Service.CreateOrganization(c.Request.Context(), actor(c), market.NewOrganization{
		Kind: req.Kind, NameZH: req.NameZH, NameEN: req.NameEN, Region: req.Region, CreditCode: req.CreditCode, Details: req.Details,
		OrgProfile: req.profile()})
	if err != nil {
		s.writeError(c, err)
		return
	}
	created(c, "/api/v1/organizations/"+o.ID, o.Version, toOrgResponse(o))
}

// updateOrgProfile replaces the organisation's registration profile
// (owners and admins); an If-Match pins the version read.
func (s *Server) updateOrgProfile(c *gin.Context) {
	var req orgProfileBody
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	version, err := optionalIfMatch(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	o, err := s.Service.UpdateOrgProfile(c.Request.Context(), actor(c), c.Param("id"), version, req.profile())
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, o.Version, toOrgResponse(o))
}

func (s *Server) getOrganization(c *gin.Context) {
	o, err := s.Service.Organization(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, o.Version, toOrgResponse(o))
}

func (s *Server) listOrganizations(c *gin.Context) {
	limit, cursor, err := pageParams(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	orgs, err := s.Service.Organizations(c.Request.Context(), actor(c), market.OrgFilter{
		Verification: c.Query("verification"), Kind: c.Query("kind"), After: cursor, Limit: limit})
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := listResponse[orgResponse]{Items: []orgResponse{}}
	for i := range orgs {
		resp.Items = append(resp.Items, toOrgResponse(&orgs[i]))
	}
	if len(orgs) == limit {
		resp.NextCursor = orgs[len(orgs)-1].ID
	}
	c.JSON(http.StatusOK, resp)
}

type memberResponse struct {
	AccountID   string `json:"account_id"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
}

func (s *Server) listMembers(c *gin.Context) {
	ms, err := s.Service.Members(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := listResponse[memberResponse]{Items: []memberResponse{}}
	for _, m := range ms {
		resp.Items = append(resp.Items, memberResponse{AccountID: m.AccountID, Email: m.Email, DisplayName: m.DisplayName, Role: m.Role})
	}
	c.JSON(http.StatusOK, resp)
}

type verificationRequest struct {
	Verification string `json:"verification,omitempty"`
	Reason       string `json:"reason,omitempty"`
}

func (s *Server) verifyOrganization(c *gin.Context) {
	var req verificationRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	o, err := s.Service.VerifyOrganization(c.Request.Context(), actor(c), c.Param("id"), req.Verification, req.Reason)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, o.Version, toOrgResponse(o))
}
