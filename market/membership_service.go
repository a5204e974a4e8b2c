package market

import (
	"context"
	"techbridge/market/msgs"
	"time"
)

// Membership event types.
const (
	EventMemberAdded       = "organization.member_added"
	EventMemberInvited     = "organization.member_invited"
	EventMemberRoleSet     = "organization.member_role_set"
	EventMemberRemoved     = "organization.member_removed"
	EventInvitationDecided = "organization.invitation_decided"
)

// InviteMember invites an email address into the organisation with role:
// an invitation mail with a single-use link goes to the address, and
// nobody becomes a member until the invitee accepts. Only the
// organisation's owners invite; a platform admin is not an owner of
// anything. A new invitation to the same address replaces a pending one.
func (s *Service) InviteMember(ctx context.Context, actor Actor, orgID, email, role string) (*Invitation, error) {
	email = NormalizeEmail(email)
	var f Fields
	if !ValidEmail(email) {
		f.Add("email", msgs.ValidEmailAddress)
	}
	if role != MemberOwner && role != MemberMember {
		f.Add("role", msgs.OwnerOrMember)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var inv *Invitation
	err := s.Store.Update(ctx, func(tx Tx) error {
		o, err := tx.OrganizationByID(orgID)
		if err != nil {
			return err
		}
		if !actor.OwnerOf(orgID) {
			return Errorf(EFORBIDDEN, msgs.OnlyOrganisationSOwnersInviteMembers)
		}
		if err := requireVerifiedEmail(actor); err != nil {
			return err
		}
		inviter, err := tx.AccountByID(actor.AccountID)
		if err != nil {
			return err
		}
		recipient := &Account{Language: inviter.Language} // an address without an account reads the inviter's language
		if acc, err := tx.AccountByEmail(email); err == nil {
			recipient = acc
			if _, err := memberIn(tx, orgID, acc.ID); err == nil {
				return Invalid("email", msgs.AlreadyMember)
			} else if !isNotFound(err) {
				return err
			}
		} else if !isNotFound(err) {
			return err
		}
		old, err := tx.ListInvitations(InvitationFilter{OrgID: orgID, Email: email, State: InvitationPending})
		if err != nil {
			return err
		}
		for i := range old {
			old[i].State, old[i].DecidedAt, old[i].DecidedBy = InvitationWithdrawn, &now, actor.AccountID
			if err := tx.DecideInvitation(&old[i]); err != nil {
				return err
			}
		}
		secret, hash := NewSecret()
		inv = &Invitation{ID: NewID(), OrgID: orgID, Email: email, Role: role, InvitedBy: actor.AccountID, TokenHash: hash,
			State: InvitationPending, CreatedAt: now, ExpiresAt: now.Add(InvitationTTL)}
		if err := tx.CreateInvitation(inv); err != nil {
			return err
		}
		if err := queueMail(tx, recipient, email, MailInvitation, MailCategoryAccount, "invite:"+inv.ID, map[string]string{
			"inviter": inviter.DisplayName, "org_zh": o.NameZH, "org_en": o.NameEN, "role": role,
			"link": s.link("/invitations/accept?token=" + secret), "token": secret}, now); err != nil {
			return err
		}
		e := NewEvent(EventMemberInvited, actor.AccountID, "organization", orgID,
			map[string]string{"invitation": inv.ID, "email": email, "role": role}, now)
		return tx.AppendEvent(&e)
	})
	return inv, err
}

// Invitations lists an organisation's invitations in state ("" = all),
// for its owners and admins.
func (s *Service) Invitations(ctx context.Context, actor Actor, orgID, state string) ([]Invitation, error) {
	var out []Invitation
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		if _, err := tx.OrganizationByID(orgID); err != nil {
			return err
		}
		if !actor.OwnerOf(orgID) && !actor.IsAdmin() {
			return Errorf(EFORBIDDEN, msgs.OnlyOrganisationSOwnersSeeInvitations)
		}
		out, err = tx.ListInvitations(InvitationFilter{OrgID: orgID, State: state})
		return err
	})
	return out, err
}

// WithdrawInvitation cancels a pending invitation; its link stops working.
func (s *Service) WithdrawInvitation(ctx context.Context, actor Actor, orgID, id string) (*Invitation, error) {
	now := s.now()
	var inv *Invitation
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if inv, err = tx.InvitationByID(id); err != nil {
			return err
		}
		if inv.OrgID != orgID {
			return Errorf(ENOTFOUND, msgs.InvitationXNotFound, id)
		}
		if !actor.OwnerOf(orgID) {
			return Errorf(EFORBIDDEN, msgs.OnlyOrganisationSOwnersWithdrawInvitations)
		}
		return s.decideInvitation(tx, actor, inv, InvitationWithdrawn, now)
	})
	return inv, err
}

// MyInvitations lists the pending invitations to the actor's verified email.
func (s *Service) MyInvitations(ctx context.Context, actor Actor) ([]Invitation, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	if !actor.EmailVerified {
		return []Invitation{}, nil // an unverified address proves no claim to invitations
	}
	now := s.now()
	out := []Invitation{}
	err := s.Store.View(ctx, func(tx Tx) error {
		acc, err := tx.AccountByID(actor.AccountID)
		if err != nil {
			return err
		}
		all, err := tx.ListInvitations(InvitationFilter{Email: acc.Email, State: InvitationPending})
		for _, inv := range all {
			if inv.Pending(now) {
				out = append(out, inv)
			}
		}
		return err
	})
	return out, err
}

// InvitationRef names an invitation by its mailed token or, for the
// invitee's own list, by id.
type InvitationRef struct {
	Token string
	ID    string
}

// AnswerInvitation accepts or declines an invitation for the actor, who
// must be logged in with the invited address, verified. Accepting makes
// the actor a member with the invited role.
func (s *Service) AnswerInvitation(ctx context.Context, actor Actor, ref InvitationRef, accept bool) (*Invitation, error) {
	if actor.Anonymous() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	now := s.now()
	var inv *Invitation
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		switch {
		case ref.Token != "":
			inv, err = tx.InvitationByTokenHash(HashSecret(ref.Token))
		case ref.ID != "":
			inv, err = tx.InvitationByID(ref.ID)
		default:
			return Invalid("token", msgs.Required)
		}
		if isNotFound(err) {
			return errBadLink
		} else if err != nil {
			return err
		}
		if !inv.Pending(now) {
			return errBadLink
		}
		acc, err := tx.AccountByID(actor.AccountID)
		if err != nil {
			return err
		}
		if acc.Email != inv.Email {
			if ref.ID != "" {
				return Errorf(ENOTFOUND, msgs.InvitationXNotFound, ref.ID)
			}
			return Errorf(EFORBIDDEN, msgs.ThisInvitationWasSentToAnother)
		}
		if !acc.EmailVerified() {
			return Refusal(EFORBIDDEN, msgs.VerifyEmailFirst, "email_verified", msgs.EmailNotVerified)
		}
		state := InvitationDeclined
		if accept {
			state = InvitationAccepted
		}
		if err := s.decideInvitation(tx, actor, inv, state, now); err != nil {
			return err
		}
		if !accept {
			return nil
		}
		if err := tx.AddMembership(Membership{AccountID: acc.ID, OrgID: inv.OrgID, Role: inv.Role, CreatedAt: now}); err != nil {
			return err
		}
		data := map[string]string{"account_id": acc.ID, "role": inv.Role, "invitation": inv.ID}
		if acc.PlatformRole != "" {
			// A platform admin or reviewer joining an organisation is on the
			// record, so it is visible when they later act on its deals.
			data["platform_role"] = acc.PlatformRole
		}
		e := NewEvent(EventMemberAdded, acc.ID, "organization", inv.OrgID, data, now)
		return tx.AppendEvent(&e)
	})
	return inv, err
}

// decideInvitation closes a pending invitation with state.
func (s *Service) decideInvitation(tx Tx, actor Actor, inv *Invitation, state string, now time.Time) error {
	if inv.State != InvitationPending {
		return Errorf(ECONFLICT, msgs.InvitationXAlready, inv.State)
	}
	inv.State, inv.DecidedAt, inv.DecidedBy = state, &now, actor.AccountID
	if err := tx.DecideInvitation(inv); err != nil {
		return err
	}
	e := NewEvent(EventInvitationDecided, actor.AccountID, "organization", inv.OrgID,
		map[string]string{"invitation": inv.ID, "state": state}, now)
	return tx.AppendEvent(&e)
}

// SetMemberRole changes a member's role; only owners may, and the last
// owner stays an owner.
func (s *Service) SetMemberRole(ctx context.Context, actor Actor, orgID, accountID, role string) error {
	if role != MemberOwner && role != MemberMember {
		return Invalid("role", msgs.OwnerOrMember)
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		if _, err := tx.OrganizationByID(orgID); err != nil {
			return err
		}
		if !actor.OwnerOf(orgID) {
			return Errorf(EFORBIDDEN, msgs.OnlyOrganisationSOwnersChangeRoles)
		}
		m, err := memberIn(tx, orgID, accountID)
		if err != nil {
			return err
		}
		if m.Role == MemberOwner && role != MemberOwner {
			if err := keepAnOwner(tx, orgID); err != nil {
				return err
			}
		}
		m.Role = role
		if err := tx.AddMembership(m.Membership); err != nil {
			return err
		}
		e := NewEvent(EventMemberRoleSet, actor.AccountID, "organization", orgID, map[string]string{"account_id": accountID, "role": role}, s.now())
		return tx.AppendEvent(&e)
	})
}

// RemoveMember removes a member: owners remove anyone, every member may
// leave; the last owner can do neither, so no organisation is orphaned.
func (s *Service) RemoveMember(ctx context.Context, actor Actor, orgID, accountID string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		if _, err := tx.OrganizationByID(orgID); err != nil {
			return err
		}
		if !actor.OwnerOf(orgID) && actor.AccountID != accountID {
			return Errorf(EFORBIDDEN, msgs.OnlyOrganisationSOwnersRemoveMembers)
		}
		m, err := memberIn(tx, orgID, accountID)
		if err != nil {
			return err
		}
		if m.Role == MemberOwner {
			if err := keepAnOwner(tx, orgID); err != nil {
				return err
			}
		}
		if err := tx.RemoveMembership(accountID, orgID); err != nil {
			return err
		}
		e := NewEvent(EventMemberRemoved, actor.AccountID, "organization", orgID, map[string]string{"account_id": accountID}, s.now())
		return tx.AppendEvent(&e)
	})
}

// memberIn returns accountID's membership of orgID, ENOTFOUND without one.
func memberIn(tx Tx, orgID, accountID string) (*Member, error) {
	ms, err := tx.Members(orgID)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		if ms[i].AccountID == accountID {
			return &ms[i], nil
		}
	}
	return nil, Errorf(ENOTFOUND, msgs.AccountXNotMember, accountID)
}

// keepAnOwner refuses when orgID has only one owner, who is about to go.
func keepAnOwner(tx Tx, orgID string) error {
	ms, err := tx.Members(orgID)
	if err != nil {
		return err
	}
	owners := 0
	for _, m := range ms {
		if m.Role == MemberOwner {
			owners++
		}
	}
	if owners <= 1 {
		return Errorf(ECONFLICT, msgs.OrganisationKeepsAtLeastOneOwner)
	}
	return nil
}
