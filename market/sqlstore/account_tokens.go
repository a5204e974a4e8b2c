package sqlstore

import (
	"database/sql"
	"techbridge/market/msgs"
	"time"

	"techbridge/market"
)

// CreateAccountToken stores a mailed token by hash.
func (t *Tx) CreateAccountToken(a *market.AccountToken) error {
	_, err := t.exec(`INSERT INTO account_tokens (hash, account_id, purpose, email, created_at, expires_at, used_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		a.Hash, a.AccountID, a.Purpose, a.Email, a.CreatedAt.UTC(), a.ExpiresAt.UTC(), optTime(a.UsedAt))
	return err
}

// AccountTokenByHash loads a mailed token.
func (t *Tx) AccountTokenByHash(hash string) (*market.AccountToken, error) {
	var a market.AccountToken
	var used sql.NullTime
	err := t.keyRow(`SELECT hash, account_id, purpose, email, created_at, expires_at, used_at
		FROM account_tokens WHERE hash = $1`, hash).
		Scan(&a.Hash, &a.AccountID, &a.Purpose, &a.Email, &a.CreatedAt, &a.ExpiresAt, &used)
	if err != nil {
		return nil, notFound(err, "token")
	}
	a.CreatedAt, a.ExpiresAt, a.UsedAt = a.CreatedAt.UTC(), a.ExpiresAt.UTC(), timePtr(used)
	return &a, nil
}

// UseAccountToken marks a token used once; the condition on used_at makes
// a second use touch no row.
func (t *Tx) UseAccountToken(hash string, at time.Time) error {
	res, err := t.exec(`UPDATE account_tokens SET used_at = $1 WHERE hash = $2 AND used_at IS NULL`, at.UTC(), hash)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return market.Errorf(market.ECONFLICT, msgs.TokenUsed)
	}
	return nil
}

// RevokeAccountRefreshTokens revokes every refresh token of an account.
func (t *Tx) RevokeAccountRefreshTokens(accountID string, at time.Time) error {
	_, err := t.exec(`UPDATE refresh_tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL`, at.UTC(), accountID)
	return err
}

// DeleteAccountWebSessions ends every browser session of an account.
func (t *Tx) DeleteAccountWebSessions(accountID string) error {
	_, err := t.exec(`DELETE FROM web_sessions WHERE account_id = $1`, accountID)
	return err
}
