package market

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var msT0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// milestoneIn returns a milestone of amount 1000 CNY in the given state; any
// state past pending has been funded with 1000.
func milestoneIn(state string) Milestone {
	m := Milestone{ID: "m1", DealID: "d1", Seq: 1, Title: "prototype", Amount: 1000, Currency: "CNY",
		State: state, Version: 7, CreatedAt: msT0, UpdatedAt: msT0}
	if state != MilestonePending {
		m.Funded = 1000
	}
	if state == MilestoneRefunded {
		m.Refunded = 1000
	}
	if state == MilestoneDisputed {
		m.DisputedFrom = MilestoneDelivered
	}
	return m
}

var (
	allMilestoneStates = []string{MilestonePending, MilestoneFunded, MilestoneDelivered, MilestoneChangesRequested,
		MilestoneAccepted, MilestoneReleased, MilestoneRefunded, MilestoneDisputed}
	allMilestoneActions = []string{MilestoneFund, MilestoneDeliver, MilestoneRequestChanges, MilestoneAccept,
		MilestoneRelease, MilestoneRefund, MilestoneDispute, MilestoneSettle}
	allMilestoneRoles = []MilestoneRole{MilestoneByBuyer, MilestoneBySeller, MilestoneByIntermediary,
		MilestoneByAdmin, MilestoneBySystem, MilestoneByNobody}
)

// legalMilestoneMoves is the specification, written out move by move: with
// the inputs of TestMilestoneEveryMove (refund 300 of 1000, settle with 400
// back to the buyer) each listed (state, action, role) leads to the state
// given; every other combination must fail.
var legalMilestoneMoves = map[string]string{
	"pending fund buyer":  MilestoneFunded,
	"pending fund admin":  MilestoneFunded,
	"pending fund system": MilestoneFunded,

	"funded deliver seller":            MilestoneDelivered,
	"changes_requested deliver seller": MilestoneDelivered,
	"delivered request_changes buyer":  MilestoneChangesRequested,
	"delivered accept buyer":           MilestoneAccepted,
	"accepted release buyer":           MilestoneReleased,
	"accepted release admin":           MilestoneReleased,
	"accepted release system":          MilestoneReleased,

	"funded refund seller":            MilestoneFunded,
	"funded refund admin":             MilestoneFunded,
	"delivered refund seller":         MilestoneDelivered,
	"delivered refund admin":          MilestoneDelivered,
	"changes_requested refund seller": MilestoneChangesRequested,
	"changes_requested refund admin":  MilestoneChangesRequested,
	"accepted refund seller":          MilestoneAccepted,
	"accepted refund admin":           MilestoneAccepted,

	"funded dispute buyer":             MilestoneDisputed,
	"funded dispute seller":            MilestoneDisputed,
	"delivered dispute buyer":          MilestoneDisputed,
	"delivered dispute seller":         MilestoneDisputed,
	"changes_requested dispute buyer":  MilestoneDisputed,
	"changes_requested dispute seller": MilestoneDisputed,
	"accepted dispute buyer":           MilestoneDisputed,
	"accepted dispute seller":          MilestoneDisputed,

	"disputed settle admin": MilestoneReleased,
}

// TestMilestoneEveryMove tries every (state, action, role): legal moves reach
// the specified state at Version+1 with at least one event; a role that may
// never take the action gets EFORBIDDEN; a permitted role in the wrong state
// gets ECONFLICT and the milestone is returned unchanged.
func TestMilestoneEveryMove(t *testing.T) {
	mayEver := map[string]bool{} // "action role"
	for k := range legalMilestoneMoves {
		f := strings.Fields(k)
		mayEver[f[1]+" "+f[2]] = true
	}
	amounts := map[string]int64{MilestoneFund: 1000, MilestoneRefund: 300, MilestoneSettle: 400}
	legal := 0
	for _, state := range allMilestoneStates {
		for _, action := range allMilestoneActions {
			for _, role := range allMilestoneRoles {
				key := fmt.Sprintf("%s %s %s", state, action, role)
				m := milestoneIn(state)
				cmd := MilestoneCommand{Action: action, Version: 7, Amount: amounts[action], Note: "a note", ActorID: "acc1"}
				n, events, err := ApplyMilestone(m, role, cmd, msT0.Add(time.Hour))
				want, ok := legalMilestoneMoves[key]
				switch {
				case ok:
					legal++
					if err != nil {
						t.Errorf("%s: %v", key, err)
						continue
					}
					if n.State != want || n.Version != 8 || len(events) == 0 || !n.UpdatedAt.Equal(msT0.Add(time.Hour)) {
						t.Errorf("%s: state %s version %d events %d updated %v", key, n.State, n.Version, len(events), n.UpdatedAt)
					}
				case mayEver[action+" "+string(role)]:
					if ErrorCode(err) != ECONFLICT || n != m || events != nil {
						t.Errorf("%s: want ECONFLICT and no change, got %v", key, err)
					}
				default:
					if ErrorCode(err) != EFORBIDDEN || n != m {
						t.Errorf("%s: want EFORBIDDEN, got %v", key, err)
					}
				}
			}
		}
	}
	if legal != len(legalMilestoneMoves) {
		t.Errorf("tried %d legal moves, the spec lists %d", legal, len(legalMilestoneMoves))
	}
}

func TestMilestoneStaleVersion(t *testing.T) {
	m := milestoneIn(MilestoneDelivered)
	_, _, err := ApplyMilestone(m, MilestoneByBuyer, MilestoneCommand{Action: MilestoneAccept, Version: 6}, msT0)
	if ErrorCode(err) != ECONFLICT {
		t.Fatalf("stale version: %v", err)
	}
	_, _, err = ApplyMilestone(m, MilestoneByBuyer, MilestoneCommand{Action: "pay", Version: 7}, msT0)
	if ErrorCode(err) != EINVALID {
		t.Fatalf("unknown action: %v", err)
	}
}

func TestMilestoneInputs(t *testing.T) {
	long := strings.Repeat("长", MaxMilestoneNote+1)
	tests := []struct {
		name  string
		state string
		role  MilestoneRole
		cmd   MilestoneCommand
	}{
		{"fund below the amount", MilestonePending, MilestoneByBuyer, MilestoneCommand{Action: MilestoneFund, Amount: 999}},
		{"deliver without a note", MilestoneFunded, MilestoneBySeller, MilestoneCommand{Action: MilestoneDeliver, Note: "  \n"}},
		{"changes without a note", MilestoneDelivered, MilestoneByBuyer, MilestoneCommand{Action: MilestoneRequestChanges}},
		{"dispute without a reason", MilestoneAccepted, MilestoneBySeller, MilestoneCommand{Action: MilestoneDispute}},
		{"note too long", MilestoneFunded, MilestoneBySeller, MilestoneCommand{Action: MilestoneDeliver, Note: long}},
		{"refund zero", MilestoneFunded, MilestoneBySeller, MilestoneCommand{Action: MilestoneRefund}},
		{"refund negative", MilestoneFunded, MilestoneByAdmin, MilestoneCommand{Action: MilestoneRefund, Amount: -5}},
		{"refund above funded", MilestoneFunded, MilestoneByAdmin, MilestoneCommand{Action: MilestoneRefund, Amount: 1001}},
		{"settle negative", MilestoneDisputed, MilestoneByAdmin, MilestoneCommand{Action: MilestoneSettle, Amount: -1}},
		{"settle above funded", MilestoneDisputed, MilestoneByAdmin, MilestoneCommand{Action: MilestoneSettle, Amount: 1001}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cmd.Version = 7
			n, ev, err := ApplyMilestone(milestoneIn(tt.state), tt.role, tt.cmd, msT0)
			if ErrorCode(err) != EINVALID || n.Version != 7 || ev != nil {
				t.Fatalf("want EINVALID and no change, got %v (version %d)", err, n.Version)
			}
		})
	}
}

// apply runs one command at the milestone's version and fails the test on error.
func msApply(t *testing.T, m Milestone, role MilestoneRole, action string, amount int64) (Milestone, []Event) {
	t.Helper()
	n, ev, err := ApplyMilestone(m, role, MilestoneCommand{Action: action, Version: m.Version, Amount: amount, Note: "n"}, msT0)
	if err != nil {
		t.Fatalf("%s by %s: %v", action, role, err)
	}
	return n, ev
}

func TestMilestoneRefundsAccumulate(t *testing.T) {
	m, _ := msApply(t, milestoneIn(MilestonePending), MilestoneByBuyer, MilestoneFund, 1200) // 1000 + buyer-borne fee
	m, _ = msApply(t, m, MilestoneBySeller, MilestoneRefund, 500)
	if m.State != MilestoneFunded || m.Refunded != 500 || m.Remaining() != 700 {
		t.Fatalf("after 500: %+v", m)
	}
	if _, _, err := ApplyMilestone(m, MilestoneByAdmin, MilestoneCommand{Action: MilestoneRefund, Version: m.Version, Amount: 701}, msT0); ErrorCode(err) != EINVALID {
		t.Fatalf("refund beyond what is left: %v", err)
	}
	m, ev := msApply(t, m, MilestoneByAdmin, MilestoneRefund, 700)
	if m.State != MilestoneRefunded || m.Refunded != 1200 || !m.Final() {
		t.Fatalf("after full refund: %+v", m)
	}
	var p MilestoneEvent
	if err := json.Unmarshal(ev[0].Payload, &p); err != nil || ev[0].Type != "milestone.refunded" ||
		p.Amount != 700 || p.Currency != "CNY" || p.From != MilestoneFunded || p.Role != MilestoneByAdmin {
		t.Fatalf("event %s %+v %v", ev[0].Type, p, err)
	}
}

func TestMilestoneSettlement(t *testing.T) {
	tests := []struct {
		refund       int64
		state        string
		refunded     int64
		eventTypes   string
		releasedPaid int64
	}{
		{0, MilestoneReleased, 0, "milestone.settled milestone.released", 1000},
		{250, MilestoneReleased, 250, "milestone.settled milestone.refunded milestone.released", 750},
		{1000, MilestoneRefunded, 1000, "milestone.settled milestone.refunded", 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.refund), func(t *testing.T) {
			m, _ := msApply(t, milestoneIn(MilestoneDelivered), MilestoneByBuyer, MilestoneDispute, 0)
			if m.State != MilestoneDisputed || m.DisputedFrom != MilestoneDelivered || m.DisputeNote != "n" {
				t.Fatalf("dispute: %+v", m)
			}
			m, ev := msApply(t, m, MilestoneByAdmin, MilestoneSettle, tt.refund)
			var types []string
			var released int64
			for _, e := range ev {
				types = append(types, e.Type)
				if e.Type == "milestone.released" {
					var p MilestoneEvent
					_ = json.Unmarshal(e.Payload, &p)
					released = p.Amount
				}
				if e.ObjectType != "milestone" || e.ObjectID != "m1" {
					t.Errorf("event object %s %s", e.ObjectType, e.ObjectID)
				}
			}
			if m.State != tt.state || m.Refunded != tt.refunded || strings.Join(types, " ") != tt.eventTypes || released != tt.releasedPaid {
				t.Fatalf("got %s refunded %d events %v released %d", m.State, m.Refunded, types, released)
			}
		})
	}
}

func TestMilestoneChangesLoop(t *testing.T) {
	m, _ := msApply(t, milestoneIn(MilestonePending), MilestoneBySystem, MilestoneFund, 1000)
	for i := 0; i < 3; i++ {
		m, _ = msApply(t, m, MilestoneBySeller, MilestoneDeliver, 0)
		m, _ = msApply(t, m, MilestoneByBuyer, MilestoneRequestChanges, 0)
	}
	m, _ = msApply(t, m, MilestoneBySeller, MilestoneDeliver, 0)
	m, _ = msApply(t, m, MilestoneByBuyer, MilestoneAccept, 0)
	m, ev := msApply(t, m, MilestoneBySystem, MilestoneRelease, 0)
	if m.State != MilestoneReleased || m.Version != 7+10 || ev[0].Type != "milestone.released" {
		t.Fatalf("got %s v%d %s", m.State, m.Version, ev[0].Type)
	}
}

func TestMilestonesCompleted(t *testing.T) {
	rel, ref, open := milestoneIn(MilestoneReleased), milestoneIn(MilestoneRefunded), milestoneIn(MilestoneAccepted)
	tests := []struct {
		ms                []Milestone
		closed, completed bool
	}{
		{nil, false, false},
		{[]Milestone{rel}, true, true},
		{[]Milestone{rel, ref}, true, true},
		{[]Milestone{ref, ref}, true, false},
		{[]Milestone{rel, open}, false, false},
		{[]Milestone{milestoneIn(MilestoneDisputed)}, false, false},
	}
	for i, tt := range tests {
		if MilestonesClosed(tt.ms) != tt.closed || MilestonesCompleted(tt.ms) != tt.completed {
			t.Errorf("case %d: closed %v completed %v", i, MilestonesClosed(tt.ms), MilestonesCompleted(tt.ms))
		}
	}
}

func TestMilestoneRoleOf(t *testing.T) {
	member := func(org, role string) Actor {
		return Actor{AccountID: "a", PlatformRole: role, Memberships: []Membership{{OrgID: org}}}
	}
	tests := []struct {
		a    Actor
		want MilestoneRole
	}{
		{Actor{}, MilestoneByNobody},
		{member("B", ""), MilestoneByBuyer},
		{member("S", ""), MilestoneBySeller},
		{member("I", ""), MilestoneByIntermediary},
		{member("X", ""), MilestoneByNobody},
		{member("X", RoleAdmin), MilestoneByAdmin},
		{member("B", RoleAdmin), MilestoneByBuyer}, // an admin cannot judge their own deal
		{member("X", RoleReviewer), MilestoneByNobody},
	}
	for i, tt := range tests {
		if got := MilestoneRoleOf(tt.a, "B", "S", "I"); got != tt.want {
			t.Errorf("case %d: %q, want %q", i, got, tt.want)
		}
	}
	if got := MilestoneRoleOf(member("", ""), "B", "S", ""); got != MilestoneByNobody {
		t.Errorf("no intermediary: %q", got)
	}
}

func TestNewMilestone(t *testing.T) {
	m, err := NewMilestone("d1", 2, "  pilot line  ", 50000, "JPY", msT0)
	if err != nil || m.State != MilestonePending || m.Version != 1 || m.Title != "pilot line" || m.ID == "" {
		t.Fatalf("%+v %v", m, err)
	}
	_, err = NewMilestone("", 0, "", 0, "cny", msT0)
	var e *Error
	if ErrorCode(err) != EINVALID || !errors.As(err, &e) || len(e.Fields) != 5 {
		t.Fatalf("want 5 field errors, got %v", err)
	}
}

func TestMilestonesForContract(t *testing.T) {
	due := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	c := Contract{DealID: "d9", Terms: OfferTerms{Price: 300, Currency: "CNY", Milestones: []MilestoneTerms{
		{Title: "design", Deliverable: "report", Amount: 100, Due: due}, {Title: "pilot", Deliverable: "line", Amount: 200, Due: due}}}}
	ms, err := MilestonesForContract(c, msT0)
	if err != nil || len(ms) != 2 || ms[1].Seq != 2 || ms[1].Amount != 200 || ms[1].DealID != "d9" ||
		ms[0].Deliverable != "report" || !ms[0].Due.Equal(due) || ms[0].State != MilestonePending || ms[0].ID == ms[1].ID {
		t.Fatalf("%+v %v", ms, err)
	}
	if _, err := MilestonesForContract(Contract{DealID: "d9"}, msT0); ErrorCode(err) != EINVALID {
		t.Fatalf("no milestones: %v", err)
	}
}
