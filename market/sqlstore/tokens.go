package sqlstore

import (
	"database/sql"
	"time"

	"techbridge/market"
)

// CreateRefreshToken stores a refresh token by hash.
func (t *Tx) CreateRefreshToken(r *market.RefreshToken) error {
	_, err := t.exec(`INSERT INTO refresh_tokens (id, family_id, account_id, hash, created_at, expires_at, used_at, revoked_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		r.ID, r.FamilyID, r.AccountID, r.Hash, r.CreatedAt.UTC(), r.ExpiresAt.UTC(), optTime(r.UsedAt), optTime(r.RevokedAt))
	return err
}

// RefreshTokenByHash loads a refresh token.
func (t *Tx) RefreshTokenByHash(hash string) (*market.RefreshToken, error) {
	var r market.RefreshToken
	var used, revoked sql.NullTime
	err := t.keyRow(`SELECT id, family_id, account_id, hash, created_at, expires_at, used_at, revoked_at
		FROM refresh_tokens WHERE hash = $1`, hash).
		Scan(&r.ID, &r.FamilyID, &r.AccountID, &r.Hash, &r.CreatedAt, &r.ExpiresAt, &used, &revoked)
	if err != nil {
		return nil, notFound(err, "refresh token")
	}
	r.CreatedAt, r.ExpiresAt = r.CreatedAt.UTC(), r.ExpiresAt.UTC()
	r.UsedAt, r.RevokedAt = timePtr(used), timePtr(revoked)
	return &r, nil
}

// MarkRefreshTokenUsed records that a token was rotated.
func (t *Tx) MarkRefreshTokenUsed(id string, at time.Time) error {
	res, err := t.exec(`UPDATE refresh_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL`, at.UTC(), id)
	if err != nil {
		return err
	}
	return t.expectOne(res, "refresh_tokens", id, "refresh token")
}

// RevokeRefreshFamily revokes every token of a family.
func (t *Tx) RevokeRefreshFamily(familyID string, at time.Time) error {
	_, err := t.exec(`UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at IS NULL`, at.UTC(), familyID)
	return err
}

// CreateWebSession stores a browser session by hash.
func (t *Tx) CreateWebSession(s *market.WebSession) error {
	_, err := t.exec(`INSERT INTO web_sessions (hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		s.Hash, s.AccountID, s.CreatedAt.UTC(), s.ExpiresAt.UTC())
	return err
}

// WebSessionByHash loads a browser session.
func (t *Tx) WebSessionByHash(hash string) (*market.WebSession, error) {
	var s market.WebSession
	err := t.keyRow(`SELECT hash, account_id, created_at, expires_at FROM web_sessions WHERE hash = $1`, hash).
		Scan(&s.Hash, &s.AccountID, &s.CreatedAt, &s.ExpiresAt)
	if err != nil {
		return nil, notFound(err, "session")
	}
	s.CreatedAt, s.ExpiresAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC()
	return &s, nil
}

// DeleteWebSession removes a browser session.
func (t *Tx) DeleteWebSession(hash string) error {
	_, err := t.exec(`DELETE FROM web_sessions WHERE hash = $1`, hash)
	return err
}

// RevokeAccessToken records a revoked access token and prunes expired ones
// (an index on expires_at keeps the prune cheap).
func (t *Tx) RevokeAccessToken(jti string, expiresAt, now time.Time) error {
	if _, err := t.exec(`DELETE FROM revoked_tokens WHERE expires_at < $1`, now.UTC()); err != nil {
		return err
	}
	_, err := t.exec(`INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING`,
		jti, expiresAt.UTC())
	return err
}

// AccessTokenRevoked reports whether jti is recorded as revoked.
func (t *Tx) AccessTokenRevoked(jti string) (bool, error) {
	var n int
	err := t.keyRow(`SELECT COUNT(*) FROM revoked_tokens WHERE jti = $1`, jti).Scan(&n)
	return n > 0, mapErr(err)
}
