package market

import "time"

// DealTx persists deals, their message threads and organisations' NDAs.
type DealTx interface {
	// CreateDeal inserts d; ErrOpenDealExists when the buyer already has an
	// open deal on the same listing.
	CreateDeal(d *Deal) error
	DealByID(id string) (*Deal, error)
	// UpdateDeal writes d when the stored version is d.Version-1 (what
	// ApplyDeal returns); ECONFLICT when another request changed it first.
	UpdateDeal(d *Deal) error
	// ListDeals returns deals one of f.OrgIDs takes part in, newest first.
	ListDeals(f DealFilter) ([]Deal, error)
	// DealCounts counts the signed and completed deals of an organisation,
	// as a party and as an intermediary (see TrackRecord).
	DealCounts(orgID string) (*TrackRecord, error)
	// IdleDealIDs returns up to limit deals in DealExpirableStates whose
	// last activity is before the given time.
	IdleDealIDs(before time.Time, limit int) ([]string, error)

	AddDealMessage(m *DealMessage) error
	// DealMessages returns a deal's thread, oldest first, up to limit.
	DealMessages(dealID string, limit int) ([]DealMessage, error)

	// CreateNDA stores a new NDA version; ECONFLICT when the version exists.
	CreateNDA(n *NDA) error
	// CurrentNDA returns an organisation's newest NDA; ENOTFOUND when none.
	CurrentNDA(orgID string) (*NDA, error)
	// NDAAcceptedForOutcome reports whether one of orgIDs accepted, as the
	// buyer of a deal on the outcome, that deal's NDA.
	NDAAcceptedForOutcome(outcomeID string, orgIDs []string) (bool, error)
}

// DealFilter selects deals for a list.
type DealFilter struct {
	OrgIDs []string // deals where one of these is a party or the intermediary; nil = all (admins)
	Role   string   // "" any, or DealRoleBuyer, DealRoleSeller, DealRoleIntermediary
	State  string   // "" any
	After  string   // cursor: the id of the last deal of the previous page
	Limit  int
}

// DealMessage is one message of a deal's thread.
type DealMessage struct {
	ID              string
	DealID          string
	AuthorOrgID     string
	AuthorRole      string
	AuthorAccountID string
	Body            string
	CreatedAt       time.Time
}
