package market

import (
	"testing"
	"time"
)

func TestDealAfterMilestones(t *testing.T) {
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	ms := func(states ...string) []Milestone {
		var out []Milestone
		for _, s := range states {
			out = append(out, Milestone{State: s})
		}
		return out
	}
	cases := []struct {
		name, from string
		ms         []Milestone
		want       string // "" = unchanged
		event      string
	}{
		{"nothing moved", DealSigned, ms(MilestonePending, MilestonePending), "", ""},
		{"first funding", DealSigned, ms(MilestoneFunded, MilestonePending), DealInProgress, EventDealInProgress},
		{"dispute", DealInProgress, ms(MilestoneDisputed, MilestonePending), DealDisputed, EventDealDisputed},
		{"settled, more to do", DealDisputed, ms(MilestoneReleased, MilestonePending), DealInProgress, EventDealResumed},
		{"all released", DealInProgress, ms(MilestoneReleased, MilestoneReleased), DealCompleted, EventDealCompleted},
		{"released and refunded", DealDisputed, ms(MilestoneReleased, MilestoneRefunded), DealCompleted, EventDealCompleted},
		{"all refunded", DealInProgress, ms(MilestoneRefunded), DealCancelled, EventDealRefunded},
		{"still running", DealInProgress, ms(MilestoneReleased, MilestoneDelivered), "", ""},
		{"not a signed deal", DealNegotiation, ms(MilestoneReleased), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Deal{ID: "d", State: c.from, Version: 4}
			n, evs, ok := DealAfterMilestones(d, c.ms, "acc", now)
			if c.want == "" {
				if ok || n.State != c.from || len(evs) != 0 {
					t.Fatalf("moved to %s with %d events", n.State, len(evs))
				}
				return
			}
			if !ok || n.State != c.want || n.Version != 5 || len(evs) != 1 || evs[0].Type != c.event || d.State != c.from {
				t.Fatalf("got %s v%d %v, want %s", n.State, n.Version, evs, c.want)
			}
			closed := c.want == DealCompleted || c.want == DealCancelled
			if closed != !n.ClosedAt.IsZero() {
				t.Fatalf("closed at %v for %s", n.ClosedAt, c.want)
			}
		})
	}
}
