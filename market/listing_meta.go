package market

import (
	"strings"
	"time"
)

// ListingMeta is the state every listing kind shares: identity, owner, life
// cycle, review and version. Outcome and Scenario embed it; what only one
// kind has (freshness, deadlines, confidentiality) stays on the kind.
type ListingMeta struct {
	ID           string
	OrgID        string // owning organisation; never taken from input bodies
	Status       string
	RejectReason string // the last rejection's reason, until the owner submits again
	CreatedBy    string // account id; "" for the system
	CreatedAt    time.Time
	UpdatedAt    time.Time
	PublishedAt  *time.Time // first publication
	Version      int64
}

// Meta returns the shared state, so generic listing code reaches it through
// a pointer to either kind.
func (m *ListingMeta) Meta() *ListingMeta { return m }

// newListingMeta is the state of a new draft created by actorID at now.
func newListingMeta(orgID, actorID string, now time.Time) ListingMeta {
	return ListingMeta{ID: NewID(), OrgID: orgID, Status: ListingDraft, CreatedBy: actorID,
		CreatedAt: now, UpdatedAt: now, Version: 1}
}

// RedactFor clears what only the owner and reviewers may read (the last
// rejection's reason) when the actor is neither.
func (m *ListingMeta) RedactFor(a Actor) {
	if !a.MemberOf(m.OrgID) && !a.IsReviewer() {
		m.RejectReason = ""
	}
}

// event is the listing event of type typ on m as it stands (created,
// updated: no move, no reason).
func (m *ListingMeta) event(typ, objectType, actorID string, now time.Time) Event {
	return NewEvent(typ, actorID, objectType, m.ID, ListingEvent{OrgID: m.OrgID, Status: m.Status, Version: m.Version}, now)
}

// take applies the life-cycle rules every kind shares (status, version,
// first publication, rejection reason) and returns the event to append; m
// is left as it was on error. The kind adds its own effects after it.
func (m *ListingMeta) take(objectType string, by ListingRoles, actorID string, action ListingAction, reason string, now time.Time) (Event, error) {
	to, err := NextListingStatus(objectType, m.Status, action, by, reason)
	if err != nil {
		return Event{}, err
	}
	from := m.Status
	m.Status, m.UpdatedAt = to, now
	m.Version++
	switch action {
	case PublishListing:
		if m.PublishedAt == nil {
			t := now
			m.PublishedAt = &t
		}
		m.RejectReason = ""
	case RejectListing:
		m.RejectReason = strings.TrimSpace(reason)
	case ReviseListing:
		// The reason stays visible on the draft until the next submission.
	case SubmitListing:
		m.RejectReason = ""
	}
	return NewEvent(listingEventType(objectType, action, to), actorID, objectType, m.ID,
		ListingEvent{OrgID: m.OrgID, Status: to, From: from, Version: m.Version, Reason: m.RejectReason}, now), nil
}
