package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

type tokenRequest struct {
	Token string `json:"token,omitempty"`
}

// verifyEmail spends a verification link's token.
func (s *Server) verifyEmail(c *gin.Context) {
	var req tokenRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	acc, err := s.Service.VerifyEmail(c.Request.Context(), actor(c), req.Token)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toAccountResponse(acc))
}

// resendVerification mails the caller a new verification link.
func (s *Server) resendVerification(c *gin.Context) {
	if err := s.Service.RequestEmailVerification(c.Request.Context(), actor(c)); err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusAccepted, checkYourMail)
}

type forgotPasswordRequest struct {
	Email string `json:"email,omitempty"`
}

// forgotPassword mails a reset link when the address has an account; the
// answer is the same either way.
func (s *Server) forgotPassword(c *gin.Context) {
	var req forgotPasswordRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.Service.RequestPasswordReset(c.Request.Context(), req.Email); err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusAccepted, checkYourMail)
}

type resetPasswordRequest struct {
	Token    string `json:"token,omitempty"`
	Password string `json:"password,omitempty"`
}

// resetPassword spends a reset link's token and sets the new password.
func (s *Server) resetPassword(c *gin.Context) {
	var req resetPasswordRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.Service.ResetPassword(c.Request.Context(), req.Token, req.Password); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type profileRequest struct {
	DisplayName string   `json:"display_name,omitempty"`
	Language    string   `json:"language,omitempty"`
	MailOptOut  []string `json:"mail_opt_out,omitempty"`
}

// updateProfile changes the caller's name, language and mail preferences.
func (s *Server) updateProfile(c *gin.Context) {
	var req profileRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	acc, err := s.Service.UpdateProfile(c.Request.Context(), actor(c), market.Profile{DisplayName: req.DisplayName,
		Language: req.Language, MailOptOut: req.MailOptOut})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toAccountResponse(acc))
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password,omitempty"`
	Password        string `json:"password,omitempty"`
}

// changePassword sets a new password; every session and refresh token of
// the account ends, so the client logs in again.
func (s *Server) changePassword(c *gin.Context) {
	var req changePasswordRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.Service.ChangePassword(c.Request.Context(), actor(c), req.CurrentPassword, req.Password); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type changeEmailRequest struct {
	Password string `json:"password,omitempty"`
	Email    string `json:"email,omitempty"`
}

// changeEmail mails a verification link to the new address; the account
// keeps its current email until the link is opened.
func (s *Server) changeEmail(c *gin.Context) {
	var req changeEmailRequest
	if err := decode(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.Service.ChangeEmail(c.Request.Context(), actor(c), req.Password, req.Email); err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusAccepted, checkYourMail)
}
