package market

import (
	"context"
	"strings"
	"techbridge/market/msgs"
	"time"
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
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now()
	o := &Organization{ID: NewID(), Kind: in.Kind, NameZH: in.NameZH, NameEN: in.NameEN, Region: in.Region,
		CreditCode: in.CreditCode, Verification: VerificationPending, VerificationDetails: in.Details, OrgProfile: in.OrgProfile, CreatedAt: now, UpdatedAt: now, Version: 1}
	err := s.Store.Update(ctx, func(tx Tx) error {
		if err := tx.CreateOrganization(o); err != nil {
			if ErrorCode(err) == ECONFLICT {
				return Refusal(ECONFLICT, msgs.CreditCodeTaken, "credit_code", msgs.AlreadyRegistered)
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
		o.PayoutRef, o.VerificationDetails = "", ""
		o.ContactPerson, o.ContactPhone = "", "" // a person's contact is for members and the registry
	}
	return o, nil
}

// Organizations lists organisations; anyone may list verified ones, only
// admins may list by other verification states (the verification queue).
func (s *Service) Organizations(ctx context.Context, actor Actor, f OrgFilter) ([]Organization, error) {
	if f.Verification != VerificationVerified && !actor.IsAdmin() {
		if f.Verification != "" {
			return nil, Errorf(EFORBIDDEN, msgs.OnlyAdminsMayListUnverifiedOrganisations)
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
			out[i].PayoutRef, out[i].VerificationDetails = "", ""
		}
	}
	return out, err
}

// Members lists an organisation's members, for its members and admins.
func (s *Service) Members(ctx context.Context, actor Actor, orgID string) ([]Member, error) {
	return membersRead(ctx, s, actor, orgID, msgs.OnlyMembersMaySeeMemberList, func(tx Tx) ([]Member, error) { return tx.Members(orgID) })
}

// membersRead runs read for an organisation's members and admins; others
// get EFORBIDDEN with deny, and an unknown organisation ENOTFOUND.
func membersRead[T any](ctx context.Context, s *Service, actor Actor, orgID string, deny msgs.Code, read func(Tx) (T, error)) (T, error) {
	var out T
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		if _, err := tx.OrganizationByID(orgID); err != nil {
			return err
		}
		if !actor.MemberOf(orgID) && !actor.IsAdmin() {
			return Errorf(EFORBIDDEN, deny)
		}
		out, err = read(tx)
		return err
	})
	return out, err
}

// OrgVerification is one admin decision on an organisation.
type OrgVerification struct {
	ID        string
	OrgID     string
	Decision  string // VerificationVerified, VerificationRejected or VerificationSubmitted
	Reason    string // required for a rejection, shown to the owners; the details for a submission
	DecidedBy string
	DecidedAt time.Time
}

// OrgVerificationTx persists the history of verification decisions.
type OrgVerificationTx interface {
	AddOrgVerification(v *OrgVerification) error
	// OrgVerifications lists an organisation's decisions, oldest first.
	OrgVerifications(orgID string) ([]OrgVerification, error)
}

// Bounds of the texts of a verification.
const (
	MaxVerificationReason  = 1000
	MaxVerificationDetails = 2000
)

// VerificationSubmitted is the history entry of owners (re)submitting
// their details; a rejected organisation goes back to pending with it.
const VerificationSubmitted = "submitted"

// SubmitVerification lets an owner give (or correct) the documents'
// details the admin reviews; a rejected organisation waits again.
func (s *Service) SubmitVerification(ctx context.Context, actor Actor, orgID, details string) (*Organization, error) {
	details = strings.TrimSpace(details)
	var f Fields
	if details == "" {
		f.Add("details", msgs.Required)
	}
	checkLen(&f, "details", details, MaxVerificationDetails)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var o *Organization
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if o, err = tx.OrganizationByID(orgID); err != nil {
			return err
		}
		if !actor.OwnerOf(orgID) {
			return Errorf(EFORBIDDEN, msgs.OnlyOrganisationSOwnersSubmitIt)
		}
		now := s.now()
		o.VerificationDetails, o.UpdatedAt = details, now
		if o.Verification == VerificationRejected {
			o.Verification = VerificationPending
		}
		o.Version++
		if err := tx.UpdateOrganization(o); err != nil {
			return err
		}
		if err := tx.AddOrgVerification(&OrgVerification{ID: NewID(), OrgID: o.ID, Decision: VerificationSubmitted,
			Reason: details, DecidedBy: actor.AccountID, DecidedAt: now}); err != nil {
			return err
		}
		e := NewEvent(EventOrgVerified, actor.AccountID, "organization", o.ID, map[string]string{"verification": o.Verification, "submitted": "true"}, now)
		return tx.AppendEvent(&e)
	})
	return o, err
}

// VerifyOrganization records an admin's decision on an organisation, with
// a reason (required to reject), in its history; the owners are told by mail.
func (s *Service) VerifyOrganization(ctx context.Context, actor Actor, orgID, decision, reason string) (*Organization, error) {
	if !actor.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyAdminsVerifyOrganisations)
	}
	reason = strings.TrimSpace(reason)
	var f Fields
	if decision != VerificationVerified && decision != VerificationRejected {
		f.Add("verification", msgs.VerifiedOrRejected)
	}
	if decision == VerificationRejected && reason == "" {
		f.Add("reason", msgs.RequiredToRejectTellOwnersWhat)
	}
	checkLen(&f, "reason", reason, MaxVerificationReason)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var o *Organization
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if o, err = tx.OrganizationByID(orgID); err != nil {
			return err
		}
		now := s.now()
		o.Verification, o.UpdatedAt = decision, now
		o.Version++
		if err := tx.UpdateOrganization(o); err != nil {
			return err
		}
		if err := tx.AddOrgVerification(&OrgVerification{ID: NewID(), OrgID: o.ID, Decision: decision, Reason: reason,
			DecidedBy: actor.AccountID, DecidedAt: now}); err != nil {
			return err
		}
		ms, err := tx.Members(o.ID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.Role != MemberOwner {
				continue
			}
			acc, err := tx.AccountByID(m.AccountID)
			if err != nil {
				return err
			}
			if err := queueMail(tx, acc, acc.Email, MailOrgVerification, MailCategoryAccount, "orgverify:"+o.ID+":"+acc.ID+":"+NewID(),
				map[string]string{"name": acc.DisplayName, "org_zh": o.NameZH, "org_en": o.NameEN, "decision": decision,
					"reason": reason, "link": s.link("/my/organizations/" + o.ID)}, now); err != nil {
				return err
			}
		}
		e := NewEvent(EventOrgVerified, actor.AccountID, "organization", o.ID, map[string]string{"verification": decision, "reason": reason}, now)
		return tx.AppendEvent(&e)
	})
	return o, err
}

// VerificationHistory lists an organisation's verification decisions, for
// its members and admins.
func (s *Service) VerificationHistory(ctx context.Context, actor Actor, orgID string) ([]OrgVerification, error) {
	return membersRead(ctx, s, actor, orgID, msgs.OnlyMembersAndAdminsSeeVerification, func(tx Tx) ([]OrgVerification, error) { return tx.OrgVerifications(orgID) })
}
