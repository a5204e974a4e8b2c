package market

import "time"

// Events of the deal states the payments module drives, with ObjectType
// "deal". Their payload carries the state reached.
const (
	EventDealInProgress = "deal.in_progress" // the first milestone was funded
	EventDealCompleted  = "deal.completed"   // every milestone closed, at least one released
	EventDealDisputed   = "deal.disputed"    // a milestone is disputed
	EventDealResumed    = "deal.resumed"     // the last dispute was settled
	EventDealRefunded   = "deal.refunded"    // every milestone refunded: nothing was bought
)

// DealAfterMilestones returns the deal state its milestones imply, with
// Version+1 and an event, or ok=false when the state stays: signed becomes
// in_progress once money moves; any disputed milestone makes the deal
// disputed, and settling the last one resumes it; when every milestone is
// final the deal is completed if one was released, and cancelled if all
// were refunded. Only signed, in_progress and disputed deals move.
func DealAfterMilestones(d Deal, ms []Milestone, actorID string, now time.Time) (Deal, []Event, bool) {
	switch d.State {
	case DealSigned, DealInProgress, DealDisputed:
	default:
		return d, nil, false
	}
	disputed, moved := false, false
	for _, m := range ms {
		disputed = disputed || m.State == MilestoneDisputed
		moved = moved || m.State != MilestonePending
	}
	state, typ := d.State, ""
	switch {
	case MilestonesCompleted(ms):
		state, typ = DealCompleted, EventDealCompleted
	case MilestonesClosed(ms):
		state, typ = DealCancelled, EventDealRefunded
	case disputed:
		state, typ = DealDisputed, EventDealDisputed
	case d.State == DealDisputed:
		state, typ = DealInProgress, EventDealResumed
	case moved:
		state, typ = DealInProgress, EventDealInProgress
	}
	if state == d.State {
		return d, nil, false
	}
	n := d.clone()
	n.State, n.Version, n.UpdatedAt = state, d.Version+1, now.UTC()
	if state == DealCompleted || state == DealCancelled {
		n.ClosedAt = n.UpdatedAt
	}
	if state == DealCancelled {
		n.CloseReason = "every milestone was refunded"
	}
	ev := NewEvent(typ, actorID, DealObjectType, d.ID, map[string]any{"from": d.State, "state": state}, now)
	return n, []Event{ev}, true
}
