package market

import (
	"context"
	"techbridge/market/msgs"
	"time"
)

// Token event types.
const (
	EventRefreshReuse = "auth.refresh_reuse_detected"
)

var errBadRefresh = Errorf(EUNAUTHORIZED, msgs.BadRefresh)

// IssueRefreshToken starts a new token family for the account and returns
// the secret to hand to the client.
func (s *Service) IssueRefreshToken(ctx context.Context, accountID string) (string, error) {
	secret, hash := NewSecret()
	now := s.now()
	t := &RefreshToken{ID: NewID(), FamilyID: NewID(), AccountID: accountID, Hash: hash, CreatedAt: now, ExpiresAt: now.Add(RefreshTokenTTL)}
	err := s.Store.Update(ctx, func(tx Tx) error { return tx.CreateRefreshToken(t) })
	return secret, err
}

// RotateRefreshToken spends a refresh token and returns its account and a
// new token of the same family. Reusing a spent token revokes the family.
func (s *Service) RotateRefreshToken(ctx context.Context, secret string) (accountID, next string, err error) {
	now := s.now()
	reused := false
	err = s.Store.Update(ctx, func(tx Tx) error {
		t, err := tx.RefreshTokenByHash(HashSecret(secret))
		if isNotFound(err) {
			return errBadRefresh
		} else if err != nil {
			return err
		}
		if t.RevokedAt != nil || !now.Before(t.ExpiresAt) {
			return errBadRefresh
		}
		if t.UsedAt != nil {
			reused = true // commit the revocation, then refuse
			if err := tx.RevokeRefreshFamily(t.FamilyID, now); err != nil {
				return err
			}
			e := NewEvent(EventRefreshReuse, t.AccountID, "account", t.AccountID, map[string]string{"family": t.FamilyID}, now)
			return tx.AppendEvent(&e)
		}
		if err := tx.MarkRefreshTokenUsed(t.ID, now); err != nil {
			return err
		}
		var hash string
		next, hash = NewSecret()
		accountID = t.AccountID
		return tx.CreateRefreshToken(&RefreshToken{ID: NewID(), FamilyID: t.FamilyID, AccountID: t.AccountID,
			Hash: hash, CreatedAt: now, ExpiresAt: now.Add(RefreshTokenTTL)})
	})
	if err == nil && reused {
		return "", "", errBadRefresh
	}
	return accountID, next, err
}

// RevokeRefreshToken revokes the family of a refresh token (logout); an
// unknown token is not an error, so logout is idempotent.
func (s *Service) RevokeRefreshToken(ctx context.Context, secret string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		t, err := tx.RefreshTokenByHash(HashSecret(secret))
		if isNotFound(err) {
			return nil
		} else if err != nil {
			return err
		}
		return tx.RevokeRefreshFamily(t.FamilyID, s.now())
	})
}

// StartWebSession creates a browser session and returns its cookie secret.
func (s *Service) StartWebSession(ctx context.Context, accountID string) (string, error) {
	secret, hash := NewSecret()
	now := s.now()
	err := s.Store.Update(ctx, func(tx Tx) error {
		return tx.CreateWebSession(&WebSession{Hash: hash, AccountID: accountID, CreatedAt: now, ExpiresAt: now.Add(WebSessionTTL)})
	})
	return secret, err
}

// WebSessionAccount returns the account behind a live session cookie.
func (s *Service) WebSessionAccount(ctx context.Context, secret string) (string, error) {
	var ws *WebSession
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		ws, err = tx.WebSessionByHash(HashSecret(secret))
		return err
	})
	if isNotFound(err) || err == nil && !s.now().Before(ws.ExpiresAt) {
		return "", Errorf(EUNAUTHORIZED, msgs.SessionExpiredLogInAgain)
	} else if err != nil {
		return "", err
	}
	return ws.AccountID, nil
}

// EndWebSession deletes a browser session.
func (s *Service) EndWebSession(ctx context.Context, secret string) error {
	return s.Store.Update(ctx, func(tx Tx) error { return tx.DeleteWebSession(HashSecret(secret)) })
}

// RevokeAccessToken records an access token's id as revoked until its
// expiry (logout). The database is the record: a revocation must survive
// any cache restart.
func (s *Service) RevokeAccessToken(ctx context.Context, jti string, expiresAt time.Time) error {
	return s.Store.Update(ctx, func(tx Tx) error { return tx.RevokeAccessToken(jti, expiresAt, s.now()) })
}

// AccessTokenRevoked reports whether an access token's id was revoked.
func (s *Service) AccessTokenRevoked(ctx context.Context, jti string) (revoked bool, err error) {
	err = s.Store.View(ctx, func(tx Tx) (err error) {
		revoked, err = tx.AccessTokenRevoked(jti)
		return err
	})
	return revoked, err
}
