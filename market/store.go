package market

import (
	"context"
	"time"
)

// Store is the persistence the market services need. Every public service
// method runs in one Update or View, so a state change and its events commit
// together.
type Store interface {
	// Update runs fn in a read-write transaction, committed when fn returns nil.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error
	// Read runs fn without a transaction: each statement sees what is
	// committed when it runs. For reads of one statement (no BEGIN/COMMIT
	// around it, one round trip) or whose statements need no common snapshot.
	Read(ctx context.Context, fn func(Tx) error) error
	// Ping checks the database is reachable.
	Ping(ctx context.Context) error
	// Dialect names the engine: "sqlite" or "postgres".
	Dialect() string
	Close() error
}

// StatsRefresher is a Store whose query planner keeps statistics of the
// listing tables, refreshed after a bulk write changed them much.
type StatsRefresher interface {
	RefreshListingStats(ctx context.Context) error
}

// Tx is one transaction; each area of the market adds its methods through an
// embedded interface. Methods use the context the transaction was opened with.
type Tx interface {
	AccountTx
	OrgTx
	TokenTx
	RevocationTx
	EventTx
	ListingTx
	LedgerTx
	PaymentTx
	LeaseTx
	DealTx
	MilestoneTx
	NotificationTx
	AccountTokenTx
	InvitationTx
	MailTx
	OrgVerificationTx
	DigestTx
	StatsTx
	BankStatementTx
	RegistrationTx
}

// AccountTx persists accounts and memberships.
type AccountTx interface {
	// CreateAccount inserts a; ECONFLICT when the email is taken.
	CreateAccount(a *Account) error
	AccountByID(id string) (*Account, error)
	AccountByEmail(email string) (*Account, error)
	SetPlatformRole(accountID, role string) error
	// SetAccountEmail sets the email and when it was verified (nil =
	// unverified); ECONFLICT when another account has the email.
	SetAccountEmail(accountID, email string, verifiedAt *time.Time) error
	SetPasswordHash(accountID, hash string) error
	// UpdateAccountProfile writes the display name, language and mail opt-outs.
	UpdateAccountProfile(a *Account) error
	Memberships(accountID string) ([]Membership, error)
	// AddMembership inserts or updates the role of a membership.
	AddMembership(m Membership) error
	// RemoveMembership deletes a membership; ENOTFOUND when there is none.
	RemoveMembership(accountID, orgID string) error
	// Members lists an organisation's members with their accounts.
	Members(orgID string) ([]Member, error)
}

// OrgTx persists organisations.
type OrgTx interface {
	CreateOrganization(o *Organization) error
	OrganizationByID(id string) (*Organization, error)
	// UpdateOrganization writes o if its stored version is o.Version-1;
	// ECONFLICT otherwise.
	UpdateOrganization(o *Organization) error
	ListOrganizations(f OrgFilter) ([]Organization, error)
}

// TokenTx persists refresh tokens and web sessions, by hash only.
type TokenTx interface {
	CreateRefreshToken(t *RefreshToken) error
	RefreshTokenByHash(hash string) (*RefreshToken, error)
	MarkRefreshTokenUsed(id string, at time.Time) error
	RevokeRefreshFamily(familyID string, at time.Time) error
	CreateWebSession(s *WebSession) error
	WebSessionByHash(hash string) (*WebSession, error)
	DeleteWebSession(hash string) error
}

// RevocationTx records revoked access tokens durably, so that no restart
// of a cache can bring a logged-out token back.
type RevocationTx interface {
	// RevokeAccessToken records jti as revoked until expiresAt and drops
	// records whose tokens expired before now.
	RevokeAccessToken(jti string, expiresAt, now time.Time) error
	// AccessTokenRevoked reports whether jti was revoked.
	AccessTokenRevoked(jti string) (bool, error)
}

// EventTx appends to and reads the event log.
type EventTx interface {
	// AppendEvent assigns e's Seq, PrevHash and Hash and stores it.
	AppendEvent(e *Event) error
	// EventsAfter returns up to limit events with Seq > seq, in order.
	EventsAfter(seq int64, limit int) ([]Event, error)
	// LastEventSeq returns the newest Seq, 0 for an empty log.
	LastEventSeq() (int64, error)
	// Cursor returns a named consumer position in the log; SetCursor saves it.
	Cursor(name string) (int64, error)
	SetCursor(name string, seq int64) error
}

// Member is a membership with the account's public details.
type Member struct {
	Membership
	Email       string
	DisplayName string
}

// OrgFilter selects organisations.
type OrgFilter struct {
	Verification string // "" = any
	Kind         string
	After        string // cursor: id of the last organisation of the previous page
	Limit        int
}
