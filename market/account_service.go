package market

import (
	"context"
	"errors"
)

// Account event types.
const (
	EventAccountRegistered = "account.registered"
	EventAccountRoleSet    = "account.role_set"
	EventMemberAdded       = "organization.member_added"
	EventMemberInvited     = "organization.member_invited"
)

// errBadCredentials is the one answer for an unknown email and a wrong
// password, so that neither can be told apart.
var errBadCredentials = &Error{Code: EUNAUTHORIZED, Message: "invalid email or password"}

// Register creates an account; pending invitations for its email become
// memberships.
func (s *Service) Register(ctx context.Context, in NewAccount) (*Account, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var hash string
	var err error
	if gerr := s.Hashing.Do(ctx, func() { hash, err = HashPassword(in.Password) }); gerr != nil {
		return nil, gerr
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	acc := &Account{ID: NewID(), Email: in.Email, DisplayName: in.DisplayName, PasswordHash: hash, CreatedAt: now}
	err = s.Store.Update(ctx, func(tx Tx) error {
		if err := tx.CreateAccount(acc); err != nil {
			return err
		}
		invs, err := tx.TakeInvitations(acc.Email)
		if err != nil {
			return err
		}
		for _, inv := range invs {
			if err := tx.AddMembership(Membership{AccountID: acc.ID, OrgID: inv.OrgID, Role: inv.Role, CreatedAt: now}); err != nil {
				return err
			}
		}
		e := NewEvent(EventAccountRegistered, acc.ID, "account", acc.ID, map[string]any{"invitations": len(invs)}, now)
		return tx.AppendEvent(&e)
	})
	if ErrorCode(err) == ECONFLICT {
		return nil, &Error{Code: ECONFLICT, Message: "an account with this email already exists",
			Fields: []FieldError{{Field: "email", Message: "is already registered"}}}
	}
	if err != nil {
		return nil, err
	}
	return acc, nil
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
// the CLI, which has no actor.
func (s *Service) CreateAdmin(ctx context.Context, in NewAccount, role string) (*Account, error) {
	if role != RoleAdmin && role != RoleReviewer {
		return nil, Invalid("role", "must be admin or reviewer")
	}
	acc, err := s.Register(ctx, in)
	if ErrorCode(err) == ECONFLICT {
		err = s.Store.View(ctx, func(tx Tx) (err error) {
			acc, err = tx.AccountByEmail(NormalizeEmail(in.Email))
			return err
		})
	}
	if err != nil {
		return nil, err
	}
	err = s.Store.Update(ctx, func(tx Tx) error {
		if err := tx.SetPlatformRole(acc.ID, role); err != nil {
			return err
		}
		e := NewEvent(EventAccountRoleSet, "", "account", acc.ID, map[string]string{"role": role}, s.now())
		return tx.AppendEvent(&e)
	})
	acc.PlatformRole = role
	return acc, err
}

// Me returns the actor's account and memberships.
func (s *Service) Me(ctx context.Context, actor Actor) (*Account, []Member, error) {
	if actor.Anonymous() {
		return nil, nil, Errorf(EUNAUTHORIZED, "log in first")
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
