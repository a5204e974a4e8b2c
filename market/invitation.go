package market

import "time"

// Invitation states.
const (
	InvitationPending   = "pending"
	InvitationAccepted  = "accepted"
	InvitationDeclined  = "declined"
	InvitationWithdrawn = "withdrawn"
)

// Invitation asks the owner of an email address to join an organisation.
// It is a single-use link (kept as a hash) that only a logged-in account
// with that verified address can accept: membership is always consented
// to, and an address registered by someone else proves nothing.
type Invitation struct {
	ID        string
	OrgID     string
	Email     string
	Role      string
	InvitedBy string
	TokenHash string
	State     string
	CreatedAt time.Time
	ExpiresAt time.Time
	DecidedAt *time.Time
	DecidedBy string
}

// Pending reports whether the invitation can still be answered at now.
func (inv Invitation) Pending(now time.Time) bool {
	return inv.State == InvitationPending && now.Before(inv.ExpiresAt)
}

// InvitationFilter selects invitations; empty fields match all.
type InvitationFilter struct {
	OrgID string
	Email string
	State string
}

// InvitationTx persists invitations.
type InvitationTx interface {
	CreateInvitation(inv *Invitation) error
	InvitationByID(id string) (*Invitation, error)
	InvitationByTokenHash(hash string) (*Invitation, error)
	// DecideInvitation moves a pending invitation to inv.State with
	// DecidedAt and DecidedBy; ECONFLICT when it is no longer pending.
	DecideInvitation(inv *Invitation) error
	// ListInvitations lists invitations, newest first (at most 200).
	ListInvitations(f InvitationFilter) ([]Invitation, error)
}
