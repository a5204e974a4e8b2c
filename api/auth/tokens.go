package auth

import (
	"context"
	"errors"
	"techbridge/market/msgs"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"techbridge/api/kv"
	"techbridge/market"
)

// Token settings.
const (
	Issuer         = "techbridge"
	Audience       = "techbridge-api"
	AccessTokenTTL = 15 * time.Minute
)

// Tokens issues and verifies access tokens and remembers revoked ones.
type Tokens struct {
	Key Key
	KV  kv.Store // revoked token ids live here when Revocations is nil
	// Revocations, when set, is the durable record of revoked tokens (the
	// database), checked instead of KV: a Redis restarted without
	// persistence would otherwise bring logged-out tokens back.
	Revocations Revocations
	Now         func() time.Time
	// TTL is the lifetime of the tokens Issue makes and the longest Verify
	// accepts (exp − iat); 0 means AccessTokenTTL. A token signed with a
	// leaked or misused key cannot outlive it.
	TTL time.Duration
}

// Revocations records revoked access token ids durably.
type Revocations interface {
	RevokeAccessToken(ctx context.Context, jti string, expiresAt time.Time) error
	AccessTokenRevoked(ctx context.Context, jti string) (bool, error)
}

// ttl is the configured access-token lifetime.
func (t *Tokens) ttl() time.Duration {
	if t.TTL > 0 {
		return t.TTL
	}
	return AccessTokenTTL
}

// Claims are an access token's claims.
type Claims struct {
	jwt.RegisteredClaims
}

// Issue returns a signed access token for the account.
func (t *Tokens) Issue(accountID string) (string, time.Time, error) {
	now := t.now().Truncate(time.Second) // JWT times have whole seconds
	exp := now.Add(t.ttl())
	claims := Claims{jwt.RegisteredClaims{
		Issuer:    Issuer,
		Subject:   accountID,
		Audience:  jwt.ClaimStrings{Audience},
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(exp),
		ID:        market.NewID(),
	}}
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	tok.Header["kid"] = t.Key.ID
	s, err := tok.SignedString(t.Key.Private)
	return s, exp, err
}

var errBadToken = market.Errorf(market.EUNAUTHORIZED, msgs.BadAccessToken)

// Verify checks an access token: algorithm pinned to EdDSA, known kid,
// issuer, audience, expiry, a lifetime (exp − iat) no longer than the
// configured TTL, and not revoked.
func (t *Tokens) Verify(ctx context.Context, raw string) (*Claims, error) {
	var c Claims
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.now),
	)
	_, err := p.ParseWithClaims(raw, &c, func(tok *jwt.Token) (any, error) {
		if kid, _ := tok.Header["kid"].(string); kid != t.Key.ID {
			return nil, errors.New("unknown kid")
		}
		return t.Key.Private.Public(), nil
	})
	if err != nil || c.ID == "" || c.Subject == "" || c.IssuedAt == nil ||
		c.ExpiresAt.Time.Sub(c.IssuedAt.Time) > t.ttl() {
		return nil, errBadToken
	}
	var revoked bool
	if t.Revocations != nil {
		revoked, err = t.Revocations.AccessTokenRevoked(ctx, c.ID)
	} else {
		revoked, err = t.KV.Exists(ctx, revokedKey(c.ID))
	}
	if err != nil {
		return nil, err
	}
	if revoked {
		return nil, errBadToken
	}
	return &c, nil
}

// Revoke marks a verified token's id revoked until it would have expired.
func (t *Tokens) Revoke(ctx context.Context, c *Claims) error {
	ttl := time.Until(c.ExpiresAt.Time)
	if t.Now != nil {
		ttl = c.ExpiresAt.Time.Sub(t.Now())
	}
	if ttl <= 0 {
		return nil
	}
	if t.Revocations != nil {
		return t.Revocations.RevokeAccessToken(ctx, c.ID, c.ExpiresAt.Add(time.Minute))
	}
	return t.KV.Set(ctx, revokedKey(c.ID), ttl+time.Minute) // a minute for clock skew
}

func revokedKey(jti string) string { return "revoked:" + jti }

func (t *Tokens) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}
