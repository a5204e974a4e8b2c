package market

import (
	"context"
)

// Organisation event types.
const (
	EventOrgCreated  = "organization.created"
	EventOrgVerified = "organization.verification_set"
)

// CreateOrganization creates an organisation owned by the actor; it waits
// for an admin's verification.
func (s *Service) CreateOrganization(ctx context.Context, actor Actor, in NewOrganization) (*Organization, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, "log in first")
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now()
	o := &Organization{ID: NewID(), Kind: in.Kind, NameZH: in.NameZH, NameEN: in.NameEN, Region: in.Region,
		CreditCode: in.CreditCode, Verification: VerificationPending, CreatedAt: now, UpdatedAt: now, Version: 1}
	err := s.Store.Update(ctx, func(tx Tx) error {
		if err := tx.CreateOrganization(o); err != nil {
			if ErrorCode(err) == ECONFLICT {
				return &Error{Code: ECONFLICT, Message: "an organisation with this credit code exists",
					Fields: []FieldError{{Field: "credit_code", Message: "is already registered"}}}
			}
			return err
		}
		if err := tx.AddMembership(Membership{AccountID: actor.AccountID, OrgID: o.ID, Role: MemberOwner, CreatedAt: now}); err != nil {
			return err
		}
		e := NewEvent(EventOrgCreated, actor.AccountID, "organization", o.ID, map[string]string{"kind": o.Kind, "credit_code": o.CreditCode}, now)
		return tx.AppendEvent(&e)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// Organization returns an organisation. Its public profile is visible to
// everyone; PublicView hides what only members and admins may read.
func (s *Service) Organization(ctx context.Context, actor Actor, id string) (*Organization, error) {
	var o *Organization
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		o, err = tx.OrganizationByID(id)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !actor.MemberOf(o.ID) && !actor.IsAdmin() {
		o.PayoutRef = ""
	}
	return o, nil
}

// Organizations lists organisations; anyone may list verified ones, only
// admins may list by other verification states (the verification queue).
func (s *Service) Organizations(ctx context.Context, actor Actor, f OrgFilter) ([]Organization, error) {
	if f.Verification != VerificationVerified && !actor.IsAdmin() {
		if f.Verification != "" {
			return nil, Errorf(EFORBIDDEN, "only admins may list unverified organisations")
		}
		f.Verification = VerificationVerified
	}
	f.Limit = ClampLimit(f.Limit)
	var out []Organization
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		out, err = tx.ListOrganizations(f)
		return err
	})
	for i := range out {
		if !actor.MemberOf(out[i].ID) && !actor.IsAdmin() {
			out[i].PayoutRef = ""
		}
	}
	return out, err
}

// Members lists an organisation's members, for its members and admins.
func (s *Service) Members(ctx context.Context, actor Actor, orgID string) ([]Member, error) {
	var out []Member
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		if _, err := tx.OrganizationByID(orgID); err != nil {
			return err
		}
		if !actor.MemberOf(orgID) && !actor.IsAdmin() {
			return Errorf(EFORBIDDEN, "only members may see the member list")
		}
		out, err = tx.Members(orgID)
		return err
	})
	return out, err
}

// AddMember adds an account to the organisation by email, or invites the
// email if no account has it yet. Only owners (and admins) may.
func (s *Service) AddMember(ctx context.Context, actor Actor, orgID, email, role string) (invited bool, err error) {
	email = NormalizeEmail(email)
	var f Fields
	if !ValidEmail(email) {
		f.Add("email", "must be a valid email address")
	}
	if role != MemberOwner && role != MemberMember {
		f.Add("role", "must be owner or member")
	}
	if err := f.Err(); err != nil {
		return false, err
	}
	now := s.now()
	err = s.Store.Update(ctx, func(tx Tx) error {
		if _, err := tx.OrganizationByID(orgID); err != nil {
			return err
		}
		if !actor.OwnerOf(orgID) && !actor.IsAdmin() {
			return Errorf(EFORBIDDEN, "only the organisation's owners may add members")
		}
		acc, err := tx.AccountByEmail(email)
		if isNotFound(err) {
			invited = true
			if err := tx.AddInvitation(Invitation{OrgID: orgID, Email: email, Role: role, InvitedBy: actor.AccountID, CreatedAt: now}); err != nil {
				return err
			}
			e := NewEvent(EventMemberInvited, actor.AccountID, "organization", orgID, map[string]string{"email": email, "role": role}, now)
			return tx.AppendEvent(&e)
		} else if err != nil {
			return err
		}
		if err := tx.AddMembership(Membership{AccountID: acc.ID, OrgID: orgID, Role: role, CreatedAt: now}); err != nil {
			return err
		}
		e := NewEvent(EventMemberAdded, actor.AccountID, "organization", orgID, map[string]string{"account_id": acc.ID, "role": role}, now)
		return tx.AppendEvent(&e)
	})
	return invited, err
}

// VerifyOrganization records an admin's decision on an organisation.
func (s *Service) VerifyOrganization(ctx context.Context, actor Actor, orgID, decision string) (*Organization, error) {
	if !actor.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, "only admins verify organisations")
	}
	if decision != VerificationVerified && decision != VerificationRejected {
		return nil, Invalid("verification", "must be verified or rejected")
	}
	var o *Organization
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if o, err = tx.OrganizationByID(orgID); err != nil {
			return err
		}
		o.Verification, o.UpdatedAt = decision, s.now()
		o.Version++
		if err := tx.UpdateOrganization(o); err != nil {
			return err
		}
		e := NewEvent(EventOrgVerified, actor.AccountID, "organization", o.ID, map[string]string{"verification": decision}, o.UpdatedAt)
		return tx.AppendEvent(&e)
	})
	return o, err
}
