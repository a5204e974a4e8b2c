package market

import "techbridge/market/msgs"
import "time"

// MilestonesForContract creates the pending milestones of a signed contract,
// one per MilestoneTerms in contract order (Seq 1, 2, …). Their amounts add
// up to the contract price, which payments relies on to share the
// intermediary fee out exactly.
func MilestonesForContract(c Contract, now time.Time) ([]Milestone, error) {
	ms := make([]Milestone, 0, len(c.Terms.Milestones))
	for i, t := range c.Terms.Milestones {
		m, err := NewMilestone(c.DealID, i+1, t.Title, t.Amount, c.Terms.Currency, now)
		if err != nil {
			return nil, err
		}
		m.Deliverable, m.Due = t.Deliverable, t.Due
		ms = append(ms, m)
	}
	if len(ms) == 0 {
		return nil, Invalid("milestones", msgs.ContractNeedsAtLeastOneMilestone)
	}
	return ms, nil
}
