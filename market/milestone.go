package market

import (
	"strings"
	"techbridge/market/msgs"
	"time"
	"unicode/utf8"
)

// Milestone states. Released and refunded are final; disputed freezes the
// milestone until an admin settles it.
const (
	MilestonePending          = "pending"
	MilestoneFunded           = "funded"
	MilestoneDelivered        = "delivered"
	MilestoneChangesRequested = "changes_requested"
	MilestoneAccepted         = "accepted"
	MilestoneReleased         = "released"
	MilestoneRefunded         = "refunded" // every funded minor unit went back to the buyer
	MilestoneDisputed         = "disputed"
)

// MilestoneRole is the part an actor plays towards a milestone; the service
// derives it from the deal with MilestoneRoleOf.
type MilestoneRole string

// Milestone roles.
const (
	MilestoneByBuyer        MilestoneRole = "buyer"
	MilestoneBySeller       MilestoneRole = "seller"
	MilestoneByIntermediary MilestoneRole = "intermediary" // may watch, never act
	MilestoneByAdmin        MilestoneRole = "admin"
	MilestoneBySystem       MilestoneRole = "system" // the platform itself, e.g. a provider webhook
	MilestoneByNobody       MilestoneRole = ""       // an actor with no part in the deal
)

// MaxMilestoneNote bounds delivery notes, change requests and dispute reasons.
const MaxMilestoneNote = 4000

// Milestone is one paid step of a signed contract. Amount is its price, its
// slice of the contract value; the buyer funds Amount plus any buyer-borne
// intermediary fee (ledger.Split says how much), so Funded ≥ Amount.
type Milestone struct {
	ID           string
	DealID       string
	Seq          int // 1, 2, 3 … in contract order; fixes its slice of the fee
	Title        string
	Deliverable  string
	Due          time.Time // a date, midnight UTC; informative, no transition depends on it
	Amount       int64
	Currency     string
	State        string
	Funded       int64  // what the buyer paid into escrow; 0 until funded
	Refunded     int64  // cumulative refunds; never above Funded
	DeliveryNote string // the seller's latest delivery note
	ChangesNote  string // the buyer's latest change request
	DisputeNote  string
	DisputedFrom string // the state a dispute froze, kept for the record
	Version      int64  // optimistic concurrency: each transition adds one
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// NewMilestone validates and returns a pending milestone at version 1.
func NewMilestone(dealID string, seq int, title string, amount int64, currency string, now time.Time) (Milestone, error) {
	var f Fields
	title = strings.TrimSpace(title)
	if dealID == "" {
		f.Add("deal_id", msgs.Required)
	}
	if seq < 1 {
		f.Add("seq", msgs.OneOrMore)
	}
	if title == "" || utf8.RuneCountInString(title) > 200 {
		f.Add("title", msgs.Chars1To200)
	}
	if amount <= 0 {
		f.Add("amount", msgs.PositiveNumberMinorUnits)
	}
	if !ValidCurrencyCode(currency) {
		f.Add("currency", msgs.ISO4217CodeSuchAsCNY)
	}
	if err := f.Err(); err != nil {
		return Milestone{}, err
	}
	now = now.UTC()
	return Milestone{ID: NewID(), DealID: dealID, Seq: seq, Title: title, Amount: amount,
		Currency: currency, State: MilestonePending, Version: 1, CreatedAt: now, UpdatedAt: now}, nil
}

// Remaining returns what the escrow still holds for the milestone.
func (m Milestone) Remaining() int64 { return m.Funded - m.Refunded }

// Final reports whether no more money can move for the milestone.
func (m Milestone) Final() bool {
	return m.State == MilestoneReleased || m.State == MilestoneRefunded
}

// MilestonesClosed reports whether every milestone is final (released or
// refunded, by a refund or a settlement). A deal with no milestones is not.
func MilestonesClosed(ms []Milestone) bool {
	for _, m := range ms {
		if !m.Final() {
			return false
		}
	}
	return len(ms) > 0
}

// MilestonesCompleted reports whether a deal counts as completed: every
// milestone is closed and at least one was released, so the seller was paid
// for something. A deal whose milestones were all refunded is closed but not
// completed; the deal life cycle should cancel it instead.
func MilestonesCompleted(ms []Milestone) bool {
	if !MilestonesClosed(ms) {
		return false
	}
	for _, m := range ms {
		if m.State == MilestoneReleased {
			return true
		}
	}
	return false
}

// MilestoneRoleOf returns the role the actor plays for a deal's milestones.
// Membership of a party comes first here, so an admin who is a member acts
// as that party; settling is the exception (Service.settlingAdmin), where
// the platform role wins and the membership goes on the record.
func MilestoneRoleOf(a Actor, buyerOrgID, sellerOrgID, intermediaryOrgID string) MilestoneRole {
	switch {
	case a.Anonymous():
		return MilestoneByNobody
	case a.MemberOf(buyerOrgID):
		return MilestoneByBuyer
	case a.MemberOf(sellerOrgID):
		return MilestoneBySeller
	case intermediaryOrgID != "" && a.MemberOf(intermediaryOrgID):
		return MilestoneByIntermediary
	case a.IsAdmin():
		return MilestoneByAdmin
	}
	return MilestoneByNobody
}
