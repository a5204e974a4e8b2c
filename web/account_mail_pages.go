package web

import (
	"net/http"
	"net/url"
	"slices"

	"techbridge/market"
)

// tokenPage is the data of the pages a mailed link opens: the token
// carried on to the form that spends it (a GET never spends a token, so a
// mail scanner fetching the link changes nothing).
type tokenPage struct {
	Token string
	Form  *form
}

// verifyEmailForm shows the button that confirms the address.
func (s *Server) verifyEmailForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	s.render(w, v, http.StatusOK, "verify_email", tokenPage{Token: r.URL.Query().Get("token"), Form: &form{}})
	return nil
}

// verifyEmail spends the verification link.
func (s *Server) verifyEmail(w http.ResponseWriter, r *http.Request, v *visit) error {
	token := r.PostFormValue("token")
	_, err := s.svc.VerifyEmail(r.Context(), v.Actor, token)
	if f := (&form{Values: map[string]string{}}); f.take(v.Lang, err) {
		s.render(w, v, http.StatusBadRequest, "verify_email", tokenPage{Token: token, Form: f})
		return nil
	} else if err != nil {
		return err
	}
	to := "/login?done=email_verified"
	if v.Account != nil {
		to = "/account?done=email_verified"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// resendVerification mails a new verification link.
func (s *Server) resendVerification(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := s.svc.RequestEmailVerification(r.Context(), v.Actor); err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=verification_sent", http.StatusSeeOther)
	return nil
}

// forgotForm asks for the address to mail a reset link to.
func (s *Server) forgotForm(w http.ResponseWriter, _ *http.Request, v *visit) error {
	s.render(w, v, http.StatusOK, "forgot_password", accountPage{Form: &form{}})
	return nil
}

// forgot mails a reset link when the address has an account; the page
// that follows is the same either way.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := newForm(r, "email")
	err := s.svc.RequestPasswordReset(r.Context(), f.Value("email"))
	if f.take(v.Lang, err) {
		s.render(w, v, http.StatusUnprocessableEntity, "forgot_password", accountPage{Form: f})
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/login?done=reset_sent", http.StatusSeeOther)
	return nil
}

// resetForm asks for the new password.
func (s *Server) resetForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	s.render(w, v, http.StatusOK, "reset_password", tokenPage{Token: r.URL.Query().Get("token"), Form: &form{}})
	return nil
}

// reset spends the reset link; every session ends, this browser's too.
func (s *Server) reset(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := newForm(r, "password")
	token := r.PostFormValue("token")
	err := s.svc.ResetPassword(r.Context(), token, f.Value("password"))
	if f.take(v.Lang, err) {
		s.render(w, v, http.StatusUnprocessableEntity, "reset_password", tokenPage{Token: token, Form: f})
		return nil
	} else if err != nil {
		return err
	}
	s.clearCookie(w, sessionCookie)
	http.Redirect(w, r, "/login?done=password_reset", http.StatusSeeOther)
	return nil
}

// invitationPage shows an invitation from its mailed link, with accept and
// decline buttons; only the invited address can use them.
func (s *Server) invitationPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	s.render(w, v, http.StatusOK, "invitation", tokenPage{Token: r.URL.Query().Get("token"), Form: &form{}})
	return nil
}

// answerInvitation accepts or declines, by the link's token or by id from
// the visitor's own list.
func (s *Server) answerInvitation(w http.ResponseWriter, r *http.Request, v *visit) error {
	ref := market.InvitationRef{Token: r.PostFormValue("token"), ID: r.PostFormValue("id")}
	accept := r.PostFormValue("answer") == "accept"
	inv, err := s.svc.AnswerInvitation(r.Context(), v.Actor, ref, accept)
	if f := (&form{Values: map[string]string{}}); f.take(v.Lang, err) {
		s.render(w, v, http.StatusBadRequest, "invitation", tokenPage{Token: ref.Token, Form: f})
		return nil
	} else if err != nil {
		return err
	}
	if accept {
		http.Redirect(w, r, "/my/organizations?done=invitation_accepted#org-"+inv.OrgID, http.StatusSeeOther)
	} else {
		http.Redirect(w, r, "/my/organizations?done=invitation_declined", http.StatusSeeOther)
	}
	return nil
}

// settingsPage is the data of the account settings page.
type settingsPage struct {
	Profile    *form
	Password   *form
	Email      *form
	Categories []string
	OptedOut   map[string]bool
	Languages  []string
}

func (s *Server) settings(v *visit) *settingsPage {
	p := &settingsPage{Password: &form{}, Email: &form{}, Categories: market.MailOptionalCategories,
		OptedOut: map[string]bool{}, Languages: market.Languages,
		Profile: &form{Values: map[string]string{"display_name": v.Account.DisplayName, "language": market.NormalizeLanguage(v.Account.Language)}}}
	for _, c := range v.Account.MailOptOut {
		p.OptedOut[c] = true
	}
	return p
}

// accountSettings shows name, language, mail preferences, password and
// email forms.
func (s *Server) accountSettings(w http.ResponseWriter, _ *http.Request, v *visit) error {
	s.render(w, v, http.StatusOK, "account", s.settings(v))
	return nil
}

// updateProfile saves name, language and mail preferences: a category is
// switched off when its box is unticked.
func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := newForm(r, "display_name", "language")
	var off []string
	for _, c := range market.MailOptionalCategories {
		if !slices.Contains(r.PostForm["mail"], c) {
			off = append(off, c)
		}
	}
	_, err := s.svc.UpdateProfile(r.Context(), v.Actor, market.Profile{DisplayName: f.Value("display_name"), Language: f.Value("language"), MailOptOut: off})
	if f.take(v.Lang, err) {
		p := s.settings(v)
		p.Profile = f
		s.render(w, v, http.StatusUnprocessableEntity, "account", p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=profile_saved", http.StatusSeeOther)
	return nil
}

// changePassword sets a new password; every session ends, and this
// browser gets a new one so the visitor stays logged in here.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := newForm(r, "current_password", "password")
	err := s.svc.ChangePassword(r.Context(), v.Actor, f.Value("current_password"), f.Value("password"))
	if f.take(v.Lang, err) {
		p := s.settings(v)
		p.Password = f
		s.render(w, v, http.StatusUnprocessableEntity, "account", p)
		return nil
	} else if err != nil {
		return err
	}
	secret, err := s.svc.StartWebSession(r.Context(), v.Account.ID)
	if err != nil {
		return err
	}
	s.setCookie(w, sessionCookie, secret, sessionCookieAge)
	http.Redirect(w, r, "/account?done=password_changed", http.StatusSeeOther)
	return nil
}

// changeEmail mails a verification link to the new address.
func (s *Server) changeEmail(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := newForm(r, "password", "email")
	err := s.svc.ChangeEmail(r.Context(), v.Actor, f.Value("password"), f.Value("email"))
	if f.take(v.Lang, err) {
		p := s.settings(v)
		p.Email = f
		s.render(w, v, http.StatusUnprocessableEntity, "account", p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/account?done=email_change_sent", http.StatusSeeOther)
	return nil
}

// switchOrg sets the organisation the visitor acts for; "" clears it.
func (s *Server) switchOrg(w http.ResponseWriter, r *http.Request, v *visit) error {
	org := r.PostFormValue("org")
	if org == "" {
		s.clearCookie(w, orgCookie)
	} else if _, err := v.Actor.ActFor(org); err != nil {
		return err
	} else {
		s.setCookie(w, orgCookie, org, sessionCookieAge)
	}
	http.Redirect(w, r, localPath(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

// readAllNotifications marks every notification read.
func (s *Server) readAllNotifications(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := s.svc.MarkAllNotificationsRead(r.Context(), v.Actor); err != nil {
		return err
	}
	http.Redirect(w, r, "/notifications?done=all_read", http.StatusSeeOther)
	return nil
}

// setMemberRole changes a member's role from the organisation page.
func (s *Server) setMemberRole(w http.ResponseWriter, r *http.Request, v *visit) error {
	orgID := r.PathValue("id")
	if err := s.svc.SetMemberRole(r.Context(), v.Actor, orgID, r.PathValue("account"), r.PostFormValue("role")); err != nil {
		return conflictToNotice(w, r, err, orgID)
	}
	http.Redirect(w, r, "/my/organizations?done=role_changed#org-"+orgID, http.StatusSeeOther)
	return nil
}

// removeMember removes a member, or lets the visitor leave.
func (s *Server) removeMember(w http.ResponseWriter, r *http.Request, v *visit) error {
	orgID := r.PathValue("id")
	if err := s.svc.RemoveMember(r.Context(), v.Actor, orgID, r.PathValue("account")); err != nil {
		return conflictToNotice(w, r, err, orgID)
	}
	http.Redirect(w, r, "/my/organizations?done=member_removed", http.StatusSeeOther)
	return nil
}

// conflictToNotice shows the last-owner rule as a notice on the page
// instead of an error page; other errors go on.
func conflictToNotice(w http.ResponseWriter, r *http.Request, err error, orgID string) error {
	if market.ErrorCode(err) != market.ECONFLICT {
		return err
	}
	http.Redirect(w, r, "/my/organizations?done=last_owner#org-"+url.PathEscape(orgID), http.StatusSeeOther)
	return nil
}

// withdrawInvitation cancels a pending invitation.
func (s *Server) withdrawInvitation(w http.ResponseWriter, r *http.Request, v *visit) error {
	orgID := r.PathValue("id")
	if _, err := s.svc.WithdrawInvitation(r.Context(), v.Actor, orgID, r.PathValue("inv")); err != nil {
		return err
	}
	http.Redirect(w, r, "/my/organizations?done=invitation_withdrawn#org-"+orgID, http.StatusSeeOther)
	return nil
}

// orgReviewPage is the admin's verification queue.
type orgReviewPage struct {
	Orgs    []orgUnderReview
	Pending bool // the queue (pending) or every decided organisation
}

type orgUnderReview struct {
	Org     market.Organization
	History []market.OrgVerification
}

// orgReview lists organisations waiting for verification (?state=rejected
// or verified for the others), each with its decision history.
func (s *Server) orgReview(w http.ResponseWriter, r *http.Request, v *visit) error {
	state := r.URL.Query().Get("state")
	if state == "" {
		state = market.VerificationPending
	}
	orgs, err := s.svc.Organizations(r.Context(), v.Actor, market.OrgFilter{Verification: state, Limit: market.MaxPageSize})
	if err != nil {
		return err
	}
	p := orgReviewPage{Pending: state == market.VerificationPending}
	for _, o := range orgs {
		h, err := s.svc.VerificationHistory(r.Context(), v.Actor, o.ID)
		if err != nil {
			return err
		}
		p.Orgs = append(p.Orgs, orgUnderReview{Org: o, History: h})
	}
	s.render(w, v, http.StatusOK, "org_review", p)
	return nil
}

// decideOrg records an admin's decision with its reason.
func (s *Server) decideOrg(w http.ResponseWriter, r *http.Request, v *visit) error {
	_, err := s.svc.VerifyOrganization(r.Context(), v.Actor, r.PathValue("id"), r.PostFormValue("decision"), r.PostFormValue("reason"))
	if market.ErrorCode(err) == market.EINVALID {
		http.Redirect(w, r, "/admin/organizations?done=reason_required", http.StatusSeeOther)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/organizations?done=org_decided", http.StatusSeeOther)
	return nil
}

// requestVerification sends the owners' documents' details to review.
func (s *Server) requestVerification(w http.ResponseWriter, r *http.Request, v *visit) error {
	orgID := r.PathValue("id")
	_, err := s.svc.SubmitVerification(r.Context(), v.Actor, orgID, r.PostFormValue("details"))
	if market.ErrorCode(err) == market.EINVALID {
		http.Redirect(w, r, "/my/organizations?done=details_required#org-"+orgID, http.StatusSeeOther)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/my/organizations?done=verification_requested#org-"+orgID, http.StatusSeeOther)
	return nil
}
