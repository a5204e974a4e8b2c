package market

import "testing"

func TestNextProposalStatus(t *testing.T) {
	owner := ProposalRoles{ScenarioOwner: true}
	proposer := ProposalRoles{Proposer: true}
	scn := func(kind, status string) Scenario {
		return Scenario{ListingMeta: ListingMeta{Status: status}, Kind: kind}
	}
	pub := scn(ScenarioDemand, ListingPublished)
	cases := []struct {
		name   string
		from   string
		sc     Scenario
		action ProposalAction
		by     ProposalRoles
		want   string
		code   string
	}{
		{"owner shortlists", ProposalSubmitted, pub, ShortlistProposal, owner, ProposalShortlisted, ""},
		{"owner rejects submitted", ProposalSubmitted, pub, RejectProposal, owner, ProposalRejected, ""},
		{"owner rejects shortlisted", ProposalShortlisted, pub, RejectProposal, owner, ProposalRejected, ""},
		{"owner awards shortlisted", ProposalShortlisted, pub, AwardProposal, owner, ProposalAwarded, ""},
		{"owner awards on paused scenario", ProposalSubmitted, scn(ScenarioDemand, ListingPaused), AwardProposal, owner, ProposalAwarded, ""},
		{"proposer withdraws", ProposalShortlisted, pub, WithdrawProposal, proposer, ProposalWithdrawn, ""},
		{"proposer cannot shortlist", ProposalSubmitted, pub, ShortlistProposal, proposer, "", EFORBIDDEN},
		{"proposer cannot award", ProposalSubmitted, pub, AwardProposal, proposer, "", EFORBIDDEN},
		{"owner cannot withdraw", ProposalSubmitted, pub, WithdrawProposal, owner, "", EFORBIDDEN},
		{"stranger", ProposalSubmitted, pub, RejectProposal, ProposalRoles{}, "", EFORBIDDEN},
		{"shortlist twice", ProposalShortlisted, pub, ShortlistProposal, owner, "", ECONFLICT},
		{"award rejected", ProposalRejected, pub, AwardProposal, owner, "", ECONFLICT},
		{"withdraw awarded", ProposalAwarded, pub, WithdrawProposal, proposer, "", ECONFLICT},
		{"award withdrawn", ProposalWithdrawn, pub, AwardProposal, owner, "", ECONFLICT},
		{"second award of a demand", ProposalSubmitted, scn(ScenarioDemand, ListingAwarded), AwardProposal, owner, "", ECONFLICT},
		{"second award of a challenge", ProposalSubmitted, scn(ScenarioChallenge, ListingAwarded), AwardProposal, owner, ProposalAwarded, ""},
		{"reject on an awarded challenge", ProposalSubmitted, scn(ScenarioChallenge, ListingAwarded), RejectProposal, owner, "", ECONFLICT},
		{"decide on closed scenario", ProposalSubmitted, scn(ScenarioDemand, ListingClosed), ShortlistProposal, owner, "", ECONFLICT},
		{"withdraw from closed scenario", ProposalSubmitted, scn(ScenarioDemand, ListingClosed), WithdrawProposal, proposer, ProposalWithdrawn, ""},
		{"unknown action", ProposalSubmitted, pub, "approve", owner, "", EINVALID},
	}
	for _, c := range cases {
		got, err := NextProposalStatus(Proposal{Status: c.from}, c.sc, c.action, c.by)
		if ErrorCode(err) != c.code || got != c.want {
			t.Errorf("%s: got %q, %v; want %q, code %q", c.name, got, err, c.want, c.code)
		}
	}
}

func TestAwardMovesScenarioOnce(t *testing.T) {
	sc := Scenario{ListingMeta: ListingMeta{ID: "s", OrgID: "buyer", Status: ListingPublished, Version: 2}, Kind: ScenarioChallenge}
	p := Proposal{ID: "p1", ScenarioID: "s", OrgID: "seller", Status: ProposalShortlisted, Version: 1}
	got, awarded, events, err := ApplyProposal(p, sc, ProposalRoles{ScenarioOwner: true}, "acc", AwardProposal, "最佳方案", listingT0)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != ProposalAwarded || got.Version != 2 || awarded == nil || awarded.Status != ListingAwarded || awarded.Version != 3 {
		t.Fatalf("award: %+v, scenario %+v", got, awarded)
	}
	if len(events) != 2 || events[0].Type != "proposal.awarded" || events[1].Type != "scenario.awarded" || events[1].ObjectID != "s" {
		t.Fatalf("events = %+v", events)
	}
	// A second winner of the same challenge leaves the scenario alone.
	p2 := Proposal{ID: "p2", ScenarioID: "s", OrgID: "other", Status: ProposalSubmitted, Version: 1}
	_, again, events, err := ApplyProposal(p2, *awarded, ProposalRoles{ScenarioOwner: true}, "acc", AwardProposal, "", listingT0)
	if err != nil || again != nil || len(events) != 1 {
		t.Fatalf("second award: scenario %+v, %d events, %v", again, len(events), err)
	}
}
