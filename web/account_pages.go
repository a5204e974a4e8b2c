package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"techbridge/market"
)

// accountPage is the data of the register and login pages.
type accountPage struct {
	Form *form
	Next string // where to go after logging in
}

// registerForm shows the registration form.
func (s *Server) registerForm(w http.ResponseWriter, _ *http.Request, v *visit) error {
	s.render(w, v, http.StatusOK, "register", accountPage{Form: &form{}})
	return nil
}

// register creates an account, logs the visitor in and asks them to open
// the verification link mailed to them. A taken address changes nothing
// (its owner gets a mail) and the visitor is sent to log in, with the
// same "check your mail" notice.
func (s *Server) register(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := newForm(r, "display_name", "email", "password")
	in := market.NewAccount{DisplayName: f.Value("display_name"), Email: f.Value("email"), Password: f.Value("password"), Language: v.Lang}
	acc, err := s.svc.Register(r.Context(), in)
	if f.take(v.Lang, err) {
		s.render(w, v, http.StatusUnprocessableEntity, "register", accountPage{Form: f})
		return nil
	} else if err != nil {
		return err
	}
	if acc == nil {
		http.Redirect(w, r, "/login?done=registered&email="+url.QueryEscape(market.NormalizeEmail(in.Email)), http.StatusSeeOther)
		return nil
	}
	secret, err := s.svc.StartWebSession(r.Context(), acc.ID)
	if err != nil {
		return err
	}
	if v.session != "" {
		s.svc.EndWebSession(r.Context(), v.session)
	}
	s.setCookie(w, sessionCookie, secret, sessionCookieAge)
	http.Redirect(w, r, "/account?done=registered", http.StatusSeeOther)
	return nil
}

// loginForm shows the login form, with the email filled in after
// registration.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	q := r.URL.Query()
	f := &form{Values: map[string]string{"email": q.Get("email")}}
	s.render(w, v, http.StatusOK, "login", accountPage{Form: f, Next: localPath(q.Get("next"))})
	return nil
}

// login checks the password, starts a session and goes on to ?next=.
func (s *Server) login(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	f := newForm(r, "email", "password")
	next := localPath(r.PostFormValue("next"))
	client := s.clientIP(r)
	if err := s.checkThrottle(ctx, f.Value("email"), client); market.ErrorCode(err) == market.ETOOMANY {
		f.Error = throttledText(v.Lang, err)
		if secs := retryAfter(err); secs > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
		s.render(w, v, http.StatusTooManyRequests, "login", accountPage{Form: f, Next: next})
		return nil
	} else if err != nil {
		return err
	}
	acc, err := s.svc.Authenticate(ctx, f.Value("email"), f.Value("password"))
	if market.ErrorCode(err) == market.EUNAUTHORIZED {
		if s.throttle != nil {
			if terr := s.throttle.Failed(ctx, f.Value("email"), client); terr != nil {
				s.log.Warn("login throttle unavailable", "err", terr, "request_id", v.RequestID)
			}
		}
		f.Error = translate(v.Lang, "login.failed")
		s.render(w, v, http.StatusUnauthorized, "login", accountPage{Form: f, Next: next})
		return nil
	} else if err != nil {
		return err
	}
	if s.throttle != nil {
		if terr := s.throttle.Succeeded(ctx, f.Value("email"), client); terr != nil {
			s.log.Warn("login throttle unavailable", "err", terr, "request_id", v.RequestID)
		}
	}
	secret, err := s.svc.StartWebSession(ctx, acc.ID)
	if err != nil {
		return err
	}
	if v.session != "" { // replace, not pile up, an earlier session
		s.svc.EndWebSession(ctx, v.session)
	}
	s.setCookie(w, sessionCookie, secret, sessionCookieAge)
	if next == "/" {
		next = "/my/organizations"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// logoutForm is for someone who typed /logout: a button, since logging
// out is a POST.
func (s *Server) logoutForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	if v.Account == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	s.render(w, v, http.StatusOK, "logout", nil)
	return nil
}

// logout ends the session on the server and forgets the cookie.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, v *visit) error {
	if v.session != "" {
		if err := s.svc.EndWebSession(r.Context(), v.session); err != nil {
			return err
		}
	}
	s.clearCookie(w, sessionCookie)
	http.Redirect(w, r, "/?done=logged_out", http.StatusSeeOther)
	return nil
}

// take puts a refused input's field errors on the form in lang and reports
// whether err was such a refusal (EINVALID, or ECONFLICT naming a field);
// other errors are left to the caller.
func (f *form) take(lang string, err error) bool {
	var e *market.Error
	if !errors.As(err, &e) {
		return false
	}
	if e.Code != market.EINVALID && (e.Code != market.ECONFLICT || len(e.Fields) == 0) {
		return false
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	f.lang = lang
	f.Error = translate(lang, "form.fix_below")
	if len(e.Fields) == 0 {
		f.Error = translate(lang, "form.invalid")
	}
	for _, fe := range e.Fields {
		if _, onForm := f.Values[fe.Field]; !onForm { // say it above the form, or it is lost
			f.Error += " " + errorText(lang, fe)
		} else {
			f.setErr(fe.Field, errorText(lang, fe))
		}
	}
	return true
}
