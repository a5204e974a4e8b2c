package market

import (
	"testing"
	"time"
)

// TestBothKindsShareTheLifeCycle: outcomes and scenarios keep their shared
// state in one ListingMeta and move through the same rules, so the same
// actions leave the same meta and the same events, kind for kind.
func TestBothKindsShareTheLifeCycle(t *testing.T) {
	meta := ListingMeta{ID: "l1", OrgID: "org", Status: ListingDraft, Version: 1}
	o, sc := Outcome{ListingMeta: meta}, Scenario{ListingMeta: meta}
	owner, reviewer := ListingRoles{Owner: true}, ListingRoles{Reviewer: true}
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for i, step := range []struct {
		by     ListingRoles
		action ListingAction
		reason string
	}{{owner, SubmitListing, ""}, {reviewer, RejectListing, "缺少数据"}, {owner, ReviseListing, ""},
		{owner, SubmitListing, ""}, {reviewer, PublishListing, ""}, {owner, PauseListing, ""}, {owner, ResumeListing, ""}} {
		now := at.Add(time.Duration(i) * time.Hour)
		var eo, es Event
		var err error
		if o, eo, err = ApplyOutcome(o, step.by, "acc", step.action, step.reason, now); err != nil {
			t.Fatalf("outcome %s: %v", step.action, err)
		}
		if sc, es, err = ApplyScenario(sc, step.by, "acc", step.action, step.reason, now); err != nil {
			t.Fatalf("scenario %s: %v", step.action, err)
		}
		if o.ListingMeta.Status != sc.ListingMeta.Status || o.Version != sc.Version || o.RejectReason != sc.RejectReason ||
			!o.UpdatedAt.Equal(sc.UpdatedAt) {
			t.Fatalf("after %s: outcome %+v, scenario %+v", step.action, o.ListingMeta, sc.ListingMeta)
		}
		if eo.Type[len("outcome"):] != es.Type[len("scenario"):] || string(eo.Payload) != string(es.Payload) {
			t.Fatalf("after %s: events %s %s / %s %s", step.action, eo.Type, eo.Payload, es.Type, es.Payload)
		}
	}
	if o.Status != ListingPublished || o.Version != 8 || o.PublishedAt == nil || !o.PublishedAt.Equal(at.Add(4*time.Hour)) {
		t.Fatalf("end: %+v", o.ListingMeta)
	}
	// Kind-specific rules stay with the kind: only outcomes are confirmed.
	if _, _, err := ApplyScenario(sc, owner, "acc", ConfirmListing, "", at); err == nil {
		t.Fatal("a scenario was confirmed")
	}
}

// TestRedactForHidesTheReasonFromStrangers: the last rejection's reason is
// the owner's and the reviewers' business.
func TestRedactForHidesTheReasonFromStrangers(t *testing.T) {
	m := ListingMeta{OrgID: "org", RejectReason: "why"}
	mine := m
	mine.RedactFor(Actor{AccountID: "a", Memberships: []Membership{{OrgID: "org"}}})
	rev := m
	rev.RedactFor(Actor{AccountID: "r", PlatformRole: RoleReviewer})
	other := m
	other.RedactFor(Actor{AccountID: "x"})
	if mine.RejectReason != "why" || rev.RejectReason != "why" || other.RejectReason != "" {
		t.Fatalf("owner %q reviewer %q stranger %q", mine.RejectReason, rev.RejectReason, other.RejectReason)
	}
}
