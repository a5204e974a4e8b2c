package api

import (
	"net/http"
	"techbridge/market/msgs"

	"github.com/gin-gonic/gin"

	"techbridge/api/auth"
	"techbridge/market"
)

type registerRequest struct {
	Email       string `json:"email,omitempty"`
	Password    string `json:"password,omitempty"`
	DisplayName string `json:"display_name,omitempty"`
	Language    string `json:"language,omitempty"`
}

type accountResponse struct {
	ID            string   `json:"id"`
	Email         string   `json:"email"`
	DisplayName   string   `json:"display_name"`
	PlatformRole  string   `json:"platform_role,omitempty"`
	EmailVerified bool     `json:"email_verified"`
	Language      string   `json:"language"`
	MailOptOut    []string `json:"mail_opt_out"`
}

func toAccountResponse(a *market.Account) accountResponse {
	optOut := a.MailOptOut
	if optOut == nil {
		optOut = []string{}
	}
	return accountResponse{ID: a.ID, Email: a.Email, DisplayName: a.DisplayName, PlatformRole: a.PlatformRole,
		EmailVerified: a.EmailVerified(), Language: market.NormalizeLanguage(a.Language), MailOptOut: optOut}
}

// acceptedResponse is the one answer of requests whose outcome arrives by
// mail; it is the same whether or not the address has an account.
type acceptedResponse struct {
	Status string `json:"status"`
}

var checkYourMail = acceptedResponse{Status: "check_your_mail"}

// register creates an account and mails a verification link; a taken
// address gets the same 202 and body (its owner gets a mail instead), so
// the answer tells nobody who has an account.
func (s *Server) register(c *gin.Context) {
	var req registerRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	_, err := s.Service.Register(c.Request.Context(), market.NewAccount{Email: req.Email, Password: req.Password,
		DisplayName: req.DisplayName, Language: req.Language})
	if err != nil {
		s.writeError(c, err)
		return
	}
	// 202, not 201: nothing the caller may read exists until the address is
	// verified, and a taken address must get the same answer.
	c.JSON(http.StatusAccepted, checkYourMail)
}

type loginRequest struct {
	Email    string `json:"email,omitempty"`
	Password string `json:"password,omitempty"`
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	ctx, client := c.Request.Context(), s.ClientIP(c.Request)
	if err := s.Throttle.Check(ctx, req.Email, client); err != nil {
		s.writeError(c, err)
		return
	}
	acc, err := s.Service.Authenticate(ctx, req.Email, req.Password)
	if market.ErrorCode(err) == market.EUNAUTHORIZED {
		if terr := s.Throttle.Failed(ctx, req.Email, client); terr != nil {
			s.Log.WarnContext(ctx, "login throttle unavailable", "err", terr)
		}
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.Throttle.Succeeded(ctx, req.Email, client)
	s.issueTokens(c, acc.ID, "")
}

// issueTokens answers with a new access token and either a new refresh
// family (refresh == "") or the already rotated refresh token.
func (s *Server) issueTokens(c *gin.Context, accountID, refresh string) {
	access, _, err := s.Tokens.Issue(accountID)
	if err == nil && refresh == "" {
		refresh, err = s.Service.IssueRefreshToken(c.Request.Context(), accountID)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, tokenResponse{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer",
		ExpiresIn: int(auth.AccessTokenTTL.Seconds())})
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token,omitempty"`
}

func (s *Server) refresh(c *gin.Context) {
	var req refreshRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if req.RefreshToken == "" {
		s.writeError(c, market.Invalid("refresh_token", msgs.Required))
		return
	}
	accountID, next, err := s.Service.RotateRefreshToken(c.Request.Context(), req.RefreshToken)
	if err != nil {
		s.refuseToken(c, err)
		return
	}
	s.issueTokens(c, accountID, next)
}

// logout revokes the refresh token's family and, when the call carries
// one, the access token.
func (s *Server) logout(c *gin.Context) {
	var req refreshRequest
	if c.Request.ContentLength != 0 {
		if err := decode(c, &req); err != nil {
			s.writeError(c, err)
			return
		}
	}
	cl := claims(c)
	if cl == nil && req.RefreshToken == "" {
		s.writeError(c, market.Invalid("refresh_token", msgs.SendRefreshTokenAccessTokenOr))
		return
	}
	if req.RefreshToken != "" {
		if err := s.Service.RevokeRefreshToken(c.Request.Context(), req.RefreshToken); err != nil {
			s.refuseToken(c, err)
			return
		}
	}
	if cl != nil {
		if err := s.Tokens.Revoke(c.Request.Context(), cl); err != nil {
			s.writeError(c, err)
			return
		}
	}
	c.Status(http.StatusNoContent)
}

type meResponse struct {
	Account     accountResponse      `json:"account"`
	Memberships []membershipResponse `json:"memberships"`
}

type membershipResponse struct {
	OrgID string `json:"org_id"`
	Role  string `json:"role"`
}

func (s *Server) me(c *gin.Context) {
	acc, ms, err := s.Service.Me(c.Request.Context(), actor(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	resp := meResponse{Account: toAccountResponse(acc), Memberships: []membershipResponse{}}
	for _, m := range ms {
		resp.Memberships = append(resp.Memberships, membershipResponse{OrgID: m.OrgID, Role: m.Role})
	}
	c.JSON(http.StatusOK, resp)
}
