package market

import "techbridge/market/msgs"
import "time"

func (x SignContract) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	if !a.Signatory {
		return nil, Errorf(EFORBIDDEN, msgs.OnlySignatoryXMaySign, msgs.Term{Kind: "deal.role", Value: a.Role})
	}
	if x.Hash != n.Contract.Hash {
		return nil, Errorf(ECONFLICT, msgs.ContractChangedSinceItWasShown)
	}
	if n.SignatureOf(a.Role) != nil {
		return nil, Errorf(ECONFLICT, msgs.XAlreadySigned, msgs.Term{Kind: "deal.role", Value: a.Role})
	}
	if n.Contract.Terms.Registration == nil {
		return nil, Invalid("registration", msgs.RegistrationBeforeSigning)
	}
	n.Signatures = append(n.Signatures, Signature{Role: a.Role, OrgID: a.OrgID, AccountID: a.AccountID,
		Hash: x.Hash, SignedAt: now})
	evs := []Event{dealEvent(EventDealContractSigned, *n, a, now, map[string]any{"hash": x.Hash})}
	if n.SignatureOf(DealRoleBuyer) != nil && n.SignatureOf(DealRoleSeller) != nil {
		n.State, n.SignedAt = DealSigned, now
		if n.Contract.PlatformBPS == nil { // a /1 contract: the fee is fixed now, not at the first funding
			var fee FeeTerms
			if n.Contract.IntermediaryFee != nil {
				fee = *n.Contract.IntermediaryFee
			}
			if err := n.Contract.Terms.CheckPayable(fee, x.PlatformBPS); err != nil {
				return nil, Errorf(ECONFLICT, msgs.PlatformFeeChangedX, ErrorMessage(err))
			}
			c := *n.Contract
			bps := x.PlatformBPS
			c.PlatformBPS = &bps
			n.Contract = &c
		}
		evs = append(evs, dealEvent(EventDealSigned, *n, a, now, map[string]any{
			"hash": x.Hash, "offer": n.Contract.OfferNumber}))
	}
	return evs, nil
}
