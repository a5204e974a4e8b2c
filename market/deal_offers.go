package market

import (
	"strings"
	"techbridge/market/msgs"
	"time"
)

func (x ProposeOffer) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	if err := activeIntermediary(n, a); err != nil {
		return nil, err
	}
	terms := x.Terms
	terms.Normalize()
	if err := terms.Validate(now); err != nil {
		return nil, err
	}
	// An invited intermediary's fee counts already: it takes effect as soon
	// as both parties agree, and the offer must stay payable then.
	var fee FeeTerms
	if n.Intermediary != nil {
		fee = n.Intermediary.Fee
	}
	if err := terms.CheckPayable(fee, x.PlatformBPS); err != nil {
		return nil, err
	}
	var evs []Event
	if n.State == DealContractDrafted {
		evs = append(evs, voidContract(n, a, now))
	}
	payload := map[string]any{}
	if prev := n.LatestOffer(); prev != nil && prev.Status == OfferOpen {
		prev.Status, prev.RespondedAt = OfferCountered, now
		payload["countered"] = prev.Number
	}
	o := Offer{Number: len(n.Offers) + 1, ProposedByOrgID: a.OrgID, ProposedByRole: a.Role,
		ProposedByAccountID: a.AccountID, Status: OfferOpen, Terms: terms, CreatedAt: now}
	n.Offers = append(n.Offers, o)
	payload["number"] = o.Number
	payload["contract_type"] = terms.ContractType
	payload["price"] = terms.Price
	payload["currency"] = terms.Currency
	return append(evs, dealEvent(EventDealOfferProposed, *n, a, now, payload)), nil
}

// voidContract undoes a drafted contract before the second signature: the
// accepted offer is voided, the contract and any first signature dropped.
func voidContract(n *Deal, a DealActor, now time.Time) Event {
	c := n.Contract
	voided := make([]string, 0, len(n.Signatures))
	for _, s := range n.Signatures {
		voided = append(voided, s.Role)
	}
	if o := n.LatestOffer(); o != nil && o.Status == OfferAccepted {
		o.Status = OfferVoided
	}
	n.Contract, n.Signatures, n.State = nil, nil, DealNegotiation
	return dealEvent(EventDealContractVoided, *n, a, now, map[string]any{
		"hash": c.Hash, "offer": c.OfferNumber, "voided_signatures": voided})
}

// latestOpenOffer returns the latest offer if it is number and still open.
func latestOpenOffer(n *Deal, number int) (*Offer, error) {
	if number < 1 || number > len(n.Offers) {
		return nil, Errorf(ENOTFOUND, msgs.OfferNNotFound, number)
	}
	o := n.LatestOffer()
	if o.Number != number {
		return nil, Errorf(ECONFLICT, msgs.OfferNWasReplacedOnlyLatest, number, o.Number)
	}
	if o.Status != OfferOpen {
		return nil, Errorf(ECONFLICT, msgs.OfferNX, number, o.Status)
	}
	return o, nil
}

func (x RejectOffer) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	o, err := latestOpenOffer(n, x.Number)
	if err != nil {
		return nil, err
	}
	if o.ProposedByOrgID == a.OrgID {
		return nil, Errorf(EFORBIDDEN, msgs.OfferCannotRejectedByPartyThat)
	}
	reason := strings.TrimSpace(x.Reason)
	if err := dealCheckLen("reason", reason, 2000); err != nil {
		return nil, err
	}
	o.Status, o.RespondedAt = OfferRejected, now
	return []Event{dealEvent(EventDealOfferRejected, *n, a, now, map[string]any{"number": o.Number, "reason": reason})}, nil
}

func (x WithdrawOffer) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	if err := activeIntermediary(n, a); err != nil {
		return nil, err
	}
	o, err := latestOpenOffer(n, x.Number)
	if err != nil {
		return nil, err
	}
	if o.ProposedByOrgID != a.OrgID {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyPartyThatMadeOfferCan)
	}
	o.Status, o.RespondedAt = OfferWithdrawn, now
	return []Event{dealEvent(EventDealOfferWithdrawn, *n, a, now, map[string]any{"number": o.Number})}, nil
}

func (x AcceptOffer) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	o, err := latestOpenOffer(n, x.Number)
	if err != nil {
		return nil, err
	}
	if o.ProposedByOrgID == a.OrgID {
		return nil, Errorf(EFORBIDDEN, msgs.OfferCannotAcceptedByPartyThat)
	}
	if n.Intermediary != nil && !n.Intermediary.Active() {
		return nil, Errorf(ECONFLICT, msgs.IntermediarySParticipationNotSettledSettle)
	}
	// Due dates were checked when the offer was made; time may have passed.
	if err := o.Terms.Validate(now); err != nil {
		return nil, Errorf(ECONFLICT, msgs.OfferNNoLongerValidX, o.Number, ErrorMessage(err))
	}
	// The contract names the intermediary only when active; its fee must
	// leave every milestone payable (it may have been agreed after the offer).
	var fee FeeTerms
	if n.Intermediary != nil && n.Intermediary.Active() {
		fee = n.Intermediary.Fee
	}
	if err := o.Terms.CheckPayable(fee, x.PlatformBPS); err != nil {
		return nil, Errorf(ECONFLICT, msgs.OfferNCannotPaidAsAgreed, o.Number, ErrorMessage(err))
	}
	in := x.Contract
	in.PlatformBPS = x.PlatformBPS
	c, err := DraftContract(*n, *o, in, now)
	if err != nil {
		return nil, err
	}
	o.Status, o.RespondedAt = OfferAccepted, now
	n.Contract, n.Signatures, n.State = &c, nil, DealContractDrafted
	return []Event{
		dealEvent(EventDealOfferAccepted, *n, a, now, map[string]any{"number": o.Number}),
		dealEvent(EventDealContractDrafted, *n, a, now, map[string]any{"offer": o.Number, "hash": c.Hash}),
	}, nil
}
