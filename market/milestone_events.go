package market

import "time"

// Event types a milestone transition emits, as market.Event.Type with
// ObjectType "milestone" and ObjectID the milestone id. A settlement emits
// settled, then refunded and/or released for the parts it decided, so a
// follower of released or refunded sees every movement however it came.
const (
	EventMilestoneFunded           = "milestone.funded"
	EventMilestoneDelivered        = "milestone.delivered"
	EventMilestoneChangesRequested = "milestone.changes_requested"
	EventMilestoneAccepted         = "milestone.accepted"
	EventMilestoneReleased         = "milestone.released"
	EventMilestoneRefunded         = "milestone.refunded"
	EventMilestoneDisputed         = "milestone.disputed"
	EventMilestoneSettled          = "milestone.settled"
)

// MilestoneObjectType is the Event.ObjectType of milestone events.
const MilestoneObjectType = "milestone"

// milestoneEventTypes names the event of the note-carrying moves by the state they reach.
var milestoneEventTypes = map[string]string{
	MilestoneDelivered:        EventMilestoneDelivered,
	MilestoneChangesRequested: EventMilestoneChangesRequested,
	MilestoneDisputed:         EventMilestoneDisputed,
}

// MilestoneEvent is the payload of every milestone.* event.
type MilestoneEvent struct {
	DealID   string        `json:"deal_id"`
	From     string        `json:"from"`
	State    string        `json:"state"`
	Role     MilestoneRole `json:"role"`
	Amount   int64         `json:"amount,omitempty"` // minor units moved; for released the gross leaving escrow, before fees
	Currency string        `json:"currency,omitempty"`
	Note     string        `json:"note,omitempty"`
	Version  int64         `json:"version"`
}

type milestoneEvents struct {
	m       *Milestone
	role    MilestoneRole
	actorID string
	at      time.Time
	list    []Event
}

func (e *milestoneEvents) add(typ, from string, amount int64, note string) {
	p := MilestoneEvent{DealID: e.m.DealID, From: from, State: e.m.State, Role: e.role,
		Amount: amount, Note: note, Version: e.m.Version}
	if amount != 0 {
		p.Currency = e.m.Currency
	}
	e.list = append(e.list, NewEvent(typ, e.actorID, MilestoneObjectType, e.m.ID, p, e.at))
}
