package market

import (
	"context"
	"errors"
	"slices"
	"strings"
	"techbridge/market/msgs"
	"time"
)

// Account event types.
const (
	EventAccountRegistered    = "account.registered"
	EventAccountRoleSet       = "account.role_set"
	EventAccountEmailVerified = "account.email_verified"
	EventAccountPasswordReset = "account.password_reset"
	EventAccountPasswordSet   = "account.password_changed"
	EventAccountProfileSet    = "account.profile_changed"
	EventAccountEmailChange   = "account.email_change_requested"
)

// errBadCredentials is the one answer for an unknown email and a wrong
// password, so that neither can be told apart.
var errBadCredentials = Errorf(EUNAUTHORIZED, msgs.BadCredentials)

// Register creates an account and mails it a verification link. For an
// email that already has an account it changes nothing and mails that
// account's owner instead, returning (nil, nil): the caller answers both
// alike, so registration does not tell who has an account. Both paths hash
// the password once, so they take the same time.
func (s *Service) Register(ctx context.Context, in NewAccount) (*Account, error) {
	return s.register(ctx, in, false)
}

// RegisterVerified creates an account whose email counts as verified,
// without mail; for the CLI and the demo seed, whose operator vouches for
// the address. A taken email is ECONFLICT here: there is nobody to hide
// it from.
func (s *Service) RegisterVerified(ctx context.Context, in NewAccount) (*Account, error) {
	acc, err := s.register(ctx, in, true)
	if err == nil && acc == nil {
		return nil, Refusal(ECONFLICT, msgs.EmailTaken, "email", msgs.AlreadyRegistered)
	}
	return acc, err
}

func (s *Service) register(ctx context.Context, in NewAccount, verified bool) (*Account, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	hash, err := s.hashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	acc := &Account{ID: NewID(), Email: in.Email, DisplayName: in.DisplayName, PasswordHash: hash, CreatedAt: now,
		Language: NormalizeLanguage(in.Language)}
	if verified {
		acc.EmailVerifiedAt = &now
	}
	err = s.Store.Update(ctx, func(tx Tx) error {
		if err := tx.CreateAccount(acc); err != nil {
			return err
		}
		if !verified {
			if err := s.queueVerification(tx, acc, acc.Email, now); err != nil {
				return err
			}
		}
		e := NewEvent(EventAccountRegistered, acc.ID, "account", acc.ID, nil, now)
		return tx.AppendEvent(&e)
	})
	if ErrorCode(err) == ECONFLICT && verified {
		return nil, nil
	} else if ErrorCode(err) == ECONFLICT {
		return nil, s.Store.Update(ctx, func(tx Tx) error { return s.queueAlreadyRegistered(tx, in.Email, now) })
	}
	if err != nil {
		return nil, err
	}
	return acc, nil
}

// queueAlreadyRegistered tells the owner of email that someone tried to
// register it, at most once an hour.
func (s *Service) queueAlreadyRegistered(tx Tx, email string, now time.Time) error {
	owner, err := tx.AccountByEmail(email)
	if err != nil {
		return err
	}
	return queueMail(tx, owner, owner.Email, MailAlreadyAccount, MailCategoryAccount,
		"already:"+owner.ID+":"+now.Format("2006010215"),
		map[string]string{"name": owner.DisplayName, "login_link": s.link("/login"), "reset_link": s.link("/forgot-password")}, now)
}

// queueVerification mails acc a link proving it reads email.
func (s *Service) queueVerification(tx Tx, acc *Account, email string, now time.Time) error {
	secret, t, err := newAccountToken(tx, acc, TokenVerifyEmail, email, VerifyEmailTTL, now)
	if err != nil {
		return err
	}
	return queueMail(tx, acc, email, MailVerifyEmail, MailCategoryAccount, "verify:"+t.Hash,
		map[string]string{"name": acc.DisplayName, "link": s.link("/verify-email?token=" + secret), "token": secret}, now)
}

// RequestEmailVerification mails the actor a new verification link.
func (s *Service) RequestEmailVerification(ctx context.Context, actor Actor) error {
	if actor.Anonymous() {
		return Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		acc, err := tx.AccountByID(actor.AccountID)
		if err != nil {
			return err
		}
		if acc.EmailVerified() {
			return Errorf(ECONFLICT, msgs.YourEmailAddressVerifiedAlready)
		}
		return s.queueVerification(tx, acc, acc.Email, s.now())
	})
}

// VerifyEmail spends a verification link: the account's email becomes
// verified (for an email change, the new address becomes its email). A
// logged-in actor may spend only its own account's link.
func (s *Service) VerifyEmail(ctx context.Context, actor Actor, secret string) (*Account, error) {
	now := s.now()
	var acc *Account
	err := s.Store.Update(ctx, func(tx Tx) error {
		t, err := spendToken(tx, secret, TokenVerifyEmail, now)
		if err != nil {
			return err
		}
		if !actor.Anonymous() && actor.AccountID != t.AccountID {
			return Errorf(EFORBIDDEN, msgs.ThisLinkWasSentToAnother)
		}
		if acc, err = tx.AccountByID(t.AccountID); err != nil {
			return err
		}
		if err := tx.SetAccountEmail(acc.ID, t.Email, &now); ErrorCode(err) == ECONFLICT {
			return Refusal(ECONFLICT, msgs.EmailTakenNow, "email", msgs.AlreadyRegistered)
		} else if err != nil {
			return err
		}
		acc.Email, acc.EmailVerifiedAt = t.Email, &now
		e := NewEvent(EventAccountEmailVerified, acc.ID, "account", acc.ID, nil, now)
		return tx.AppendEvent(&e)
	})
	return acc, err
}

// RequestPasswordReset mails a reset link when email has an account and
// does nothing otherwise; the caller answers both alike.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	email = NormalizeEmail(email)
	if !ValidEmail(email) {
		return Invalid("email", msgs.ValidEmailAddress)
	}
	now := s.now()
	return s.Store.Update(ctx, func(tx Tx) error {
		acc, err := tx.AccountByEmail(email)
		if isNotFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		secret, t, err := newAccountToken(tx, acc, TokenResetPassword, acc.Email, ResetPasswordTTL, now)
		if err != nil {
			return err
		}
		return queueMail(tx, acc, acc.Email, MailPasswordReset, MailCategoryAccount, "reset:"+t.Hash,
			map[string]string{"name": acc.DisplayName, "link": s.link("/reset-password?token=" + secret), "token": secret}, now)
	})
}

// ResetPassword spends a reset link and sets a new password. Every refresh
// token family and every web session of the account ends, so whoever held
// the old password is out. Reading the mail proves the address, so the
// email becomes verified too.
func (s *Service) ResetPassword(ctx context.Context, secret, password string) error {
	if err := validPassword(password); err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	now := s.now()
	return s.Store.Update(ctx, func(tx Tx) error {
		t, err := spendToken(tx, secret, TokenResetPassword, now)
		if err != nil {
			return err
		}
		acc, err := tx.AccountByID(t.AccountID)
		if err != nil {
			return err
		}
		if acc.Email != t.Email {
			return errBadLink // mailed to an address the account no longer has
		}
		if err := s.setPassword(tx, acc, hash, now); err != nil {
			return err
		}
		if !acc.EmailVerified() {
			if err := tx.SetAccountEmail(acc.ID, acc.Email, &now); err != nil {
				return err
			}
		}
		e := NewEvent(EventAccountPasswordReset, acc.ID, "account", acc.ID, nil, now)
		return tx.AppendEvent(&e)
	})
}

// hashPassword hashes under the hash gate, like logins and registrations:
// a flood of resets or password changes takes no more memory and CPU than
// the gate allows (19 MiB per hash).
func (s *Service) hashPassword(ctx context.Context, password string) (hash string, err error) {
	if gerr := s.Hashing.Do(ctx, func() { hash, err = HashPassword(password) }); gerr != nil {
		return "", gerr
	}
	return hash, err
}

// checkedPassword is an account whose password checkCurrentPassword
// verified outside the write transaction.
type checkedPassword struct{ accountID, hash, field string }

// account reloads the account in the writer's transaction and refuses it
// when its password changed since it was checked.
func (c checkedPassword) account(tx Tx) (*Account, error) {
	acc, err := tx.AccountByID(c.accountID)
	if err != nil {
		return nil, err
	}
	if acc.PasswordHash != c.hash {
		return nil, Invalid(c.field, msgs.NotYourCurrentPassword)
	}
	return acc, nil
}

// checkCurrentPassword verifies an account's password under the hash gate
// and outside any write transaction (a hash inside one would hold SQLite's
// one writer for its whole time).
func (s *Service) checkCurrentPassword(ctx context.Context, accountID, password, field string) (checkedPassword, error) {
	var acc *Account
	if err := s.Store.Read(ctx, func(tx Tx) (err error) {
		acc, err = tx.AccountByID(accountID)
		return err
	}); err != nil {
		return checkedPassword{}, err
	}
	var ok bool
	if gerr := s.Hashing.Do(ctx, func() { ok = CheckPassword(acc.PasswordHash, password) }); gerr != nil {
		return checkedPassword{}, gerr
	}
	if !ok {
		return checkedPassword{}, Invalid(field, msgs.NotYourCurrentPassword)
	}
	return checkedPassword{accountID: accountID, hash: acc.PasswordHash, field: field}, nil
}

// setPassword stores a new password hash, ends every session of the
// account and tells its owner.
func (s *Service) setPassword(tx Tx, acc *Account, hash string, now time.Time) error {
	if err := tx.SetPasswordHash(acc.ID, hash); err != nil {
		return err
	}
	if err := tx.RevokeAccountRefreshTokens(acc.ID, now); err != nil {
		return err
	}
	if err := tx.DeleteAccountWebSessions(acc.ID); err != nil {
		return err
	}
	return queueMail(tx, acc, acc.Email, MailPasswordChanged, MailCategoryAccount, "pwchanged:"+acc.ID+":"+NewID(),
		map[string]string{"name": acc.DisplayName, "reset_link": s.link("/forgot-password")}, now)
}

// ChangePassword sets a new password for an actor who knows the current
// one; like a reset, it ends every session (the caller starts a new one).
func (s *Service) ChangePassword(ctx context.Context, actor Actor, current, password string) error {
	if actor.Anonymous() {
		return Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	if err := validPassword(password); err != nil {
		return err
	}
	checked, err := s.checkCurrentPassword(ctx, actor.AccountID, current, "current_password")
	if err != nil {
		return err
	}
	hash, err := s.hashPassword(ctx, password)
	if err != nil {
		return err
	}
	now := s.now()
	return s.Store.Update(ctx, func(tx Tx) error {
		acc, err := checked.account(tx)
		if err != nil {
			return err
		}
		if err := s.setPassword(tx, acc, hash, now); err != nil {
			return err
		}
		e := NewEvent(EventAccountPasswordSet, acc.ID, "account", acc.ID, nil, now)
		return tx.AppendEvent(&e)
	})
}

// ChangeEmail starts an email change: a verification link goes to the new
// address, and the account keeps its current, verified email until the
// link is opened. A taken address gets the "you have an account" mail
// instead, and the caller cannot tell the difference.
func (s *Service) ChangeEmail(ctx context.Context, actor Actor, password, email string) error {
	if actor.Anonymous() {
		return Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	email = NormalizeEmail(email)
	if !ValidEmail(email) {
		return Invalid("email", msgs.ValidEmailAddress)
	}
	checked, err := s.checkCurrentPassword(ctx, actor.AccountID, password, "password")
	if err != nil {
		return err
	}
	now := s.now()
	return s.Store.Update(ctx, func(tx Tx) error {
		acc, err := checked.account(tx)
		if err != nil {
			return err
		}
		if email == acc.Email {
			return Invalid("email", msgs.YourCurrentAddress)
		}
		if _, err := tx.AccountByEmail(email); err == nil {
			return s.queueAlreadyRegistered(tx, email, now)
		} else if !isNotFound(err) {
			return err
		}
		if err := s.queueVerification(tx, acc, email, now); err != nil {
			return err
		}
		e := NewEvent(EventAccountEmailChange, acc.ID, "account", acc.ID, nil, now)
		return tx.AppendEvent(&e)
	})
}

// Profile is what an account changes about itself.
type Profile struct {
	DisplayName string
	Language    string
	MailOptOut  []string // optional mail categories to switch off
}

// UpdateProfile changes the actor's name, language and mail preferences.
func (s *Service) UpdateProfile(ctx context.Context, actor Actor, p Profile) (*Account, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	var f Fields
	if p.DisplayName == "" {
		f.Add("display_name", msgs.Required)
	}
	checkLen(&f, "display_name", p.DisplayName, 100)
	if !oneOf(p.Language, Languages) {
		f.Add("language", msgs.ZhOrEn)
	}
	for _, c := range p.MailOptOut {
		if !oneOf(c, MailOptionalCategories) {
			f.Add("mail_opt_out", msgs.UnknownMailCategoryX, c)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	slices.Sort(p.MailOptOut)
	p.MailOptOut = slices.Compact(p.MailOptOut)
	var acc *Account
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if acc, err = tx.AccountByID(actor.AccountID); err != nil {
			return err
		}
		acc.DisplayName, acc.Language, acc.MailOptOut = p.DisplayName, p.Language, p.MailOptOut
		if err := tx.UpdateAccountProfile(acc); err != nil {
			return err
		}
		e := NewEvent(EventAccountProfileSet, acc.ID, "account", acc.ID, nil, s.now())
		return tx.AppendEvent(&e)
	})
	return acc, err
}

// Authenticate returns the account whose email and password match, or the
// same EUNAUTHORIZED error for an unknown email and a wrong password (both
// paths hash once, so they take the same time).
func (s *Service) Authenticate(ctx context.Context, email, password string) (*Account, error) {
	var acc *Account
	err := s.Store.Read(ctx, func(tx Tx) (err error) {
		acc, err = tx.AccountByEmail(NormalizeEmail(email))
		return err
	})
	if ErrorCode(err) == ENOTFOUND {
		if gerr := s.Hashing.Do(ctx, func() { CheckPassword(dummyHash, password) }); gerr != nil {
			return nil, gerr
		}
		return nil, errBadCredentials
	} else if err != nil {
		return nil, err
	}
	var ok bool
	if gerr := s.Hashing.Do(ctx, func() { ok = CheckPassword(acc.PasswordHash, password) }); gerr != nil {
		return nil, gerr
	}
	if !ok {
		return nil, errBadCredentials
	}
	return acc, nil
}

// CreateAdmin creates (or promotes) an account with a platform role; for
// the CLI, which has no actor. Its email counts as verified: the operator
// vouches for it.
func (s *Service) CreateAdmin(ctx context.Context, in NewAccount, role string) (*Account, error) {
	if role != RoleAdmin && role != RoleReviewer && role != RoleRegistrar && role != RoleFinance {
		return nil, Invalid("role", msgs.PlatformRoleChoice)
	}
	acc, err := s.register(ctx, in, true)
	if err == nil && acc == nil {
		err = s.Store.View(ctx, func(tx Tx) (err error) {
			acc, err = tx.AccountByEmail(NormalizeEmail(in.Email))
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	err = s.Store.Update(ctx, func(tx Tx) error {
		if err := tx.SetPlatformRole(acc.ID, role); err != nil {
			return err
		}
		if !acc.EmailVerified() {
			if err := tx.SetAccountEmail(acc.ID, acc.Email, &now); err != nil {
				return err
			}
			acc.EmailVerifiedAt = &now
		}
		e := NewEvent(EventAccountRoleSet, "", "account", acc.ID, map[string]string{"role": role}, now)
		return tx.AppendEvent(&e)
	})
	acc.PlatformRole = role
	return acc, err
}

// Me returns the actor's account and memberships.
func (s *Service) Me(ctx context.Context, actor Actor) (*Account, []Member, error) {
	if actor.Anonymous() {
		return nil, nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	var acc *Account
	var out []Member
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		if acc, err = tx.AccountByID(actor.AccountID); err != nil {
			return err
		}
		ms, err := tx.Memberships(actor.AccountID)
		for _, m := range ms {
			out = append(out, Member{Membership: m, Email: acc.Email, DisplayName: acc.DisplayName})
		}
		return err
	})
	return acc, out, err
}

// isNotFound reports whether err is ENOTFOUND.
func isNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == ENOTFOUND
}
