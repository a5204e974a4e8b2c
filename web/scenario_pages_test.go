package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"techbridge/market"
)

// TestScenarioProposalAward: an enterprise's challenge call is refused
// field by field, then created, published, answered by the university with
// one of its outcomes, and awarded; only the owner sees the proposals.
func TestScenarioProposalAward(t *testing.T) {
	w := newListingWorld(t)
	outcome := w.publishedOutcome(t, market.OutcomeInput{Title: "Thermal runaway sensor", Summary: "Early warning"})
	ent := w.as("ent@example.com")

	// Universities may not post scenarios: the form says so.
	if p := w.as("uni@example.edu.cn").get("/scenarios/new"); p.status != http.StatusOK || !p.has("Only enterprises and public bodies") || p.has(`action="/scenarios"`) {
		t.Errorf("university's scenario form: %d", p.status)
	}

	p := ent.get("/scenarios/new")
	if p.status != http.StatusOK || !p.has(`id="f-kind"`) {
		t.Fatalf("scenario form: %d", p.status)
	}
	form := url.Values{"org_id": {w.ent.ID}, "kind": {"challenge"}, "title": {"Detect cell failure early"},
		"description": {"Our packs need a sensor."}, "field": {"energy_storage"}, "min_trl": {"5"},
		"budget_min": {"100000"}, "budget_max": {"500000"}, "currency": {"CNY"}, "region": {"上海市 / 临港新片区"}}
	p = ent.submit("/scenarios", form)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("challenge without deadline: %d", p.status)
	}
	for _, id := range []string{"f-deadline", "f-bounty", "f-criteria"} {
		if !strings.Contains(p.field(t, id), "field-error") {
			t.Errorf("%s lacks its error", id)
		}
	}
	if !strings.Contains(p.field(t, "f-kind"), `value="challenge" selected`) || !strings.Contains(p.field(t, "f-region"), `value="上海市 / 临港新片区"`) {
		t.Error("kind or region lost")
	}
	if n, _ := w.svc.Scenarios(context.Background(), w.reviewer, market.ScenarioFilter{OrgID: w.ent.ID}); n.Total != 0 {
		t.Fatalf("refused form created %d scenarios", n.Total)
	}
	form.Set("deadline", time.Now().UTC().AddDate(0, 2, 0).Format(time.DateOnly))
	form.Set("bounty", "200000")
	form.Set("criteria", "Lead time before runaway")
	p = ent.submit("/scenarios", form)
	if p.status != http.StatusOK || !p.has(`data-status="draft"`) {
		t.Fatalf("create: %d %s\n%s", p.status, p.path, p.body)
	}
	detail := strings.SplitN(p.path, "?", 2)[0]
	id := strings.TrimPrefix(detail, "/scenarios/")
	p = ent.submit(detail+"/act", url.Values{"action": {"submit"}, "version": {p.version(t)}})
	rev := w.as("rev@techbridge.test")
	p = rev.get(detail)
	if !p.has("act-publish") || !p.has("Challenge call") {
		t.Fatalf("reviewer's view lacks publish:\n%s", p.body)
	}
	rev.submit(detail+"/act", url.Values{"action": {"publish"}, "version": {p.version(t)}})

	anon := w.as("")
	p = anon.get("/scenarios?kind=challenge")
	if !p.has("Detect cell failure early") || !p.has("Bounty CNY 200,000.00") {
		t.Errorf("public scenario browse:\n%s", p.body)
	}
	if p := anon.get("/scenarios?kind=demand"); p.has("Detect cell failure early") {
		t.Error("kind filter ignored")
	}
	p = anon.get(detail)
	if !p.has("TRL ≥ 5") || !p.has("Lead time before runaway") || !p.has("Log in to answer") || p.has("proposals-link") {
		t.Errorf("public scenario detail:\n%s", p.body)
	}

	// The university answers with its outcome.
	uni := w.as("uni@example.edu.cn")
	p = uni.get(detail + "/propose")
	if p.status != http.StatusOK || !p.has(`value="`+outcome.ID+`"`) || p.has(`value="`+w.ent.ID+`"`) {
		t.Fatalf("answer form: %d\n%s", p.status, p.body)
	}
	p = uni.submit(detail+"/propose", url.Values{"org_id": {w.uni.ID}, "outcome_id": {""}, "title": {""}, "summary": {""}, "price_min": {"x"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.field(t, "f-title"), "field-error") || !strings.Contains(p.field(t, "f-price_min"), "field-error") {
		t.Errorf("empty free proposal: %d", p.status)
	}
	p = uni.submit(detail+"/propose", url.Values{"org_id": {w.uni.ID}, "outcome_id": {outcome.ID}, "price_min": {"150000"}})
	if !strings.HasPrefix(p.path, detail+"?done=proposal_submitted") {
		t.Fatalf("proposal: %d %s\n%s", p.status, p.path, p.body)
	}
	// The same outcome twice is refused in place.
	uni.get(detail + "/propose")
	if p := uni.submit(detail+"/propose", url.Values{"org_id": {w.uni.ID}, "outcome_id": {outcome.ID}}); p.status != http.StatusConflict || !strings.Contains(p.field(t, "f-outcome_id"), "field-error") {
		t.Errorf("duplicate proposal: %d", p.status)
	}
	if p := uni.get(detail + "/proposals"); p.status != http.StatusForbidden {
		t.Errorf("proposer opening the owner's proposal list: %d, want 403", p.status)
	}
	if p := uni.get("/my/listings"); !p.has("Thermal runaway sensor") || !p.has("Submitted") {
		t.Error("proposal missing from the proposer's listings")
	}

	p = ent.get(detail + "/proposals")
	if p.status != http.StatusOK || !p.has("Thermal runaway sensor") || !p.has("CNY 150,000.00") || !p.has(`value="shortlist"`) {
		t.Fatalf("owner's proposals: %d\n%s", p.status, p.body)
	}
	pid := regexp.MustCompile(`action="/proposals/([^/]+)/act"`).FindStringSubmatch(p.body)[1]
	p = ent.submit("/proposals/"+pid+"/act", url.Values{"action": {"shortlist"}, "version": {p.version(t)}})
	if !p.has(`data-status="shortlisted"`) || !p.has("Shortlisted.") {
		t.Fatalf("after shortlist:\n%s", p.body)
	}
	p = ent.submit("/proposals/"+pid+"/act", url.Values{"action": {"award"}, "version": {p.version(t)}, "reason": {"Best lead time"}, "confirmed": {"yes"}})
	if !p.has(`data-status="awarded"`) || !p.has("Best lead time") {
		t.Fatalf("after award:\n%s", p.body)
	}
	sc, err := w.svc.Scenario(context.Background(), w.entAct, id)
	if err != nil || sc.Status != market.ListingAwarded {
		t.Errorf("scenario after award: %v %v", sc, err)
	}
	// A stale decision is a readable conflict, not a 500.
	if p := ent.submit("/proposals/"+pid+"/act", url.Values{"action": {"reject"}, "version": {"1"}, "confirmed": {"yes"}}); p.status != http.StatusConflict || !p.has("Nothing was changed") {
		t.Errorf("stale decision: %d", p.status)
	}
}

// TestListingCatalogue: every key the listing pages build from market
// values exists in both languages.
func TestListingCatalogue(t *testing.T) {
	var keys []string
	add := func(prefix string, values ...string) {
		for _, v := range values {
			keys = append(keys, prefix+v)
		}
	}
	add("listing.status.", market.ListingStatuses...)
	for _, s := range market.ListingStatuses {
		keys = append(keys, "listing.status."+s+".hint")
	}
	for _, a := range market.ListingActions {
		add("listing.action.", string(a))
		add("notice.listing_", string(a))
	}
	add("outcome.ip_type.", market.IPTypes...)
	add("outcome.legal.", market.LegalStatuses...)
	add("outcome.mode.", market.TransferModes...)
	add("outcome.confidentiality.", market.Confidentialities...)
	add("scenario.kind.", market.ScenarioKinds...)
	add("proposal.status.", market.ProposalStatuses...)
	add("proposal.action.", "shortlist", "award", "reject", "withdraw")
	add("notice.proposal_", "shortlist", "award", "reject", "withdraw", "submitted")
	add("listing.trl.", "1", "2", "3", "4", "5", "6", "7", "8", "9")
	for _, k := range keys {
		if _, ok := catalogue[k]; !ok {
			t.Errorf("catalogue lacks %s", k)
		}
	}
	for in, want := range map[string]string{"ipc[1]": "ipc", "price_min": "price_min", "milestones[0].title": "milestones"} {
		if got := formFieldName(in); got != want {
			t.Errorf("formFieldName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWithdrawProposalFromMyListings: the proposer withdraws a submitted
// proposal from My listings and stays there; a stale second click is a
// readable conflict on the same page; an awarded proposal offers no withdraw.
func TestWithdrawProposalFromMyListings(t *testing.T) {
	w := newListingWorld(t)
	ctx := context.Background()
	sc, err := w.svc.CreateScenario(ctx, w.entAct, w.ent.ID, market.ScenarioInput{Kind: market.ScenarioDemand, Title: "Battery recycling line",
		Description: "Recover lithium", Field: "energy_storage", Deadline: ptr(time.Now().UTC().AddDate(0, 1, 0))})
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = w.svc.TransitionScenario(ctx, w.entAct, sc.ID, sc.Version, market.SubmitListing, ""); err != nil {
		t.Fatal(err)
	}
	if _, err = w.svc.TransitionScenario(ctx, w.reviewer, sc.ID, sc.Version, market.PublishListing, ""); err != nil {
		t.Fatal(err)
	}
	prop, err := w.svc.SubmitProposal(ctx, w.uniActor, sc.ID, w.uni.ID, market.ProposalInput{Title: "Hydrometallurgy route", Summary: "Leach and recover"})
	if err != nil {
		t.Fatal(err)
	}
	if p := w.as("ent@example.com").get("/my/listings"); p.has(`action="/proposals/` + prop.ID + `/act"`) {
		t.Error("the scenario's owner gets a withdraw button in My listings")
	}

	uni := w.as("uni@example.edu.cn")
	p := uni.get("/my/listings")
	if !p.has(`action="/proposals/`+prop.ID+`/act" class="inline act-withdraw"`) || !p.has(`name="next" value="/my/listings"`) {
		t.Fatalf("no withdraw button on the proposer's list:\n%s", p.body)
	}
	p = uni.submit("/proposals/"+prop.ID+"/act", url.Values{"action": {"withdraw"}, "version": {strconv.FormatInt(prop.Version, 10)}, "next": {"/my/listings"}})
	if !p.has(`data-confirm="proposal.withdraw"`) || !p.has(`href="/my/listings"`) {
		t.Fatalf("withdrawing asks for no confirmation: %d %s", p.status, p.path)
	}
	p = uni.confirm()
	if p.path != "/my/listings?done=proposal_withdraw" || !p.has(`data-status="withdrawn"`) || p.has("act-withdraw") {
		t.Fatalf("after withdraw: %d %s\n%s", p.status, p.path, p.body)
	}
	if got, _ := w.svc.Proposal(ctx, w.uniActor, prop.ID); got.Status != market.ProposalWithdrawn {
		t.Errorf("stored status %s, want withdrawn", got.Status)
	}
	p = uni.submit("/proposals/"+prop.ID+"/act", url.Values{"action": {"withdraw"}, "version": {strconv.FormatInt(prop.Version, 10)}, "next": {"/my/listings"}, "confirmed": {"yes"}})
	if p.status != http.StatusConflict || !p.has("Nothing was changed") || !p.has("Battery recycling line") {
		t.Errorf("stale withdraw: %d %s", p.status, p.path)
	}
}

func ptr[T any](v T) *T { return &v }
