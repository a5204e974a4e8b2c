package market

import (
	"errors"
	"strings"
	"techbridge/market/msgs"
	"time"
)

// Intermediary statuses in a deal. A declined or refused intermediary is
// removed from the deal (the events keep the history).
const (
	IntermediaryInvited  = "invited"  // waiting for the intermediary's answer
	IntermediaryAccepted = "accepted" // the intermediary accepted; see Active for the fee
)

// Intermediary is the broker named in a deal and the fee it was offered
// (FeeTerms is shared with payments, so the agreed fee is the booked fee).
type Intermediary struct {
	OrgID         string
	Fee           FeeTerms
	Status        string
	InvitedByRole string // buyer or seller; the inviter agrees to the fee by inviting
	BuyerAgreed   bool
	SellerAgreed  bool
}

// Active reports whether the intermediary takes part: it accepted and both
// parties agreed to its fee. Only then may it post messages and propose offers,
// and only then is it named in the contract.
func (im Intermediary) Active() bool {
	return im.Status == IntermediaryAccepted && im.BuyerAgreed && im.SellerAgreed
}

func (x InviteIntermediary) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	if n.Intermediary != nil {
		return nil, Errorf(ECONFLICT, msgs.DealAlreadyHasIntermediary)
	}
	org := strings.TrimSpace(x.OrgID)
	fee := x.Fee
	var f Fields
	if org == "" {
		f.Add("org_id", msgs.Required)
	} else if org == n.BuyerOrgID || org == n.SellerOrgID {
		f.Add("org_id", msgs.NotBuyerOrSeller)
	}
	if fee.IsZero() {
		f.Add("fee_basis", msgs.RequiredIntermediaryInvitedWithFeeTerms)
	} else if err := MoneyError(fee.Validate()); err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			f = append(f, fe.Fields...)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	n.Intermediary = &Intermediary{OrgID: org, Fee: fee, Status: IntermediaryInvited, InvitedByRole: a.Role,
		BuyerAgreed: a.Role == DealRoleBuyer, SellerAgreed: a.Role == DealRoleSeller}
	return []Event{dealEvent(EventDealIntermediaryInvited, *n, a, now, map[string]any{
		"intermediary_org_id": org, "fee": feePayload(fee)})}, nil
}

func (x RespondIntermediary) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	if n.Intermediary.Status != IntermediaryInvited {
		return nil, Errorf(ECONFLICT, msgs.IntermediaryAlreadyAnswered)
	}
	if !x.Accept {
		n.Intermediary = nil
		return []Event{dealEvent(EventDealIntermediaryDeclined, *n, a, now, nil)}, nil
	}
	n.Intermediary.Status = IntermediaryAccepted
	return []Event{dealEvent(EventDealIntermediaryAccepted, *n, a, now, map[string]any{
		"active": n.Intermediary.Active()})}, nil
}

func (x AgreeIntermediaryFee) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	im := n.Intermediary
	if im == nil {
		return nil, Errorf(ECONFLICT, msgs.DealHasNoIntermediary)
	}
	agreed := &im.BuyerAgreed
	if a.Role == DealRoleSeller {
		agreed = &im.SellerAgreed
	}
	if *agreed {
		return nil, Errorf(ECONFLICT, msgs.XAlreadyAgreedToThisFee, msgs.Term{Kind: "deal.role", Value: a.Role})
	}
	if !x.Agree {
		org := im.OrgID
		n.Intermediary = nil
		return []Event{dealEvent(EventDealIntermediaryFeeRefused, *n, a, now, map[string]any{
			"intermediary_org_id": org})}, nil
	}
	*agreed = true
	if im.Status == IntermediaryRequested && im.BuyerAgreed && im.SellerAgreed {
		im.Status = IntermediaryAccepted // both parties took up the broker's request
	}
	return []Event{dealEvent(EventDealIntermediaryFeeAgreed, *n, a, now, map[string]any{
		"intermediary_org_id": im.OrgID, "active": im.Active()})}, nil
}

func feePayload(t FeeTerms) map[string]any {
	p := map[string]any{"basis": t.Basis, "bps": t.BPS, "fixed": t.Fixed, "payer": t.Payer}
	if t.Currency != "" {
		p["currency"] = t.Currency
	}
	return p
}
