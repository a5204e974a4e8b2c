package market

import (
	"context"
	"techbridge/market/msgs"
)

// SystemActor is the operator behind admin CLI commands (import, seed): a
// platform admin without an account. Its events carry an empty actor id,
// which the log reads as "the system". Never built from a request.
var SystemActor = Actor{PlatformRole: RoleAdmin}

// Page is one page of a list. No list counts its matches (a count reads
// every matching row): Total is exact when Counted, taken from counts the
// store keeps with every write, which cover a list filtered by status and
// at most one other dimension (field, TRL range, kind, owner, scenario);
// any other filter leaves Counted false and the page says only HasMore.
type Page[T any] struct {
	Items   []T
	Total   int
	Counted bool
	// HasMore is true when another page follows; NextCursor is its cursor.
	HasMore    bool
	NextCursor string
}

// MaxListOffset caps a list's Offset: an OFFSET read walks every skipped
// row, so numbered pages stop here and deeper reads take the cursor.
const MaxListOffset = 1000

// MaxHistory caps the events a history answer returns.
const MaxHistory = 500

// ndaLookup is implemented by stores that know about deals: it reports
// whether one of orgIDs accepted the NDA of a deal on the outcome, which
// lifts the confidentiality of its details. Stores without deals leave it
// out and confidential details stay with owners and reviewers.
type ndaLookup interface {
	NDAAcceptedForOutcome(outcomeID string, orgIDs []string) (bool, error)
}

// checkVersion refuses a stale write before it is attempted: version is
// what the caller last read (0 = not stated).
func checkVersion(what string, stored, version int64) error {
	if version != 0 && version != stored {
		return StaleVersion(msgs.XAtVersionNNotN, what, stored, version)
	}
	return nil
}

// orgForListing loads the organisation an actor writes a listing for and
// checks membership (admins act for any organisation).
func orgForListing(tx Tx, actor Actor, orgID string) (*Organization, error) {
	if actor.Anonymous() && !actor.IsAdmin() {
		return nil, Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	if orgID == "" {
		return nil, Invalid("org_id", msgs.Required)
	}
	org, err := tx.OrganizationByID(orgID)
	if isNotFound(err) {
		return nil, Invalid("org_id", msgs.NoSuchOrganisation)
	} else if err != nil {
		return nil, err
	}
	if !actor.MemberOf(orgID) && !actor.IsAdmin() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyMembersOrganisationMayWriteListings)
	}
	return org, nil
}

// ReviewQueue is what waits for reviewers: listings pending review.
type ReviewQueue struct {
	Outcomes  Page[Outcome]
	Scenarios Page[Scenario]
}

// PendingReview returns the listings waiting for review, newest first, for
// reviewers and admins.
func (s *Service) PendingReview(ctx context.Context, actor Actor, limit int) (ReviewQueue, error) {
	var q ReviewQueue
	if !actor.IsReviewer() {
		return q, Errorf(EFORBIDDEN, msgs.OnlyReviewersSeeReviewQueue)
	}
	limit = ClampLimit(limit)
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		if q.Outcomes, err = tx.ListOutcomes(OutcomeFilter{Status: ListingPendingReview, Limit: limit}); err != nil {
			return err
		}
		q.Scenarios, err = tx.ListScenarios(ScenarioFilter{Status: ListingPendingReview, Limit: limit})
		return err
	})
	return q, err
}

// listingHistory returns an object's events for owners and reviewers.
func listingHistory(tx Tx, actor Actor, objectType, objectID, orgID string) ([]Event, error) {
	if !actor.MemberOf(orgID) && !actor.IsReviewer() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyOwnerAndReviewersSeeListing)
	}
	return tx.ObjectEvents(objectType, objectID, MaxHistory)
}

// visibleStatuses narrows a list's statuses to what the actor may see: all
// for reviewers and for members listing their own organisation; published
// only for everyone else. A request for other statuses is refused.
func visibleStatuses(actor Actor, orgID, status string) (string, error) {
	if actor.IsReviewer() || (orgID != "" && actor.MemberOf(orgID)) {
		if status != "" && !oneOf(status, ListingStatuses) {
			return "", Invalid("status", msgs.UnknownStatusX, status)
		}
		return status, nil
	}
	if status != "" && status != ListingPublished {
		return "", Errorf(EFORBIDDEN, msgs.OnlyOwnerAndReviewersMayList, status)
	}
	return ListingPublished, nil
}

// nextCursor is the cursor after a full page.
