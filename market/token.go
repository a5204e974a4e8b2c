package market

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// RefreshToken is an opaque, single-use token kept only as a hash. Tokens
// rotated from one login form a family; reusing a rotated token revokes the
// whole family, since it means the token was stolen.
type RefreshToken struct {
	ID        string
	FamilyID  string
	AccountID string
	Hash      string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
}

// WebSession is a browser session behind an HttpOnly cookie, kept as a hash.
type WebSession struct {
	Hash      string
	AccountID string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Token lifetimes.
const (
	RefreshTokenTTL = 30 * 24 * time.Hour
	WebSessionTTL   = 7 * 24 * time.Hour
)

// NewSecret returns 32 random bytes, URL-safe encoded, and their hash.
func NewSecret() (secret, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret is how secrets are stored: SHA-256 hex, enough for 256-bit
// random values (no password stretching needed).
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
