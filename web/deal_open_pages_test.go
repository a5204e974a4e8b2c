package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"techbridge/market"
)

// TestOutcomeInquireButton: the outcome page offers an inquiry to members
// of an enterprise or public body, not to its owner nor to a university;
// the inquiry form names the buying organisation even for a member of
// several; afterwards the page links to the open deal instead.
func TestOutcomeInquireButton(t *testing.T) {
	w := newListingWorld(t)
	ctx := context.Background()
	o := w.publishedOutcome(t, market.OutcomeInput{Title: "Fast-charge anode", Summary: "s"})
	// The enterprise member also belongs to a university of its own.
	if _, err := w.svc.CreateOrganization(ctx, w.entAct, market.NewOrganization{Kind: market.OrgUniversity, NameZH: "另一所大学", NameEN: "Other University", CreditCode: creditCode("10009")}); err != nil {
		t.Fatal(err)
	}
	other, err := w.svc.RegisterVerified(ctx, market.NewAccount{Email: "prof@other.edu.cn", Password: testPassword, DisplayName: "Prof"})
	if err != nil {
		t.Fatal(err)
	}
	oa, _ := w.svc.ActorFor(ctx, other.ID)
	if _, err := w.svc.CreateOrganization(ctx, oa, market.NewOrganization{Kind: market.OrgInstitute, NameZH: "研究所", CreditCode: creditCode("10010")}); err != nil {
		t.Fatal(err)
	}

	detail := "/outcomes/" + o.ID
	inquire := `href="/deals/new?outcome=` + o.ID + `"`
	cases := []struct {
		email, want string
		link        bool
	}{
		{"", "Log in to inquire", false},
		{"uni@example.edu.cn", "", false}, // the owner
		{"prof@other.edu.cn", "Members of an enterprise or public body can inquire", false},
		{"nobody@example.com", "Members of an enterprise or public body can inquire", false},
		{"ent@example.com", "Start an inquiry", true},
	}
	for _, c := range cases {
		p := w.as(c.email).get(detail)
		if p.has(inquire) != c.link || c.want != "" && !p.has(c.want) {
			t.Errorf("%q: inquire link %v, want %v; or lacks %q", c.email, p.has(inquire), c.link, c.want)
		}
		if c.email == "uni@example.edu.cn" && (p.has("Log in to inquire") || p.has("can inquire")) {
			t.Error("the owner is offered an inquiry")
		}
	}
	if p := w.as("prof@other.edu.cn").get("/deals/new?outcome=" + o.ID); p.has(`action="/deals"`) || !p.has("can inquire") {
		t.Errorf("a university's inquiry form: %d", p.status)
	}

	ent := w.as("ent@example.com")
	p := ent.get("/deals/new?outcome=" + o.ID)
	if !p.has(`<input type="hidden" name="org_id" value="`+w.ent.ID+`">`) || p.has(`id="f-org_id"`) {
		t.Fatalf("inquiry form of a member of an enterprise and a university:\n%s", p.body)
	}
	p = ent.submit("/deals", url.Values{"outcome_id": {o.ID}, "org_id": {w.ent.ID}, "message": {"Can we license it?"}})
	if !dealPathRE.MatchString(p.path) || !strings.Contains(p.path, "done=deal_opened") {
		t.Fatalf("inquiry: %d %s\n%s", p.status, p.path, p.body)
	}
	deal := dealPathRE.FindStringSubmatch(p.path)[1]
	if p := ent.get(detail); p.has(inquire) || !p.has(`href="/deals/`+deal+`"`) || !p.has("Open my deal") {
		t.Errorf("outcome page with an open deal:\n%s", p.body)
	}
}

// TestOpenDealOnAwardedProposal: the scenario's owner opens a deal on an
// awarded proposal from the proposals page; an empty message comes back
// in place; afterwards the page links to the deal room, which the proposer
// sees too. Proposals not awarded offer no deal.
func TestOpenDealOnAwardedProposal(t *testing.T) {
	w := newListingWorld(t)
	ctx := context.Background()
	sc, err := w.svc.CreateScenario(ctx, w.entAct, w.ent.ID, market.ScenarioInput{Kind: market.ScenarioDemand, Title: "Cold-chain sensor",
		Description: "Track temperature", Field: "energy_storage", Deadline: ptr(time.Now().UTC().AddDate(0, 1, 0))})
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = w.svc.TransitionScenario(ctx, w.entAct, sc.ID, sc.Version, market.SubmitListing, ""); err != nil {
		t.Fatal(err)
	}
	if _, err = w.svc.TransitionScenario(ctx, w.reviewer, sc.ID, sc.Version, market.PublishListing, ""); err != nil {
		t.Fatal(err)
	}
	prop, err := w.svc.SubmitProposal(ctx, w.uniActor, sc.ID, w.uni.ID, market.ProposalInput{Title: "RFID thermometer", Summary: "Passive tags"})
	if err != nil {
		t.Fatal(err)
	}
	ent := w.as("ent@example.com")
	list := "/scenarios/" + sc.ID + "/proposals"
	action := `action="/proposals/` + prop.ID + `/deal"`
	if p := ent.get(list); p.has(action) {
		t.Error("a deal offered on a proposal not yet awarded")
	}
	if _, err := w.svc.TransitionProposal(ctx, w.entAct, prop.ID, prop.Version, market.AwardProposal, ""); err != nil {
		t.Fatal(err)
	}
	p := ent.get(list)
	if !p.has(action) || !p.has("Open a deal on this proposal") {
		t.Fatalf("no deal form on the awarded proposal:\n%s", p.body)
	}
	p = ent.submit("/proposals/"+prop.ID+"/deal", url.Values{"message": {"  "}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="deal-msg-`+prop.ID+`-error"`) {
		t.Fatalf("empty message: %d\n%s", p.status, p.body)
	}
	if ds, _ := w.svc.Deals(ctx, w.entAct, market.DealFilter{}); len(ds) != 0 {
		t.Fatalf("the refused form opened %d deals", len(ds))
	}
	p = ent.submit("/proposals/"+prop.ID+"/deal", url.Values{"message": {"Let us agree the pilot."}})
	if !dealPathRE.MatchString(p.path) || !p.has("Let us agree the pilot.") {
		t.Fatalf("open deal: %d %s\n%s", p.status, p.path, p.body)
	}
	deal := dealPathRE.FindStringSubmatch(p.path)[1]
	if p := ent.get(list); p.has(action) || !p.has(`href="/deals/`+deal+`"`) {
		t.Errorf("proposals page after the deal opened:\n%s", p.body)
	}
	if p := w.as("uni@example.edu.cn").get("/deals"); !p.has(`href="/deals/` + deal + `"`) {
		t.Error("the proposer does not see the deal")
	}
	if p := w.as("uni@example.edu.cn").submit("/proposals/"+prop.ID+"/deal", url.Values{"message": {"me too"}}); p.status != http.StatusForbidden {
		t.Errorf("the proposer opening a deal on its own proposal: %d, want 403", p.status)
	}
}
