package sqlstore

import (
	"techbridge/market"
)

const accountColumns = "id, email, display_name, password_hash, platform_role, created_at"

func scanAccount(row interface{ Scan(...any) error }) (*market.Account, error) {
	var a market.Account
	err := row.Scan(&a.ID, &a.Email, &a.DisplayName, &a.PasswordHash, &a.PlatformRole, &a.CreatedAt)
	a.CreatedAt = a.CreatedAt.UTC()
	return &a, err
}

// CreateAccount inserts an account.
func (t *Tx) CreateAccount(a *market.Account) error {
	_, err := t.exec(`INSERT INTO accounts (`+accountColumns+`) VALUES ($1, $2, $3, $4, $5, $6)`,
		a.ID, a.Email, a.DisplayName, a.PasswordHash, a.PlatformRole, a.CreatedAt.UTC())
	return err
}

// AccountByID loads an account.
func (t *Tx) AccountByID(id string) (*market.Account, error) {
	a, err := scanAccount(t.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	return a, notFound(err, "account")
}

// AccountByEmail loads an account by its normalised email.
func (t *Tx) AccountByEmail(email string) (*market.Account, error) {
	a, err := scanAccount(t.queryRow(`SELECT `+accountColumns+` FROM accounts WHERE email = $1`, email))
	return a, notFound(err, "account")
}

// SetPlatformRole sets an account's platform role.
func (t *Tx) SetPlatformRole(accountID, role string) error {
	res, err := t.exec(`UPDATE accounts SET platform_role = $1 WHERE id = $2`, role, accountID)
	if err != nil {
		return err
	}
	return t.expectOne(res, "accounts", accountID, "account")
}

// Memberships lists an account's memberships, oldest first.
func (t *Tx) Memberships(accountID string) ([]market.Membership, error) {
	rows, err := t.query(`SELECT account_id, org_id, role, created_at FROM memberships
		WHERE account_id = $1 ORDER BY created_at, org_id`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.Membership
	for rows.Next() {
		var m market.Membership
		if err := rows.Scan(&m.AccountID, &m.OrgID, &m.Role, &m.CreatedAt); err != nil {
			return nil, err
		}
		m.CreatedAt = m.CreatedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddMembership inserts a membership or updates its role.
func (t *Tx) AddMembership(m market.Membership) error {
	_, err := t.exec(`INSERT INTO memberships (account_id, org_id, role, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (account_id, org_id) DO UPDATE SET role = excluded.role`,
		m.AccountID, m.OrgID, m.Role, m.CreatedAt.UTC())
	return err
}

// Members lists an organisation's members with their accounts.
func (t *Tx) Members(orgID string) ([]market.Member, error) {
	rows, err := t.query(`SELECT m.account_id, m.org_id, m.role, m.created_at, a.email, a.display_name
		FROM memberships m JOIN accounts a ON a.id = m.account_id
		WHERE m.org_id = $1 ORDER BY m.created_at, a.email`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.Member
	for rows.Next() {
		var m market.Member
		if err := rows.Scan(&m.AccountID, &m.OrgID, &m.Role, &m.CreatedAt, &m.Email, &m.DisplayName); err != nil {
			return nil, err
		}
		m.CreatedAt = m.CreatedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// AddInvitation records (or refreshes) an invitation.
func (t *Tx) AddInvitation(inv market.Invitation) error {
	_, err := t.exec(`INSERT INTO invitations (org_id, email, role, invited_by, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (org_id, email) DO UPDATE SET role = excluded.role, invited_by = excluded.invited_by`,
		inv.OrgID, inv.Email, inv.Role, inv.InvitedBy, inv.CreatedAt.UTC())
	return err
}

// TakeInvitations returns and deletes the invitations for an email.
func (t *Tx) TakeInvitations(email string) ([]market.Invitation, error) {
	rows, err := t.query(`SELECT org_id, email, role, invited_by, created_at FROM invitations WHERE email = $1 ORDER BY created_at`, email)
	if err != nil {
		return nil, err
	}
	var out []market.Invitation
	for rows.Next() {
		var inv market.Invitation
		if err := rows.Scan(&inv.OrgID, &inv.Email, &inv.Role, &inv.InvitedBy, &inv.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, inv)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	_, err = t.exec(`DELETE FROM invitations WHERE email = $1`, email)
	return out, err
}
