package market

import (
	"regexp"
	"strings"
	"techbridge/market/msgs"
	"time"
)

// Listing object types, as recorded on events: the search indexer reloads
// the object named by (ObjectType, ObjectID).
const (
	OutcomeObjectType  = "outcome"
	ScenarioObjectType = "scenario"
	ProposalObjectType = "proposal"
)

// Listing statuses, shared by outcomes and scenarios. Transferred ends an
// outcome, awarded a scenario.
const (
	ListingDraft         = "draft"
	ListingPendingReview = "pending_review"
	ListingPublished     = "published"
	ListingPaused        = "paused"
	ListingRejected      = "rejected"
	ListingClosed        = "closed"
	ListingTransferred   = "transferred" // outcomes only
	ListingAwarded       = "awarded"     // scenarios only
)

// ListingStatuses lists every listing status, for filters and validation.
var ListingStatuses = []string{ListingDraft, ListingPendingReview, ListingPublished, ListingPaused,
	ListingRejected, ListingClosed, ListingTransferred, ListingAwarded}

// ListingAction is a request to move a listing through its life cycle.
type ListingAction string

// Listing actions. Owners submit, withdraw, revise, pause, resume, close,
// confirm and mark transferred; reviewers publish and reject. Award is taken
// by the service when a scenario's owner awards a proposal, never directly.
const (
	SubmitListing   ListingAction = "submit"   // draft → pending_review
	WithdrawListing ListingAction = "withdraw" // pending_review → draft
	PublishListing  ListingAction = "publish"  // pending_review → published
	RejectListing   ListingAction = "reject"   // pending_review → rejected, with a reason
	ReviseListing   ListingAction = "revise"   // rejected → draft
	PauseListing    ListingAction = "pause"    // published → paused
	ResumeListing   ListingAction = "resume"   // paused → published
	CloseListing    ListingAction = "close"    // draft, rejected, published, paused → closed
	MarkTransferred ListingAction = "transfer" // outcome: published, paused → transferred
	ConfirmListing  ListingAction = "confirm"  // outcome: published stays published, fresh again
	AwardListing    ListingAction = "award"    // scenario: published, paused → awarded
)

// ListingActions are the actions callers may request by name (award comes
// from proposals).
var ListingActions = []ListingAction{SubmitListing, WithdrawListing, PublishListing, RejectListing,
	ReviseListing, PauseListing, ResumeListing, CloseListing, MarkTransferred, ConfirmListing}

// ListingRoles is what the actor is to one listing: a member of its owning
// organisation, a platform reviewer (admins are reviewers), or both.
type ListingRoles struct {
	Owner    bool
	Reviewer bool
}

// ListingRolesOf returns the actor's roles towards a listing of orgID.
func ListingRolesOf(a Actor, orgID string) ListingRoles {
	return ListingRoles{Owner: a.MemberOf(orgID), Reviewer: a.IsReviewer()}
}

// listingMove is one edge of the life cycle.
type listingMove struct {
	action   ListingAction
	from     []string
	to       string
	reviewer bool   // taken by reviewers; otherwise by owners
	only     string // "" for both kinds, or the one object type it applies to
}

var listingMoves = []listingMove{
	{SubmitListing, []string{ListingDraft}, ListingPendingReview, false, ""},
	{WithdrawListing, []string{ListingPendingReview}, ListingDraft, false, ""},
	{PublishListing, []string{ListingPendingReview}, ListingPublished, true, ""},
	{RejectListing, []string{ListingPendingReview}, ListingRejected, true, ""},
	{ReviseListing, []string{ListingRejected}, ListingDraft, false, ""},
	{PauseListing, []string{ListingPublished}, ListingPaused, false, ""},
	{ResumeListing, []string{ListingPaused}, ListingPublished, false, ""},
	{CloseListing, []string{ListingDraft, ListingRejected, ListingPublished, ListingPaused}, ListingClosed, false, ""},
	{MarkTransferred, []string{ListingPublished, ListingPaused}, ListingTransferred, false, OutcomeObjectType},
	{ConfirmListing, []string{ListingPublished}, ListingPublished, false, OutcomeObjectType},
	{AwardListing, []string{ListingPublished, ListingPaused}, ListingAwarded, false, ScenarioObjectType},
}

// NextListingStatus is the life cycle of outcomes and scenarios as a pure
// function: the status that action by an actor with roles takes a listing
// of objectType (OutcomeObjectType or ScenarioObjectType) to from status
// from. Errors: EINVALID for an unknown action or a missing rejection
// reason, EFORBIDDEN when the roles do not allow the action, ECONFLICT when
// the status does not.
func NextListingStatus(objectType, from string, action ListingAction, by ListingRoles, reason string) (string, error) {
	for _, m := range listingMoves {
		if m.action != action || (m.only != "" && m.only != objectType) {
			continue
		}
		switch {
		case m.reviewer && !by.Reviewer:
			return "", Errorf(EFORBIDDEN, msgs.OnlyReviewersMayXListing, msgs.Term{Kind: "listing.action", Value: string(action)})
		case !m.reviewer && !by.Owner:
			return "", Errorf(EFORBIDDEN, msgs.OnlyOwningOrganisationMayXListing, msgs.Term{Kind: "listing.action", Value: string(action)})
		}
		if !oneOf(from, m.from) {
			return "", Errorf(ECONFLICT, msgs.XXCannotX,
				msgs.Term{Kind: "listing.status", Value: from, English: strings.ReplaceAll(from, "_", " ")},
				msgs.Term{Kind: "search.kind", Value: objectType},
				msgs.Term{Kind: "listing.action", Value: string(action), English: pastTense(action)})
		}
		if action == RejectListing && strings.TrimSpace(reason) == "" {
			return "", Invalid("reason", msgs.RejectionNeedsReasonOwnerCanAct)
		}
		return m.to, nil
	}
	return "", Invalid("action", msgs.UnknownActionXForX, action, objectType)
}

func pastTense(a ListingAction) string {
	switch a {
	case SubmitListing:
		return "submitted"
	case WithdrawListing:
		return "withdrawn"
	case MarkTransferred:
		return "marked transferred"
	case RejectListing:
		return "rejected"
	case ConfirmListing:
		return "confirmed"
	case CloseListing:
		return "closed"
	}
	return string(a) + "d"
}

// listingEventType names the event of an action on an object type, such as
// "outcome.published".
func listingEventType(objectType string, action ListingAction, to string) string {
	switch action {
	case SubmitListing:
		return objectType + ".submitted"
	case WithdrawListing:
		return objectType + ".withdrawn"
	case ReviseListing:
		return objectType + ".revised"
	case ResumeListing:
		return objectType + ".resumed"
	case ConfirmListing:
		return objectType + ".confirmed"
	}
	return objectType + "." + to
}

// ListingEvent is the payload of every listing event; OrgID and Status let
// consumers act without reloading, Version lets the indexer drop stale work.
type ListingEvent struct {
	OrgID   string `json:"org_id"`
	Status  string `json:"status"`
	From    string `json:"from,omitempty"`
	Version int64  `json:"version"`
	Reason  string `json:"reason,omitempty"`
	Source  string `json:"source,omitempty"` // "import" for bulk imports
}

// Money is an amount range in minor units of an ISO 4217 currency;
// Negotiable means no figure is stated and Min and Max are 0.
type Money struct {
	Min        int64
	Max        int64
	Currency   string
	Negotiable bool
}

// DefaultCurrency is used when a listing states none.
const DefaultCurrency = "CNY"

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// normalizeMoney fills the currency and treats a range with no figures as
// negotiable.
func normalizeMoney(m *Money) {
	m.Currency = strings.ToUpper(strings.TrimSpace(m.Currency))
	if m.Currency == "" {
		m.Currency = DefaultCurrency
	}
	if m.Min == 0 && m.Max == 0 {
		m.Negotiable = true
	}
	if m.Negotiable {
		m.Min, m.Max = 0, 0
	}
}

// validateMoney checks a normalised range; prefix names the fields
// ("price" gives price_min, price_max, currency).
func validateMoney(f *Fields, prefix string, m Money) {
	if !currencyPattern.MatchString(m.Currency) {
		f.Add("currency", msgs.ISO4217CodeSuchAsCNY)
	}
	if m.Negotiable {
		return
	}
	switch {
	case m.Min < 0:
		f.Add(prefix+"_min", msgs.NotNegative)
	case m.Max < 0:
		f.Add(prefix+"_max", msgs.NotNegative)
	case m.Max > 0 && m.Min > m.Max && prefix == "budget":
		f.Add(prefix+"_min", msgs.NotExceedBudgetMax)
	case m.Max > 0 && m.Min > m.Max:
		f.Add(prefix+"_min", msgs.NotExceedPriceMax)
	}
}

// Text limits, in characters.
const (
	MaxTitle       = 200
	MaxSummary     = 4000
	MaxDescription = 20000
	MaxKeywords    = 30
	MaxKeyword     = 60
	MaxIPCCodes    = 20
	MaxExternalID  = 100
	MaxReason      = 1000
	MaxRegion      = 100
)

// trimAll trims each of the strings in place.
func trimAll(ps ...*string) {
	for _, p := range ps {
		*p = strings.TrimSpace(*p)
	}
}

// checkTitle requires a listing's title, at most MaxTitle characters.
func checkTitle(f *Fields, title string) {
	if title == "" {
		f.Add("title", msgs.Required)
	}
	checkLen(f, "title", title, MaxTitle)
}

// normalizeList trims items, drops empty ones and duplicates, keeping order.
func normalizeList(in []string) []string {
	out := make([]string, 0, len(in))
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// validateKeywords checks the count and length of keywords.
func validateKeywords(f *Fields, kws []string) {
	if len(kws) > MaxKeywords {
		f.Add("keywords", msgs.AtMostNKeywords, MaxKeywords)
	}
	for _, k := range kws {
		if len([]rune(k)) > MaxKeyword {
			f.Add("keywords", msgs.EachKeywordAtMostNCharacters, MaxKeyword)
			break
		}
	}
}

// normalizeIPCList canonicalises IPC codes, recording the first malformed one.
func normalizeIPCList(f *Fields, codes []string) []string {
	codes = normalizeList(codes)
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		n, ok := NormalizeIPC(c)
		if !ok {
			f.Add("ipc", msgs.XNotIPCSubclassOrGroup, c)
			return nil
		}
		if !oneOf(n, out) {
			out = append(out, n)
		}
	}
	if len(out) > MaxIPCCodes {
		f.Add("ipc", msgs.AtMostNCodes, MaxIPCCodes)
	}
	return out
}

// dateUTC truncates t to its UTC date, the precision of fresh_until and
// deadlines.
func dateUTC(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
