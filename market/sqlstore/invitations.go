package sqlstore

import (
	"database/sql"
	"strconv"
	"strings"

	"techbridge/market"
)

const invitationColumns = `id, org_id, email, role, invited_by, token_hash, state, created_at, expires_at, decided_at, decided_by`

func scanInvitation(row scanner) (*market.Invitation, error) {
	var inv market.Invitation
	var decided sql.NullTime
	err := row.Scan(&inv.ID, &inv.OrgID, &inv.Email, &inv.Role, &inv.InvitedBy, &inv.TokenHash, &inv.State,
		&inv.CreatedAt, &inv.ExpiresAt, &decided, &inv.DecidedBy)
	inv.CreatedAt, inv.ExpiresAt, inv.DecidedAt = inv.CreatedAt.UTC(), inv.ExpiresAt.UTC(), timePtr(decided)
	return &inv, err
}

// CreateInvitation inserts an invitation.
func (t *Tx) CreateInvitation(inv *market.Invitation) error {
	_, err := t.exec(`INSERT INTO org_invitations (`+invitationColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		inv.ID, inv.OrgID, inv.Email, inv.Role, inv.InvitedBy, inv.TokenHash, inv.State, inv.CreatedAt.UTC(),
		inv.ExpiresAt.UTC(), optTime(inv.DecidedAt), inv.DecidedBy)
	return err
}

// InvitationByID loads an invitation.
func (t *Tx) InvitationByID(id string) (*market.Invitation, error) {
	inv, err := scanInvitation(t.keyRow(`SELECT `+invitationColumns+` FROM org_invitations WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, "invitation")
	}
	return inv, nil
}

// InvitationByTokenHash loads an invitation by the hash of its link's token.
func (t *Tx) InvitationByTokenHash(hash string) (*market.Invitation, error) {
	inv, err := scanInvitation(t.keyRow(`SELECT `+invitationColumns+` FROM org_invitations WHERE token_hash = $1`, hash))
	if err != nil {
		return nil, notFound(err, "invitation")
	}
	return inv, nil
}

// DecideInvitation closes a pending invitation; the state condition makes
// a concurrent second answer touch no row.
func (t *Tx) DecideInvitation(inv *market.Invitation) error {
	res, err := t.exec(`UPDATE org_invitations SET state = $1, decided_at = $2, decided_by = $3 WHERE id = $4 AND state = $5`,
		inv.State, optTime(inv.DecidedAt), inv.DecidedBy, inv.ID, market.InvitationPending)
	if err != nil {
		return err
	}
	return t.expectOne(res, "org_invitations", inv.ID, "invitation")
}

// ListInvitations lists invitations, newest first.
func (t *Tx) ListInvitations(f market.InvitationFilter) ([]market.Invitation, error) {
	var where []string
	var args []any
	add := func(col, v string) {
		if v != "" {
			args = append(args, v)
			where = append(where, col+" = $"+strconv.Itoa(len(args)))
		}
	}
	add("org_id", f.OrgID)
	add("email", f.Email)
	add("state", f.State)
	q := `SELECT ` + invitationColumns + ` FROM org_invitations`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := t.query(q+" ORDER BY created_at DESC, id DESC LIMIT 200", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.Invitation
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *inv)
	}
	return out, rows.Err()
}
