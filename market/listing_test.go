package market

import (
	"testing"
	"time"
)

var listingT0 = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

// TestNextListingStatus walks every (object type, status, action, roles)
// combination against the expected life cycle; anything not listed must
// fail with the stated code.
func TestNextListingStatus(t *testing.T) {
	owner := ListingRoles{Owner: true}
	reviewer := ListingRoles{Reviewer: true}
	nobody := ListingRoles{}
	type key struct {
		typ    string
		from   string
		action ListingAction
	}
	// allowed moves: to-status and who.
	allowed := map[key]struct {
		to       string
		reviewer bool
	}{}
	for _, typ := range []string{OutcomeObjectType, ScenarioObjectType} {
		allowed[key{typ, ListingDraft, SubmitListing}] = struct {
			to       string
			reviewer bool
		}{ListingPendingReview, false}
		allowed[key{typ, ListingPendingReview, WithdrawListing}] = struct {
			to       string
			reviewer bool
		}{ListingDraft, false}
		allowed[key{typ, ListingPendingReview, PublishListing}] = struct {
			to       string
			reviewer bool
		}{ListingPublished, true}
		allowed[key{typ, ListingPendingReview, RejectListing}] = struct {
			to       string
			reviewer bool
		}{ListingRejected, true}
		allowed[key{typ, ListingRejected, ReviseListing}] = struct {
			to       string
			reviewer bool
		}{ListingDraft, false}
		allowed[key{typ, ListingPublished, PauseListing}] = struct {
			to       string
			reviewer bool
		}{ListingPaused, false}
		allowed[key{typ, ListingPaused, ResumeListing}] = struct {
			to       string
			reviewer bool
		}{ListingPublished, false}
		for _, from := range []string{ListingDraft, ListingRejected, ListingPublished, ListingPaused} {
			allowed[key{typ, from, CloseListing}] = struct {
				to       string
				reviewer bool
			}{ListingClosed, false}
		}
	}
	for _, from := range []string{ListingPublished, ListingPaused} {
		allowed[key{OutcomeObjectType, from, MarkTransferred}] = struct {
			to       string
			reviewer bool
		}{ListingTransferred, false}
		allowed[key{ScenarioObjectType, from, AwardListing}] = struct {
			to       string
			reviewer bool
		}{ListingAwarded, false}
	}
	allowed[key{OutcomeObjectType, ListingPublished, ConfirmListing}] = struct {
		to       string
		reviewer bool
	}{ListingPublished, false}

	actions := append(append([]ListingAction{}, ListingActions...), AwardListing)
	moves := 0
	for _, typ := range []string{OutcomeObjectType, ScenarioObjectType} {
		for _, from := range ListingStatuses {
			for _, action := range actions {
				k := key{typ, from, action}
				want, ok := allowed[k]
				applies := actionApplies(typ, action)
				for _, who := range []struct {
					name  string
					roles ListingRoles
				}{{"owner", owner}, {"reviewer", reviewer}, {"nobody", nobody}} {
					got, err := NextListingStatus(typ, from, action, who.roles, "reason given")
					var wantCode string
					switch {
					case !applies:
						wantCode = EINVALID
					case actionIsReviewers(action) && !who.roles.Reviewer, !actionIsReviewers(action) && !who.roles.Owner:
						wantCode = EFORBIDDEN
					case !ok:
						wantCode = ECONFLICT
					}
					if ErrorCode(err) != wantCode {
						t.Errorf("%s %s %s by %s: err %v, want code %q", typ, from, action, who.name, err, wantCode)
						continue
					}
					if wantCode == "" {
						moves++
						if got != want.to {
							t.Errorf("%s %s %s by %s: to %s, want %s", typ, from, action, who.name, got, want.to)
						}
					}
				}
			}
		}
	}
	if moves != len(allowed) {
		t.Errorf("%d moves succeeded, want exactly the %d allowed ones", moves, len(allowed))
	}
}

func actionApplies(typ string, a ListingAction) bool {
	switch a {
	case MarkTransferred, ConfirmListing:
		return typ == OutcomeObjectType
	case AwardListing:
		return typ == ScenarioObjectType
	}
	return true
}

func actionIsReviewers(a ListingAction) bool { return a == PublishListing || a == RejectListing }

func TestRejectNeedsReason(t *testing.T) {
	_, err := NextListingStatus(OutcomeObjectType, ListingPendingReview, RejectListing, ListingRoles{Reviewer: true}, "  ")
	if ErrorCode(err) != EINVALID || !err.(*Error).Fields[0].is("reason") {
		t.Fatalf("reject without reason: %v", err)
	}
}

func (f FieldError) is(name string) bool { return f.Field == name }

func TestApplyOutcomeRecordsReviewAndEvent(t *testing.T) {
	o := Outcome{ListingMeta: ListingMeta{ID: "o1", OrgID: "org", Status: ListingPendingReview, Version: 3}}
	rejected, e, err := ApplyOutcome(o, ListingRoles{Reviewer: true}, "rev", RejectListing, " 缺少专利号 ", listingT0)
	if err != nil {
		t.Fatal(err)
	}
	if rejected.Status != ListingRejected || rejected.Version != 4 || rejected.RejectReason != "缺少专利号" || o.Status != ListingPendingReview {
		t.Fatalf("rejected = %+v (input changed: %v)", rejected, o.Status)
	}
	if e.Type != "outcome.rejected" || e.ObjectType != OutcomeObjectType || e.ObjectID != "o1" || e.ActorID != "rev" ||
		string(e.Payload) != `{"org_id":"org","status":"rejected","from":"pending_review","version":4,"reason":"缺少专利号"}` {
		t.Fatalf("event = %+v %s", e, e.Payload)
	}
	draft, e, _ := ApplyOutcome(rejected, ListingRoles{Owner: true}, "own", ReviseListing, "", listingT0)
	if draft.Status != ListingDraft || e.Type != "outcome.revised" || draft.RejectReason == "" {
		t.Fatalf("revised = %+v, %s", draft, e.Type)
	}
	pending, _, _ := ApplyOutcome(draft, ListingRoles{Owner: true}, "own", SubmitListing, "", listingT0)
	pub, e, _ := ApplyOutcome(pending, ListingRoles{Reviewer: true}, "rev", PublishListing, "", listingT0)
	if pub.PublishedAt == nil || !pub.PublishedAt.Equal(listingT0) || pub.RejectReason != "" || e.Type != "outcome.published" || pub.Version != 7 {
		t.Fatalf("published = %+v", pub)
	}
	later := listingT0.Add(48 * time.Hour)
	paused, _, _ := ApplyOutcome(pub, ListingRoles{Owner: true}, "own", PauseListing, "", later)
	resumed, _, _ := ApplyOutcome(paused, ListingRoles{Owner: true}, "own", ResumeListing, "", later)
	if !resumed.PublishedAt.Equal(listingT0) {
		t.Fatalf("resume moved the first publication to %v", resumed.PublishedAt)
	}
}

func TestOutcomeStaleAndConfirm(t *testing.T) {
	o := Outcome{ListingMeta: ListingMeta{Status: ListingPublished}, FreshUntil: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}
	if !o.Stale(listingT0) {
		t.Fatal("published outcome past fresh_until is not stale")
	}
	if o2 := (Outcome{ListingMeta: ListingMeta{Status: ListingPublished}, FreshUntil: dateUTC(listingT0)}); o2.Stale(listingT0) {
		t.Fatal("fresh_until today is stale already")
	}
	if o3 := (Outcome{ListingMeta: ListingMeta{Status: ListingPaused}, FreshUntil: o.FreshUntil}); o3.Stale(listingT0) {
		t.Fatal("a paused outcome is reported stale")
	}
	confirmed, e, err := ApplyOutcome(o, ListingRoles{Owner: true}, "own", ConfirmListing, "", listingT0)
	if err != nil || confirmed.Stale(listingT0) || confirmed.Status != ListingPublished || e.Type != "outcome.confirmed" ||
		!confirmed.FreshUntil.Equal(dateUTC(listingT0.Add(DefaultFreshness))) {
		t.Fatalf("confirmed = %+v, %v", confirmed, err)
	}
}

func TestTeaserHidesDetails(t *testing.T) {
	o := Outcome{Title: "t", Summary: "s", Description: "secret", PatentNumbers: []string{"CN1"}, ExternalID: "REF",
		Confidentiality: ConfidentialityTeaser}
	tz := o.Teaser()
	if tz.Description != "" || tz.PatentNumbers != nil || tz.ExternalID != "" || tz.Title != "t" || tz.Summary != "s" {
		t.Fatalf("teaser = %+v", tz)
	}
	if o.Description != "secret" {
		t.Fatal("teaser changed the original")
	}
	o.Confidentiality = ConfidentialityPublic
	if o.Teaser().Description != "secret" {
		t.Fatal("public outcome lost its description")
	}
}
