package market

import (
	"slices"
	"strings"
	"techbridge/market/ledger"
	"techbridge/market/msgs"
	"time"
	"unicode/utf8"
)

// Milestone actions.
const (
	MilestoneFund           = "fund"
	MilestoneDeliver        = "deliver"
	MilestoneRequestChanges = "request_changes"
	MilestoneAccept         = "accept"
	MilestoneRelease        = "release"
	MilestoneRefund         = "refund"
	MilestoneDispute        = "dispute"
	MilestoneSettle         = "settle"
)

// MilestoneCommand asks for one transition.
type MilestoneCommand struct {
	Action  string
	Version int64  // the version the actor saw; a mismatch is ECONFLICT
	Amount  int64  // fund: paid into escrow; refund: returned; settle: the part returned to the buyer
	Note    string // required for deliver, request_changes and dispute; optional for settle
	ActorID string // account id for the event; "" for the system
}

// milestoneRule says who may take an action and from which states.
type milestoneRule struct {
	roles []MilestoneRole
	from  []string
}

// Before release both sides may dispute, and the seller (or an admin) may
// give money back; a buyer who wants money back disputes instead, because a
// refund the seller did not agree to is a judgement only an admin may make.
var (
	openStates     = []string{MilestoneFunded, MilestoneDelivered, MilestoneChangesRequested, MilestoneAccepted}
	milestoneRules = map[string]milestoneRule{
		MilestoneFund:           {[]MilestoneRole{MilestoneByBuyer, MilestoneByAdmin, MilestoneBySystem}, []string{MilestonePending}},
		MilestoneDeliver:        {[]MilestoneRole{MilestoneBySeller}, []string{MilestoneFunded, MilestoneChangesRequested}},
		MilestoneRequestChanges: {[]MilestoneRole{MilestoneByBuyer}, []string{MilestoneDelivered}},
		MilestoneAccept:         {[]MilestoneRole{MilestoneByBuyer}, []string{MilestoneDelivered}},
		MilestoneRelease:        {[]MilestoneRole{MilestoneByBuyer, MilestoneByAdmin, MilestoneBySystem}, []string{MilestoneAccepted}},
		MilestoneRefund:         {[]MilestoneRole{MilestoneBySeller, MilestoneByAdmin}, openStates},
		MilestoneDispute:        {[]MilestoneRole{MilestoneByBuyer, MilestoneBySeller}, openStates},
		MilestoneSettle:         {[]MilestoneRole{MilestoneByAdmin}, []string{MilestoneDisputed}},
	}
)

// ApplyMilestone applies one command to a milestone: who may act is checked
// first (EFORBIDDEN), then the version and state (ECONFLICT), then the input
// (EINVALID). It returns the new milestone, at Version+1, and the events to
// append with it. Fund, refund, release and settle move money: the caller
// books the matching payments posting in the same store transaction.
func ApplyMilestone(m Milestone, role MilestoneRole, cmd MilestoneCommand, now time.Time) (Milestone, []Event, error) {
	rule, ok := milestoneRules[cmd.Action]
	if !ok {
		return m, nil, Invalid("action", msgs.UnknownMilestoneActionX, cmd.Action)
	}
	if role == MilestoneByNobody || !slices.Contains(rule.roles, role) {
		return m, nil, Errorf(EFORBIDDEN, msgs.XMayNotXMilestone, msgs.Term{Kind: "deal.role", Value: string(role)}, msgs.Term{Kind: "milestone.action", Value: cmd.Action})
	}
	if cmd.Version != m.Version {
		return m, nil, StaleVersion(msgs.MilestoneChangedVersionNNotN, m.Version, cmd.Version)
	}
	if !slices.Contains(rule.from, m.State) {
		return m, nil, Errorf(ECONFLICT, msgs.CannotXMilestoneThatX, msgs.Term{Kind: "milestone.action", Value: cmd.Action}, msgs.Term{Kind: "pay.state", Value: m.State})
	}
	note := strings.TrimSpace(cmd.Note)
	if utf8.RuneCountInString(note) > MaxMilestoneNote {
		return m, nil, Invalid("note", msgs.AtMostNChars, MaxMilestoneNote)
	}
	n := m
	n.Version++
	n.UpdatedAt = now.UTC()
	ev := milestoneEvents{m: &n, role: role, actorID: cmd.ActorID, at: n.UpdatedAt}
	switch cmd.Action {
	case MilestoneFund:
		if cmd.Amount < m.Amount {
			return m, nil, Invalid("amount", msgs.AtLeastMilestoneAmountN, ledger.Money{Amount: m.Amount, Currency: m.Currency})
		}
		n.State, n.Funded = MilestoneFunded, cmd.Amount
		ev.add(EventMilestoneFunded, m.State, cmd.Amount, "")
	case MilestoneDeliver, MilestoneRequestChanges, MilestoneDispute:
		if note == "" {
			return m, nil, Invalid("note", msgs.Required)
		}
		switch cmd.Action {
		case MilestoneDeliver:
			n.State, n.DeliveryNote = MilestoneDelivered, note
		case MilestoneRequestChanges:
			n.State, n.ChangesNote = MilestoneChangesRequested, note
		default:
			n.State, n.DisputeNote, n.DisputedFrom = MilestoneDisputed, note, m.State
		}
		ev.add(milestoneEventTypes[n.State], m.State, 0, note)
	case MilestoneAccept:
		n.State = MilestoneAccepted
		ev.add(EventMilestoneAccepted, m.State, 0, "")
	case MilestoneRelease:
		n.State = MilestoneReleased
		ev.add(EventMilestoneReleased, m.State, m.Remaining(), "")
	case MilestoneRefund:
		if cmd.Amount <= 0 || cmd.Amount > m.Remaining() {
			return m, nil, Invalid("amount", msgs.MinorUnitsBetween, ledger.Money{Amount: 1, Currency: m.Currency}, ledger.Money{Amount: m.Remaining(), Currency: m.Currency})
		}
		n.Refunded += cmd.Amount
		if n.Remaining() == 0 {
			n.State = MilestoneRefunded
		}
		ev.add(EventMilestoneRefunded, m.State, cmd.Amount, note)
	case MilestoneSettle:
		if cmd.Amount < 0 || cmd.Amount > m.Remaining() {
			return m, nil, Invalid("amount", msgs.MinorUnitsBetween, ledger.Money{Amount: 0, Currency: m.Currency}, ledger.Money{Amount: m.Remaining(), Currency: m.Currency})
		}
		released := m.Remaining() - cmd.Amount
		n.Refunded += cmd.Amount
		n.State = MilestoneReleased
		if released == 0 {
			n.State = MilestoneRefunded
		}
		ev.add(EventMilestoneSettled, m.State, cmd.Amount, note)
		if cmd.Amount > 0 {
			ev.add(EventMilestoneRefunded, m.State, cmd.Amount, note)
		}
		if released > 0 {
			ev.add(EventMilestoneReleased, m.State, released, note)
		}
	}
	return n, ev.list, nil
}

// String names the role in messages.
func (r MilestoneRole) String() string {
	if r == MilestoneByNobody {
		return "non-party"
	}
	return string(r)
}
