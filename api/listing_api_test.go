package api

import (
	"errors"
	"strings"
	"testing"

	"techbridge/market"
)

// TestListingAnswersHideRejectReasonFromStrangers: both kinds answer the
// last rejection's reason to the owner and reviewers only (scenario answers
// used to show it to everyone).
func TestListingAnswersHideRejectReasonFromStrangers(t *testing.T) {
	meta := market.ListingMeta{ID: "l1", OrgID: "org", Status: market.ListingDraft, RejectReason: "缺少预算说明", Version: 3}
	owner := market.Actor{AccountID: "a1", Memberships: []market.Membership{{OrgID: "org"}}}
	reviewer := market.Actor{AccountID: "r1", PlatformRole: market.RoleReviewer}
	stranger := market.Actor{AccountID: "s1", Memberships: []market.Membership{{OrgID: "other"}}}
	for _, c := range []struct {
		name string
		a    market.Actor
		want string
	}{{"owner", owner, meta.RejectReason}, {"reviewer", reviewer, meta.RejectReason}, {"stranger", stranger, ""},
		{"anonymous", market.Actor{}, ""}} {
		o := toOutcomeResponse(&market.Outcome{ListingMeta: meta}, c.a)
		sc := toScenarioResponse(&market.Scenario{ListingMeta: meta}, c.a)
		if o.RejectReason != c.want || sc.RejectReason != c.want {
			t.Errorf("%s: outcome reason %q, scenario reason %q, want %q", c.name, o.RejectReason, sc.RejectReason, c.want)
		}
		if o.ID != "l1" || sc.Version != 3 {
			t.Errorf("%s: meta not answered: %+v %+v", c.name, o.listingMetaResponse, sc.listingMetaResponse)
		}
	}
}

// TestStrictDecoderReadsEmbeddedParts: a listing body's embedded parts
// (languages, money) are fields of the body to the strict decoder, and an
// unknown field is still refused by name.
func TestStrictDecoderReadsEmbeddedParts(t *testing.T) {
	var req outcomeRequest
	if err := decodeJSON(strings.NewReader(`{"title":"t","negotiable":true,"currency":"CNY","languages":["zh"],"title_alt":"T"}`), &req); err != nil {
		t.Fatal(err)
	}
	if !req.Negotiable || req.Currency != "CNY" || req.TitleAlt != "T" || len(req.Languages) != 1 {
		t.Fatalf("decoded %+v", req)
	}
	err := decodeJSON(strings.NewReader(`{"title":"t","status":"published"}`), &req)
	var e *market.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "status" {
		t.Fatalf("unknown field: %v", err)
	}
}
