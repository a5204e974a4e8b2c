package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

type inviteRequest struct {
	Email string `json:"email,omitempty"`
	Role  string `json:"role,omitempty"`
}

type invitationResponse struct {
	ID        string     `json:"id"`
	OrgID     string     `json:"org_id"`
	Email     string     `json:"email"`
	Role      string     `json:"role"`
	InvitedBy string     `json:"invited_by"`
	State     string     `json:"state"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
}

func toInvitationResponse(inv *market.Invitation) invitationResponse {
	return invitationResponse{ID: inv.ID, OrgID: inv.OrgID, Email: inv.Email, Role: inv.Role, InvitedBy: inv.InvitedBy,
		State: inv.State, CreatedAt: inv.CreatedAt, ExpiresAt: inv.ExpiresAt, DecidedAt: inv.DecidedAt}
}

func invitationList(invs []market.Invitation) listResponse[invitationResponse] {
	resp := listResponse[invitationResponse]{Items: []invitationResponse{}}
	for i := range invs {
		resp.Items = append(resp.Items, toInvitationResponse(&invs[i]))
	}
	return resp
}

// inviteMember invites an email address; nobody becomes a member until
// the invitee accepts the mailed link.
func (s *Server) inviteMember(c *gin.Context) {
	var req inviteRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if req.Role == "" {
		req.Role = market.MemberMember
	}
	inv, err := s.Service.InviteMember(c.Request.Context(), actor(c), c.Param("id"), req.Email, req.Role)
	if err != nil {
		s.writeError(c, err)
		return
	}
	// The invitation is addressed (and withdrawn) at its URL under the
	// organisation; it has no version.
	created(c, "/api/v1/organizations/"+inv.OrgID+"/invitations/"+inv.ID, 0, toInvitationResponse(inv))
}

// listInvitations lists an organisation's invitations (?state=).
func (s *Server) listInvitations(c *gin.Context) {
	invs, err := s.Service.Invitations(c.Request.Context(), actor(c), c.Param("id"), c.Query("state"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, invitationList(invs))
}

// withdrawInvitation cancels a pending invitation.
func (s *Server) withdrawInvitation(c *gin.Context) {
	inv, err := s.Service.WithdrawInvitation(c.Request.Context(), actor(c), c.Param("id"), c.Param("invitation"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toInvitationResponse(inv))
}

// myInvitations lists the pending invitations to the caller's verified email.
func (s *Server) myInvitations(c *gin.Context) {
	invs, err := s.Service.MyInvitations(c.Request.Context(), actor(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, invitationList(invs))
}

type answerInvitationRequest struct {
	Token string `json:"token,omitempty"`
	ID    string `json:"id,omitempty"`
}

// answerInvitation accepts or declines an invitation by its token or id.
func (s *Server) answerInvitation(accept bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req answerInvitationRequest
		if err := decode(c, &req); err != nil {
			s.writeError(c, err)
			return
		}
		inv, err := s.Service.AnswerInvitation(c.Request.Context(), actor(c), market.InvitationRef{Token: req.Token, ID: req.ID}, accept)
		if err != nil {
			s.writeError(c, err)
			return
		}
		c.JSON(http.StatusOK, toInvitationResponse(inv))
	}
}

type memberRoleRequest struct {
	Role string `json:"role,omitempty"`
}

// setMemberRole changes a member's role (owners only; one owner stays).
func (s *Server) setMemberRole(c *gin.Context) {
	var req memberRoleRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.Service.SetMemberRole(c.Request.Context(), actor(c), c.Param("id"), c.Param("account"), req.Role); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// removeMember removes a member, or lets a member leave.
func (s *Server) removeMember(c *gin.Context) {
	if err := s.Service.RemoveMember(c.Request.Context(), actor(c), c.Param("id"), c.Param("account")); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type orgVerificationResponse struct {
	ID        string    `json:"id"`
	Decision  string    `json:"decision"`
	Reason    string    `json:"reason"`
	DecidedBy string    `json:"decided_by"`
	DecidedAt time.Time `json:"decided_at"`
}

// verificationHistory lists an organisation's verification decisions.
func (s *Server) verificationHistory(c *gin.Context) {
	vs, err := s.Service.VerificationHistory(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := listResponse[orgVerificationResponse]{Items: []orgVerificationResponse{}}
	for _, v := range vs {
		resp.Items = append(resp.Items, orgVerificationResponse{ID: v.ID, Decision: v.Decision, Reason: v.Reason,
			DecidedBy: v.DecidedBy, DecidedAt: v.DecidedAt})
	}
	c.JSON(http.StatusOK, resp)
}

type verificationRequestBody struct {
	Details string `json:"details,omitempty"`
}

// requestVerification gives the admin the documents' details; a rejected
// organisation waits for review again.
func (s *Server) requestVerification(c *gin.Context) {
	var req verificationRequestBody
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	o, err := s.Service.SubmitVerification(c.Request.Context(), actor(c), c.Param("id"), req.Details)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeVersioned(c, http.StatusOK, o.Version, toOrgResponse(o))
}
