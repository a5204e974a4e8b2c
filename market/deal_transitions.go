package market

import (
	"slices"
	"strings"
	"techbridge/market/msgs"
	"time"
)

// dealRule says in which states and by which roles an action may be taken.
// ApplyDeal checks it before the action's own checks, so the error codes are
// uniform: unknown actor ENOTFOUND, wrong role EFORBIDDEN, wrong state ECONFLICT.
type dealRule struct {
	states []string
	roles  []string
}

var (
	dealPartiesOnly    = []string{DealRoleBuyer, DealRoleSeller}
	dealParticipants   = []string{DealRoleBuyer, DealRoleSeller, DealRoleIntermediary}
	dealBeforeContract = []string{DealInquiry, DealNDA, DealNegotiation}
	dealThreadStates   = []string{DealInquiry, DealNDA, DealNegotiation, DealContractDrafted, DealSigned, DealInProgress, DealDisputed}
	dealPlatformOnly   = []string{DealRoleAdmin, DealRoleSystem}
)

// dealRules is the whole permission table of the deal state machine.
var dealRules = map[string]dealRule{
	AcceptInquiry{}.Name():        {[]string{DealInquiry}, dealPartiesOnly},
	DeclineInquiry{}.Name():       {[]string{DealInquiry}, dealPartiesOnly},
	AcceptNDA{}.Name():            {[]string{DealInquiry, DealNDA}, []string{DealRoleBuyer}},
	PostMessage{}.Name():          {dealThreadStates, dealParticipants},
	InviteIntermediary{}.Name():   {dealBeforeContract, dealPartiesOnly},
	RespondIntermediary{}.Name():  {dealBeforeContract, []string{DealRoleIntermediary}},
	AgreeIntermediaryFee{}.Name(): {dealBeforeContract, dealPartiesOnly},
	ProposeOffer{}.Name():         {[]string{DealNegotiation, DealContractDrafted}, dealParticipants},
	RejectOffer{}.Name():          {[]string{DealNegotiation}, dealPartiesOnly},
	WithdrawOffer{}.Name():        {[]string{DealNegotiation}, dealParticipants},
	AcceptOffer{}.Name():          {[]string{DealNegotiation}, dealPartiesOnly},
	SignContract{}.Name():         {[]string{DealContractDrafted}, dealPartiesOnly},
	CancelDeal{}.Name():           {DealExpirableStates, dealPartiesOnly},
	ExpireDeal{}.Name():           {DealExpirableStates, dealPlatformOnly},
}

// ApplyDeal is the deal state machine: it returns the deal after actor a did
// act at now, with Version+1, and the events to append in the same
// transaction. It never modifies d; on error it returns d unchanged.
func ApplyDeal(d Deal, a DealActor, act DealAction, now time.Time) (Deal, []Event, error) {
	now = now.UTC()
	rule, ok := dealRules[act.Name()]
	if !ok {
		return d, nil, Errorf(EINTERNAL, msgs.NoRuleForDealActionX, act.Name())
	}
	if err := d.checkActor(a); err != nil {
		return d, nil, err
	}
	if !slices.Contains(rule.roles, a.Role) {
		return d, nil, Errorf(EFORBIDDEN, msgs.XMayNotX, msgs.Term{Kind: "deal.role", Value: a.Role}, msgs.Term{Kind: "deal.action", Value: act.Name()})
	}
	if !slices.Contains(rule.states, d.State) {
		return d, nil, Errorf(ECONFLICT, msgs.CannotXDealThatX, msgs.Term{Kind: "deal.action", Value: act.Name()}, msgs.Term{Kind: "deal.state", Value: d.State})
	}
	n := d.clone()
	evs, err := act.apply(&n, a, now)
	if err != nil {
		return d, nil, err
	}
	n.Version = d.Version + 1
	n.UpdatedAt = now
	if a.Role != DealRoleSystem && a.Role != DealRoleAdmin {
		n.LastActivityAt = now
	}
	return n, evs, nil
}

// checkActor refuses an actor whose claimed role does not match the deal's
// organisations; such an actor learns nothing, not even that the deal exists.
func (d Deal) checkActor(a DealActor) error {
	switch a.Role {
	case DealRoleAdmin, DealRoleSystem:
		return nil
	case DealRoleBuyer, DealRoleSeller, DealRoleIntermediary:
		if d.RoleOf(a.OrgID) == a.Role {
			return nil
		}
	}
	return Errorf(ENOTFOUND, msgs.DealXNotFound, d.ID)
}

// answeringSide refuses the side that opened the deal: it cannot answer its
// own inquiry.
func answeringSide(d *Deal, a DealActor) error {
	if a.Role == d.OpenedByRole {
		return Errorf(EFORBIDDEN, msgs.XOpenedThisDealOtherSide, msgs.Term{Kind: "deal.role", Value: a.Role})
	}
	return nil
}

func (AcceptInquiry) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	if err := answeringSide(n, a); err != nil {
		return nil, err
	}
	n.State = DealNegotiation
	if n.NDA != nil && (n.NDAAcceptance == nil || !n.NDAAcceptance.Covers(*n.NDA)) {
		n.State = DealNDA
	}
	return []Event{dealEvent(EventDealInquiryAccepted, *n, a, now, map[string]any{"state": n.State})}, nil
}

func (x DeclineInquiry) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	if err := answeringSide(n, a); err != nil {
		return nil, err
	}
	if err := closeDeal(n, DealDeclined, x.Reason, now); err != nil {
		return nil, err
	}
	return []Event{dealEvent(EventDealDeclined, *n, a, now, map[string]any{"reason": n.CloseReason})}, nil
}

func (x AcceptNDA) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	switch {
	case n.NDA == nil:
		return nil, Errorf(ECONFLICT, msgs.ThisDealNeedsNoNDA)
	case n.NDAAcceptance != nil && n.NDAAcceptance.Covers(*n.NDA):
		return nil, Errorf(ECONFLICT, msgs.NDAAlreadyAccepted)
	case x.Hash != n.NDA.Hash:
		return nil, Errorf(ECONFLICT, msgs.NDAChangedSinceItWasShown)
	}
	n.NDAAcceptance = &NDAAcceptance{OrgID: a.OrgID, AccountID: a.AccountID,
		NDAVersion: n.NDA.Version, NDAHash: n.NDA.Hash, AcceptedAt: now}
	if n.State == DealNDA {
		n.State = DealNegotiation
	}
	return []Event{dealEvent(EventDealNDAAccepted, *n, a, now, map[string]any{
		"nda_version": n.NDA.Version, "nda_hash": n.NDA.Hash, "state": n.State})}, nil
}

func (x PostMessage) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	if err := activeIntermediary(n, a); err != nil {
		return nil, err
	}
	body := strings.TrimSpace(x.Body)
	var f Fields
	if body == "" {
		f.Add("body", msgs.Required)
	}
	checkLen(&f, "body", body, 10000)
	if err := f.Err(); err != nil {
		return nil, err
	}
	return []Event{dealEvent(EventDealMessagePosted, *n, a, now, map[string]any{"body": body})}, nil
}

func (x CancelDeal) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	if err := closeDeal(n, DealCancelled, x.Reason, now); err != nil {
		return nil, err
	}
	return []Event{dealEvent(EventDealCancelled, *n, a, now, map[string]any{"reason": n.CloseReason})}, nil
}

func (x ExpireDeal) apply(n *Deal, a DealActor, now time.Time) ([]Event, error) {
	if x.IdleFor <= 0 {
		return nil, Invalid("idle_for", msgs.Positive)
	}
	if now.Sub(n.LastActivityAt) < x.IdleFor {
		return nil, Errorf(ECONFLICT, msgs.DealXHadActivityAtX, n.ID, n.LastActivityAt.Format(time.RFC3339))
	}
	if err := closeDeal(n, DealExpired, "no activity for "+x.IdleFor.String(), now); err != nil {
		return nil, err
	}
	return []Event{dealEvent(EventDealExpired, *n, a, now, map[string]any{"last_activity_at": n.LastActivityAt})}, nil
}

// closeDeal ends the deal in state; a pending first signature dies with it.
func closeDeal(n *Deal, state, reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if err := dealCheckLen("reason", reason, 2000); err != nil {
		return err
	}
	n.State, n.CloseReason, n.ClosedAt = state, reason, now
	return nil
}

// activeIntermediary refuses an intermediary that has not been fully agreed
// to; it may read the deal but not take part yet.
func activeIntermediary(n *Deal, a DealActor) error {
	if a.Role == DealRoleIntermediary && !n.Intermediary.Active() {
		return Errorf(EFORBIDDEN, msgs.IntermediaryTakesPartOnceItAccepted)
	}
	return nil
}

// dealCheckLen is checkLen for a single field.
func dealCheckLen(field, s string, max int) error {
	var f Fields
	checkLen(&f, field, s, max)
	return f.Err()
}
