package market

import (
	"context"
	"slices"
	"strings"
	"techbridge/market/msgs"
	"time"
)

// IntermediaryRequested: a broker asked to join the deal; it takes no part
// (and sees nothing of the deal) until both parties agree to it and its fee.
const IntermediaryRequested = "requested"

// EventDealIntermediaryRequested: a broker asked to join a deal.
const EventDealIntermediaryRequested = "deal.intermediary_requested"

// JoinRequest is a broker's request to join a deal as its intermediary:
// the organisation asking and the fee it asks for.
type JoinRequest struct {
	OrgID string
	Fee   FeeTerms
}

// RequestToBroker is the state change of a join request: the deal gets the
// broker as a requested intermediary that neither party has agreed to yet.
// a is the broker acting for req.OrgID; the deal need not be visible to it
// (it knows the deal's id because a party shared the link).
func RequestToBroker(d Deal, a DealActor, req JoinRequest, now time.Time) (Deal, []Event, error) {
	now = now.UTC()
	if req.OrgID == d.BuyerOrgID || req.OrgID == d.SellerOrgID {
		return d, nil, Errorf(ECONFLICT, msgs.AlreadyAParty)
	}
	if d.Intermediary != nil {
		if d.Intermediary.OrgID == req.OrgID {
			return d, nil, Errorf(ECONFLICT, msgs.AlreadyAskedToJoin)
		}
		return d, nil, Errorf(ECONFLICT, msgs.DealAlreadyHasIntermediary)
	}
	if !slices.Contains(dealBeforeContract, d.State) {
		return d, nil, Errorf(ECONFLICT, msgs.NoLongerTakesIntermediary, msgs.Term{Kind: "deal.state", Value: d.State})
	}
	if req.Fee.IsZero() {
		return d, nil, Invalid("fee_basis", msgs.RequiredJoinFeeTerms)
	}
	if err := MoneyError(req.Fee.Validate()); err != nil {
		return d, nil, err
	}
	n := d.clone()
	n.Intermediary = &Intermediary{OrgID: req.OrgID, Fee: req.Fee, Status: IntermediaryRequested, InvitedByRole: DealRoleIntermediary}
	n.Version = d.Version + 1
	n.UpdatedAt, n.LastActivityAt = now, now
	a.Role = DealRoleIntermediary
	return n, []Event{dealEvent(EventDealIntermediaryRequested, n, a, now, map[string]any{
		"intermediary_org_id": req.OrgID, "fee": feePayload(req.Fee)})}, nil
}

// AskToBroker records a broker's request to join deal id as its
// intermediary; the parties then agree or refuse (AgreeIntermediaryFee),
// and only when both agreed does the broker take part. The actor must be a
// member of req.OrgID, a verified intermediary organisation. A deal the
// caller may not know about is ENOTFOUND; the answer says nothing about it.
func (s *Service) AskToBroker(ctx context.Context, actor Actor, id string, req JoinRequest) error {
	if actor.Anonymous() {
		return Errorf(EUNAUTHORIZED, msgs.LogInFirst)
	}
	req.OrgID = strings.TrimSpace(req.OrgID)
	if req.OrgID == "" {
		return Invalid("org_id", msgs.Required)
	}
	if !actor.MemberOf(req.OrgID) {
		return Errorf(EFORBIDDEN, msgs.JoinOnlyForOwnOrg)
	}
	now := s.now()
	return s.Store.Update(ctx, func(tx Tx) error {
		org, err := tx.OrganizationByID(req.OrgID)
		if err != nil {
			return err
		}
		if org.Kind != OrgIntermediary {
			return Invalid("org_id", msgs.OrganisationXNotIntermediary, org.Name("en"))
		}
		if err := requireVerified(tx, actor, req.OrgID); err != nil {
			return err
		}
		d, err := tx.DealByID(id)
		if err != nil {
			return err
		}
		by := DealActor{OrgID: req.OrgID, AccountID: actor.AccountID, Role: DealRoleIntermediary}
		n, evs, err := RequestToBroker(*d, by, req, now)
		if err != nil {
			return err
		}
		return s.storeDealStep(tx, *d, n, by, evs)
	})
}

// storeDealStep writes a step that needs no thread or milestones: the deal
// after it, its events, and the participants' notifications.
func (s *Service) storeDealStep(tx Tx, before, after Deal, by DealActor, evs []Event) error {
	if err := tx.UpdateDeal(&after); err != nil {
		return err
	}
	for i := range evs {
		if err := tx.AppendEvent(&evs[i]); err != nil {
			return err
		}
	}
	subject, err := dealSubject(tx, after)
	if err != nil {
		return err
	}
	return s.notifyDeal(tx, before, after, by, evs, subject)
}
