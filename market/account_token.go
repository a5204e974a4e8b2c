package market

import (
	"time"

	"techbridge/market/msgs"
)

// Purposes of account tokens.
const (
	TokenVerifyEmail   = "verify_email"
	TokenResetPassword = "reset_password"
)

// Lifetimes of mailed links.
const (
	VerifyEmailTTL   = 24 * time.Hour
	ResetPasswordTTL = 30 * time.Minute
	InvitationTTL    = 14 * 24 * time.Hour
)

// AccountToken is a single-use secret mailed to an account, kept only as a
// hash: whoever reads the database cannot use it.
type AccountToken struct {
	Hash      string
	AccountID string
	Purpose   string
	Email     string // the address it was mailed to, which it proves
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
}

// AccountTokenTx persists account tokens and what a password reset revokes.
type AccountTokenTx interface {
	CreateAccountToken(t *AccountToken) error
	AccountTokenByHash(hash string) (*AccountToken, error)
	// UseAccountToken marks a token used; ECONFLICT when it was used already,
	// so two concurrent uses cannot both succeed.
	UseAccountToken(hash string, at time.Time) error
	// RevokeAccountRefreshTokens revokes every refresh-token family of the account.
	RevokeAccountRefreshTokens(accountID string, at time.Time) error
	// DeleteAccountWebSessions ends every browser session of the account.
	DeleteAccountWebSessions(accountID string) error
}

// errBadLink is the one answer for a token that is unknown, tampered with,
// used, expired or for another purpose, so none can be told apart.
var errBadLink = Refusal(EINVALID, msgs.BadLink, "token", msgs.LinkInvalid)

// spendToken loads a live token of purpose by its secret and marks it used.
func spendToken(tx Tx, secret, purpose string, now time.Time) (*AccountToken, error) {
	if secret == "" {
		return nil, errBadLink
	}
	t, err := tx.AccountTokenByHash(HashSecret(secret))
	if isNotFound(err) {
		return nil, errBadLink
	} else if err != nil {
		return nil, err
	}
	if t.Purpose != purpose || t.UsedAt != nil || !now.Before(t.ExpiresAt) {
		return nil, errBadLink
	}
	if err := tx.UseAccountToken(t.Hash, now); ErrorCode(err) == ECONFLICT {
		return nil, errBadLink
	} else if err != nil {
		return nil, err
	}
	return t, nil
}

// newAccountToken stores a fresh token and returns its secret.
func newAccountToken(tx Tx, acc *Account, purpose, email string, ttl time.Duration, now time.Time) (string, *AccountToken, error) {
	secret, hash := NewSecret()
	t := &AccountToken{Hash: hash, AccountID: acc.ID, Purpose: purpose, Email: email, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	return secret, t, tx.CreateAccountToken(t)
}
