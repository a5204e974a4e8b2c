package market

import (
	"slices"
	"strings"
	"techbridge/market/msgs"
	"time"
)

// dealBuyerKinds are the organisation kinds that open deals on outcomes: the
// demand side.
var dealBuyerKinds = []string{OrgEnterprise, OrgPublicBody}

// OutcomeInquiry is a buyer's first message on an outcome, with what the
// service loaded about the outcome and the buyer.
type OutcomeInquiry struct {
	OutcomeID    string
	SellerOrgID  string // the outcome's owner
	Published    bool
	Confidential bool
	NDA          *NDA   // the owner's current NDA; required when Confidential
	BuyerKind    string // the buyer organisation's kind
	Message      string
}

// ProposalAward opens a deal from an awarded proposal: the scenario owner
// buys from the proposer.
type ProposalAward struct {
	ScenarioID         string
	ScenarioOwnerOrgID string
	ProposalID         string
	ProposerOrgID      string
	Awarded            bool
	Message            string
}

// OpenOutcomeDeal opens an inquiry by buyer (its OrgID and AccountID; Role is
// ignored) on a published outcome. The store must still refuse a second open
// deal for the same buyer and outcome (ErrOpenDealExists).
func OpenOutcomeDeal(in OutcomeInquiry, buyer DealActor, now time.Time) (Deal, []Event, error) {
	switch {
	case !in.Published:
		return Deal{}, nil, Errorf(ENOTFOUND, msgs.OutcomeXNotFound, in.OutcomeID)
	case buyer.OrgID == "" || buyer.OrgID == in.SellerOrgID:
		return Deal{}, nil, Errorf(EFORBIDDEN, msgs.OrganisationCannotOpenDealOnOwn)
	case !slices.Contains(dealBuyerKinds, in.BuyerKind):
		return Deal{}, nil, Errorf(EFORBIDDEN, msgs.OnlyEnterprisesAndPublicBodiesOpen)
	case in.Confidential && in.NDA == nil:
		return Deal{}, nil, Errorf(ECONFLICT, msgs.OutcomeConfidentialAndOwnerHasPublished)
	case in.NDA != nil && in.NDA.OwnerOrgID != in.SellerOrgID:
		return Deal{}, nil, Errorf(EINTERNAL, msgs.NDAXGivenForOutcomeX, in.NDA.OwnerOrgID, in.SellerOrgID)
	}
	d := newDeal(DealFromOutcome, in.OutcomeID, "", buyer.OrgID, in.SellerOrgID, now)
	if in.Confidential {
		nda := *in.NDA
		d.NDA = &nda
	}
	return openDeal(d, buyer, in.Message, now)
}

// OpenProposalDeal opens a deal by the scenario owner on an awarded proposal;
// the proposer answers it like an inquiry.
func OpenProposalDeal(in ProposalAward, owner DealActor, now time.Time) (Deal, []Event, error) {
	switch {
	case owner.OrgID == "" || owner.OrgID != in.ScenarioOwnerOrgID:
		return Deal{}, nil, Errorf(EFORBIDDEN, msgs.OnlyScenarioSOwnerOpensDeal)
	case in.ProposerOrgID == in.ScenarioOwnerOrgID:
		return Deal{}, nil, Errorf(EFORBIDDEN, msgs.OrganisationCannotDealWithItself)
	case !in.Awarded:
		return Deal{}, nil, Errorf(ECONFLICT, msgs.ProposalXHasNotBeenAwarded, in.ProposalID)
	}
	d := newDeal(DealFromProposal, in.ProposalID, in.ScenarioID, owner.OrgID, in.ProposerOrgID, now)
	return openDeal(d, owner, in.Message, now)
}

func newDeal(source, listingID, scenarioID, buyerOrgID, sellerOrgID string, now time.Time) Deal {
	now = now.UTC()
	return Deal{ID: NewID(), Version: 1, State: DealInquiry, Source: source, ListingID: listingID,
		ScenarioID: scenarioID, BuyerOrgID: buyerOrgID, SellerOrgID: sellerOrgID, OpenedByRole: DealRoleBuyer,
		CreatedAt: now, UpdatedAt: now, LastActivityAt: now}
}

// openDeal checks the opening message and emits deal.opened.
func openDeal(d Deal, opener DealActor, message string, now time.Time) (Deal, []Event, error) {
	message = strings.TrimSpace(message)
	var f Fields
	if message == "" {
		f.Add("message", msgs.Required)
	}
	checkLen(&f, "message", message, 10000)
	if err := f.Err(); err != nil {
		return Deal{}, nil, err
	}
	opener.Role = DealRoleBuyer
	ev := dealEvent(EventDealOpened, d, opener, now, map[string]any{
		"source": d.Source, "listing_id": d.ListingID, "scenario_id": d.ScenarioID,
		"buyer_org_id": d.BuyerOrgID, "seller_org_id": d.SellerOrgID,
		"nda_version": ndaVersion(d.NDA), "message": message})
	return d, []Event{ev}, nil
}

func ndaVersion(n *NDA) int {
	if n == nil {
		return 0
	}
	return n.Version
}
