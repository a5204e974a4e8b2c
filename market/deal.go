package market

import (
	"slices"
	"techbridge/market/msgs"
	"time"
)

// Deal states. The first five are the pre-contract life cycle; declined,
// cancelled and expired end a deal before signing. The payments module adds
// the rules for in_progress, completed and disputed; they are named here so
// stores and pages can already store and show them.
const (
	DealInquiry         = "inquiry"          // the buyer asked; the seller has not answered
	DealNDA             = "nda"              // accepted, waiting for the buyer to accept the NDA
	DealNegotiation     = "negotiation"      // offers and counter-offers
	DealContractDrafted = "contract_drafted" // an offer was accepted; waiting for signatures
	DealSigned          = "signed"           // both parties signed; the contract is immutable
	DealDeclined        = "declined"         // the seller declined the inquiry
	DealCancelled       = "cancelled"        // a party cancelled before signing
	DealExpired         = "expired"          // no activity for the configured time
	DealInProgress      = "in_progress"      // payments module: milestones running
	DealCompleted       = "completed"        // payments module: every milestone released
	DealDisputed        = "disputed"         // payments module: an admin settles it
)

// DealClosedStates are the states in which a deal no longer blocks a new one
// for the same buyer and listing; the store's partial unique index on
// (buyer_org_id, source, listing_id) excludes exactly these.
var DealClosedStates = []string{DealDeclined, DealCancelled, DealExpired, DealCompleted}

// DealExpirableStates are the states before signing: a party may still
// cancel and the sweeper may expire (it selects state IN these AND
// last_activity_at older than the configured idle time).
var DealExpirableStates = []string{DealInquiry, DealNDA, DealNegotiation, DealContractDrafted}

// Where a deal came from.
const (
	DealFromOutcome  = "outcome"  // a buyer's inquiry on a published outcome; ListingID is the outcome
	DealFromProposal = "proposal" // a scenario owner's award; ListingID is the proposal
)

// Deal is a negotiation between a buyer and a seller organisation, optionally
// brokered by an intermediary, that ends in a signed contract or not at all.
//
// Deals change only through ApplyDeal (and the Open… constructors), which
// return a new Deal with Version+1. The store persists it with optimistic
// concurrency: UPDATE deals SET … , version = $new WHERE id = $id AND
// version = $old; when no row matches, another request won the race and the
// store returns ECONFLICT so the loser reloads and retries or reports.
type Deal struct {
	ID            string
	Version       int64
	State         string
	Source        string // DealFromOutcome or DealFromProposal
	ListingID     string // outcome id, or proposal id for DealFromProposal
	ScenarioID    string // the scenario a proposal answered; "" for outcome deals
	BuyerOrgID    string
	SellerOrgID   string
	OpenedByRole  string // the role that opened the deal; the other side answers the inquiry
	Intermediary  *Intermediary
	NDA           *NDA // snapshot of the seller's NDA for confidential outcomes; nil otherwise
	NDAAcceptance *NDAAcceptance
	Offers        []Offer // every offer in order; Offers[i].Number == i+1
	Contract      *Contract
	Signatures    []Signature // signatures on Contract.Hash; at most one per party
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// LastActivityAt is when a participant last did anything; expiry counts from it.
	LastActivityAt time.Time
	SignedAt       time.Time
	ClosedAt       time.Time // when declined, cancelled or expired
	CloseReason    string
}

// Roles an actor can have in a deal.
const (
	DealRoleBuyer        = "buyer"
	DealRoleSeller       = "seller"
	DealRoleIntermediary = "intermediary"
	DealRoleAdmin        = "admin"  // a platform admin: reads everything, acts on nothing but expiry
	DealRoleSystem       = "system" // the platform itself, e.g. the expiry sweeper
	DealRoleOther        = "other"  // anyone else: the deal does not exist for them
)

// DealActor is who performs a deal action: the acting organisation and
// account, their role in this deal, and whether the account may sign for the
// organisation (the service decides that from membership, see ActorFor).
type DealActor struct {
	OrgID     string
	AccountID string
	Role      string
	Signatory bool
}

// IsOpen reports whether the deal still blocks a new deal for the same buyer
// and listing.
func (d Deal) IsOpen() bool { return !slices.Contains(DealClosedStates, d.State) }

// RoleOf returns the role orgID has in the deal, DealRoleOther when none.
func (d Deal) RoleOf(orgID string) string {
	switch {
	case orgID == "":
		return DealRoleOther
	case orgID == d.BuyerOrgID:
		return DealRoleBuyer
	case orgID == d.SellerOrgID:
		return DealRoleSeller
	case d.Intermediary != nil && orgID == d.Intermediary.OrgID && d.Intermediary.Status != IntermediaryRequested:
		return DealRoleIntermediary // a broker that only asked to join takes no part yet
	}
	return DealRoleOther
}

// ActorFor builds the DealActor for account a acting for orgID. A member acts
// in the org's role and may sign when they own the org; an admin who is not a
// party acts as DealRoleAdmin; anyone else is DealRoleOther.
func (d Deal) ActorFor(a Actor, orgID string) DealActor {
	if role := d.RoleOf(orgID); role != DealRoleOther && a.MemberOf(orgID) {
		return DealActor{OrgID: orgID, AccountID: a.AccountID, Role: role, Signatory: a.OwnerOf(orgID)}
	}
	if a.IsAdmin() {
		return DealActor{AccountID: a.AccountID, Role: DealRoleAdmin}
	}
	return DealActor{OrgID: orgID, AccountID: a.AccountID, Role: DealRoleOther}
}

// VisibleTo reports whether the actor may read the deal at all: the parties,
// an invited or active intermediary, and admins.
func (d Deal) VisibleTo(a DealActor) bool { return d.checkActor(a) == nil && a.Role != DealRoleSystem }

// LatestOffer returns the newest offer, or nil before the first one.
func (d Deal) LatestOffer() *Offer {
	if len(d.Offers) == 0 {
		return nil
	}
	return &d.Offers[len(d.Offers)-1]
}

// SignatureOf returns the signature of the party with role, or nil.
func (d Deal) SignatureOf(role string) *Signature {
	for i := range d.Signatures {
		if d.Signatures[i].Role == role {
			return &d.Signatures[i]
		}
	}
	return nil
}

// ErrOpenDealExists is the error for a second open deal on the same listing
// by the same buyer; the store returns it when its unique index refuses one.
func ErrOpenDealExists(existingDealID string) error {
	return Errorf(ECONFLICT, msgs.OpenDealXAlreadyExistsFor, existingDealID)
}

// CheckNoOpenDeal returns ErrOpenDealExists when one of existing is an open
// deal of buyerOrgID on the listing (source, listingID).
func CheckNoOpenDeal(existing []Deal, buyerOrgID, source, listingID string) error {
	for _, d := range existing {
		if d.IsOpen() && d.BuyerOrgID == buyerOrgID && d.Source == source && d.ListingID == listingID {
			return ErrOpenDealExists(d.ID)
		}
	}
	return nil
}

// clone copies everything a transition may change, so the input deal is never
// modified; offers' terms and the contract are immutable and may be shared.
func (d Deal) clone() Deal {
	c := d
	c.Offers = slices.Clone(d.Offers)
	c.Signatures = slices.Clone(d.Signatures)
	if d.Intermediary != nil {
		im := *d.Intermediary
		c.Intermediary = &im
	}
	if d.NDAAcceptance != nil {
		acc := *d.NDAAcceptance
		c.NDAAcceptance = &acc
	}
	return c
}
