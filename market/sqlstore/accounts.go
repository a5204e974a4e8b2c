package sqlstore

import (
	"database/sql"
	"strconv"
	"strings"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
)

const accountColumns = "id, email, display_name, password_hash, platform_role, created_at, email_verified_at, language, mail_opt_out"

func scanAccount(row scanner) (*market.Account, error) {
	var a market.Account
	var verified sql.NullTime
	var optOut string
	err := row.Scan(&a.ID, &a.Email, &a.DisplayName, &a.PasswordHash, &a.PlatformRole, &a.CreatedAt, &verified, &a.Language, &optOut)
	a.CreatedAt, a.EmailVerifiedAt, a.MailOptOut = a.CreatedAt.UTC(), timePtr(verified), splitList(optOut)
	return &a, err
}

// splitList reads a comma-separated column; "" is an empty list.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// CreateAccount inserts an account.
func (t *Tx) CreateAccount(a *market.Account) error {
	_, err := t.exec(`INSERT INTO accounts (`+accountColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		a.ID, a.Email, a.DisplayName, a.PasswordHash, a.PlatformRole, a.CreatedAt.UTC(), optTime(a.EmailVerifiedAt),
		market.NormalizeLanguage(a.Language), strings.Join(a.MailOptOut, ","))
	return err
}

// SetAccountEmail sets an account's email and its verification time.
func (t *Tx) SetAccountEmail(accountID, email string, verifiedAt *time.Time) error {
	res, err := t.exec(`UPDATE accounts SET email = $1, email_verified_at = $2 WHERE id = $3`, email, optTime(verifiedAt), accountID)
	if err != nil {
		return err
	}
	return t.expectOne(res, "accounts", accountID, "account")
}

// SetPasswordHash replaces an account's password hash.
func (t *Tx) SetPasswordHash(accountID, hash string) error {
	res, err := t.exec(`UPDATE accounts SET password_hash = $1 WHERE id = $2`, hash, accountID)
	if err != nil {
		return err
	}
	return t.expectOne(res, "accounts", accountID, "account")
}

// UpdateAccountProfile writes the display name, language and mail opt-outs.
func (t *Tx) UpdateAccountProfile(a *market.Account) error {
	res, err := t.exec(`UPDATE accounts SET display_name = $1, language = $2, mail_opt_out = $3 WHERE id = $4`,
		a.DisplayName, market.NormalizeLanguage(a.Language), strings.Join(a.MailOptOut, ","), a.ID)
	if err != nil {
		return err
	}
	return t.expectOne(res, "accounts", a.ID, "account")
}

// RemoveMembership deletes a membership.
func (t *Tx) RemoveMembership(accountID, orgID string) error {
	res, err := t.exec(`DELETE FROM memberships WHERE account_id = $1 AND org_id = $2`, accountID, orgID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return market.Errorf(market.ENOTFOUND, msgs.MembershipNotFound)
	}
	return nil
}

// AccountByID loads an account.
func (t *Tx) AccountByID(id string) (*market.Account, error) {
	a, err := scanAccount(t.keyRow(`SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	return a, notFound(err, "account")
}

// AccountByEmail loads an account by its normalised email.
func (t *Tx) AccountByEmail(email string) (*market.Account, error) {
	a, err := scanAccount(t.keyRow(`SELECT `+accountColumns+` FROM accounts WHERE email = $1`, email))
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

// DigestsDue lists accounts due for a digest, by id after the cursor.
func (t *Tx) DigestsDue(lastBefore time.Time, after string, limit int) ([]market.DigestDue, error) {
	rows, err := t.query(`SELECT id, last_digest_at FROM accounts
		WHERE (last_digest_at IS NULL OR last_digest_at <= $1) AND id > $2 ORDER BY id LIMIT `+strconv.Itoa(limit),
		lastBefore.UTC(), after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.DigestDue
	for rows.Next() {
		var d market.DigestDue
		var last sql.NullTime
		if err := rows.Scan(&d.AccountID, &last); err != nil {
			return nil, err
		}
		d.LastDigestAt = timePtr(last)
		out = append(out, d)
	}
	return out, rows.Err()
}

// SetLastDigest records when an account's digest was queued.
func (t *Tx) SetLastDigest(accountID string, at time.Time) error {
	res, err := t.exec(`UPDATE accounts SET last_digest_at = $1 WHERE id = $2`, at.UTC(), accountID)
	if err != nil {
		return err
	}
	return t.expectOne(res, "accounts", accountID, "account")
}
