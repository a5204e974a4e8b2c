package market

import (
	"encoding/json"
	"testing"
)

func TestOpenOutcomeDeal(t *testing.T) {
	nda, _ := NewNDA(sellerOrg, 1, "NDA", t0)
	otherNDA, _ := NewNDA(strangerOrg, 1, "NDA", t0)
	ok := OutcomeInquiry{OutcomeID: "o1", SellerOrgID: sellerOrg, Published: true, BuyerKind: OrgEnterprise, Message: "询价"}
	buyer := DealActor{OrgID: buyerOrg, AccountID: "acc-buyer"}
	tests := []struct {
		name  string
		edit  func(*OutcomeInquiry)
		buyer DealActor
		code  string
	}{
		{"enterprise inquires", func(*OutcomeInquiry) {}, buyer, ""},
		{"public body inquires", func(i *OutcomeInquiry) { i.BuyerKind = OrgPublicBody }, buyer, ""},
		{"unpublished outcome", func(i *OutcomeInquiry) { i.Published = false }, buyer, ENOTFOUND},
		{"own outcome", func(*OutcomeInquiry) {}, DealActor{OrgID: sellerOrg}, EFORBIDDEN},
		{"university buyer", func(i *OutcomeInquiry) { i.BuyerKind = OrgUniversity }, buyer, EFORBIDDEN},
		{"confidential without NDA", func(i *OutcomeInquiry) { i.Confidential = true }, buyer, ECONFLICT},
		{"someone else's NDA", func(i *OutcomeInquiry) { i.Confidential, i.NDA = true, &otherNDA }, buyer, EINTERNAL},
		{"empty message", func(i *OutcomeInquiry) { i.Message = " " }, buyer, EINVALID},
		{"confidential with NDA", func(i *OutcomeInquiry) { i.Confidential, i.NDA = true, &nda }, buyer, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.edit(&in)
			d, evs, err := OpenOutcomeDeal(in, tt.buyer, t0)
			if codeOf(err) != tt.code {
				t.Fatalf("code = %q (%v), want %q", codeOf(err), err, tt.code)
			}
			if err != nil {
				return
			}
			if d.State != DealInquiry || d.Version != 1 || d.BuyerOrgID != buyerOrg || d.SellerOrgID != sellerOrg ||
				d.Source != DealFromOutcome || d.ListingID != "o1" || !d.LastActivityAt.Equal(t0) {
				t.Fatalf("deal = %+v", d)
			}
			if (d.NDA != nil) != in.Confidential {
				t.Fatalf("NDA snapshot %v for confidential=%v", d.NDA, in.Confidential)
			}
			var p map[string]any
			if len(evs) != 1 || evs[0].Type != EventDealOpened || json.Unmarshal(evs[0].Payload, &p) != nil ||
				p["message"] != "询价" || p["actor_role"] != DealRoleBuyer {
				t.Fatalf("events = %+v", evs)
			}
		})
	}
}

func TestOpenProposalDeal(t *testing.T) {
	ok := ProposalAward{ScenarioID: "s1", ScenarioOwnerOrgID: buyerOrg, ProposalID: "p1",
		ProposerOrgID: sellerOrg, Awarded: true, Message: "恭喜中标，请确认"}
	owner := DealActor{OrgID: buyerOrg, AccountID: "acc-buyer"}
	for _, tt := range []struct {
		name  string
		edit  func(*ProposalAward)
		actor DealActor
		code  string
	}{
		{"owner opens", func(*ProposalAward) {}, owner, ""},
		{"not the owner", func(*ProposalAward) {}, DealActor{OrgID: strangerOrg}, EFORBIDDEN},
		{"not awarded", func(p *ProposalAward) { p.Awarded = false }, owner, ECONFLICT},
		{"own proposal", func(p *ProposalAward) { p.ProposerOrgID = buyerOrg }, owner, EFORBIDDEN},
	} {
		in := ok
		tt.edit(&in)
		d, _, err := OpenProposalDeal(in, tt.actor, t0)
		if codeOf(err) != tt.code {
			t.Fatalf("%s: code = %q (%v), want %q", tt.name, codeOf(err), err, tt.code)
		}
		if err == nil && (d.Source != DealFromProposal || d.ListingID != "p1" || d.ScenarioID != "s1") {
			t.Fatalf("%s: deal = %+v", tt.name, d)
		}
	}
	// The proposer answers, as for any inquiry.
	d, _, _ := OpenProposalDeal(ok, owner, t0)
	if _, _, err := ApplyDeal(d, asBuyer, AcceptInquiry{}, t0); codeOf(err) != EFORBIDDEN {
		t.Fatalf("owner accepting own deal: %v", err)
	}
	if d = apply(t, d, asSeller, AcceptInquiry{}, t0); d.State != DealNegotiation {
		t.Fatalf("state = %s", d.State)
	}
}

func TestCheckNoOpenDeal(t *testing.T) {
	open := dealIn(t, DealNegotiation)
	signed := dealIn(t, DealSigned)
	cancelled := dealIn(t, DealCancelled)
	for _, tt := range []struct {
		name     string
		existing []Deal
		buyer    string
		listing  string
		code     string
	}{
		{"none yet", nil, buyerOrg, "outcome-1", ""},
		{"open deal", []Deal{open}, buyerOrg, "outcome-1", ECONFLICT},
		{"signed deal still blocks", []Deal{signed}, buyerOrg, "outcome-1", ECONFLICT},
		{"cancelled deal does not block", []Deal{cancelled}, buyerOrg, "outcome-1", ""},
		{"another buyer", []Deal{open}, strangerOrg, "outcome-1", ""},
		{"another listing", []Deal{open}, buyerOrg, "outcome-2", ""},
	} {
		if got := codeOf(CheckNoOpenDeal(tt.existing, tt.buyer, DealFromOutcome, tt.listing)); got != tt.code {
			t.Errorf("%s: code = %q, want %q", tt.name, got, tt.code)
		}
	}
}

func TestActorFor(t *testing.T) {
	d := withBroker(t, dealIn(t, DealNegotiation))
	member := func(org, role string) Membership { return Membership{AccountID: "a", OrgID: org, Role: role} }
	for _, tt := range []struct {
		name      string
		actor     Actor
		org       string
		role      string
		signatory bool
	}{
		{"buyer owner", Actor{AccountID: "a", Memberships: []Membership{member(buyerOrg, MemberOwner)}}, buyerOrg, DealRoleBuyer, true},
		{"seller member", Actor{AccountID: "a", Memberships: []Membership{member(sellerOrg, MemberMember)}}, sellerOrg, DealRoleSeller, false},
		{"broker", Actor{AccountID: "a", Memberships: []Membership{member(brokerOrg, MemberOwner)}}, brokerOrg, DealRoleIntermediary, true},
		{"claims an org it is not in", Actor{AccountID: "a"}, buyerOrg, DealRoleOther, false},
		{"admin", Actor{AccountID: "a", PlatformRole: RoleAdmin}, "", DealRoleAdmin, false},
		{"stranger", Actor{AccountID: "a", Memberships: []Membership{member(strangerOrg, MemberOwner)}}, strangerOrg, DealRoleOther, false},
	} {
		got := d.ActorFor(tt.actor, tt.org)
		if got.Role != tt.role || got.Signatory != tt.signatory {
			t.Errorf("%s: role %s signatory %v, want %s %v", tt.name, got.Role, got.Signatory, tt.role, tt.signatory)
		}
	}
}
