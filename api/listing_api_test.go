package api

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// TestListSortsOverHTTP: GET /outcomes and /scenarios take the browse
// pages' sorts, page a sorted list by offset (no next_cursor), and refuse
// an unknown sort, a cursor with a sort and an offset past the cap as
// problems naming the parameter with its message code.
func TestListSortsOverHTTP(t *testing.T) {
	w := newWorld(t)
	e := w.e
	ctx := context.Background()
	owner, admin := e.actorOf("member@a.example.cn"), e.actorOf("admin@techbridge.test")
	byTRL := map[int]string{}
	for _, trl := range []int{3, 8, 5} {
		o, err := e.svc.CreateOutcome(ctx, owner, w.orgA.ID, market.OutcomeInput{Title: fmt.Sprintf("成果 TRL %d", trl),
			Summary: "摘要", TRL: &trl, IPType: market.IPInventionPatent})
		if err == nil {
			o, err = e.svc.TransitionOutcome(ctx, owner, o.ID, o.Version, market.SubmitListing, "")
		}
		if err == nil {
			_, err = e.svc.TransitionOutcome(ctx, admin, o.ID, o.Version, market.PublishListing, "")
		}
		if err != nil {
			t.Fatal(err)
		}
		byTRL[trl] = o.ID
	}
	ids := func(l listResponse[outcomeResponse]) []string {
		var out []string
		for _, o := range l.Items {
			out = append(out, o.ID)
		}
		return out
	}
	var l listResponse[outcomeResponse]
	e.expect(e.do("GET", "/api/v1/outcomes?sort=trl_desc", "", nil), 200).json(&l)
	if got, want := ids(l), []string{byTRL[8], byTRL[5], byTRL[3]}; !slices.Equal(got, want) {
		t.Errorf("trl_desc: %v, want %v", got, want)
	}
	l = listResponse[outcomeResponse]{}
	e.expect(e.do("GET", "/api/v1/outcomes?sort=trl_desc&limit=2", "", nil), 200).json(&l)
	if l.HasMore == nil || !*l.HasMore || l.NextCursor != "" || len(l.Items) != 2 {
		t.Errorf("sorted first page: more %v cursor %q, %d items; want more, no cursor", l.HasMore, l.NextCursor, len(l.Items))
	}
	l = listResponse[outcomeResponse]{}
	e.expect(e.do("GET", "/api/v1/outcomes?sort=trl_desc&limit=2&offset=2", "", nil), 200).json(&l)
	if got := ids(l); !slices.Equal(got, []string{byTRL[3]}) {
		t.Errorf("sorted second page: %v, want the TRL 3 one", got)
	}
	l = listResponse[outcomeResponse]{}
	e.expect(e.do("GET", "/api/v1/outcomes?sort=newest", "", nil), 200).json(&l)
	if got := ids(l); !slices.Equal(got, []string{byTRL[5], byTRL[8], byTRL[3]}) {
		t.Errorf("newest: %v", got)
	}
	e.expect(e.do("GET", "/api/v1/scenarios?sort=deadline_asc", "", nil), 200)
	e.expect(e.do("GET", "/api/v1/scenarios?sort=budget_desc&offset=20", "", nil), 200)
	for _, c := range []struct{ path, field, code string }{
		{"/api/v1/outcomes?sort=best", "sort", "one_of"},
		{"/api/v1/outcomes?sort=deadline_asc", "sort", "one_of"},
		{"/api/v1/scenarios?sort=price_asc", "sort", "one_of"},
		{"/api/v1/outcomes?sort=price_asc&cursor=" + byTRL[8], "cursor", "cursor_pages_newest_only"},
		{"/api/v1/scenarios?sort=budget_desc&cursor=" + byTRL[8], "cursor", "cursor_pages_newest_only"},
		{"/api/v1/outcomes?offset=5000", "offset", "between"},
		{"/api/v1/outcomes?offset=x", "offset", "integer"},
	} {
		p := e.expect(e.do("GET", c.path, "", nil), 400).problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != c.field || string(p.Errors[0].Code) != c.code {
			t.Errorf("%s: %+v, want %s %s", c.path, p.Errors, c.field, c.code)
		}
	}
}
