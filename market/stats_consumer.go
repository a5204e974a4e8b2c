package market

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// StatsConsumer follows the event log under StatsCursor and keeps the
// rollups. Each step reads a batch after the cursor, applies it and moves
// the cursor in ONE transaction, and the cursor moves only from where the
// step found it (StatsAdvance): a crash anywhere rolls the batch back
// whole, and two runs over the same batch (a lease handed over mid-step)
// cannot both commit. At-least-once delivery then counts each event once.
// Run it by the lease "stats" (Singleton), beside the other singletons.
type StatsConsumer struct {
	Store Store
	Batch int // events per step; 0 = 200
	// failAfter, in tests, fails a step after applying that many events
	// (a crash between the domain's commit and the rollup's).
	failAfter int
}

// Step applies one batch and reports how many events it applied.
func (c *StatsConsumer) Step(ctx context.Context) (int, error) {
	batch := c.Batch
	if batch <= 0 {
		batch = 200
	}
	n := 0
	err := c.Store.Update(ctx, func(tx Tx) error {
		n = 0
		cur, err := tx.Cursor(StatsCursor)
		if err != nil {
			return err
		}
		events, err := tx.EventsAfter(cur, batch)
		if err != nil || len(events) == 0 {
			return err
		}
		for i, e := range events {
			if c.failAfter > 0 && i == c.failAfter {
				return fmt.Errorf("stats: injected crash after %d events", i)
			}
			if err := applyStatsEvent(tx, e); err != nil {
				return fmt.Errorf("stats: event %d (%s): %w", e.Seq, e.Type, err)
			}
		}
		n = len(events)
		return tx.StatsAdvance(cur, events[len(events)-1].Seq)
	})
	if err != nil {
		n = 0
	}
	return n, err
}

// CatchUp applies steps until the log is consumed.
func (c *StatsConsumer) CatchUp(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := c.Step(ctx)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// applyStatsEvent counts one event.
func applyStatsEvent(tx Tx, e Event) error {
	day := StatDay(e.At)
	switch e.ObjectType {
	case OutcomeObjectType, ScenarioObjectType:
		return applyListing(tx, e.ObjectType, e.ObjectID, day)
	case ProposalObjectType:
		if e.Type == EventProposalSubmitted {
			return applyProposal(tx, e.ObjectID, day)
		}
	case DealObjectType:
		if e.Type == StatsEventContractRegistered {
			return applyRegistered(tx, e, day)
		}
		if strings.HasPrefix(e.Type, "deal.") {
			return applyDeal(tx, e.ObjectID, day)
		}
	}
	return nil
}

// statListingNow loads a listing as it counts now; nil when it is gone.
func statListingNow(tx Tx, kind, id string) (*StatListing, error) {
	var (
		o   *Outcome
		s   *Scenario
		org string
		err error
	)
	if kind == OutcomeObjectType {
		o, err = tx.OutcomeByID(id)
		if o != nil {
			org = o.OrgID
		}
	} else {
		s, err = tx.ScenarioByID(id)
		if s != nil {
			org = s.OrgID
		}
	}
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	region := ""
	if owner, err := tx.OrganizationByID(org); err == nil {
		region = owner.Region
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	l := statListingOf(o, s, region)
	return &l, nil
}

func applyListing(tx Tx, kind, id string, day time.Time) error {
	old, err := tx.StatsListing(id)
	if err != nil {
		return err
	}
	now, err := statListingNow(tx, kind, id)
	if err != nil {
		return err
	}
	if now == nil { // deleted: no longer live
		if old == nil {
			return nil
		}
		gone := *old
		gone.Live = false
		now = &gone
	}
	if old != nil {
		now.Answered = old.Answered
		now.Awarded = now.Awarded || old.Awarded
		if *old == *now {
			return nil
		}
	}
	if err := tx.StatsAdd(listingDeltas(old, *now, day)); err != nil {
		return err
	}
	return tx.PutStatsListing(*now)
}

// applyProposal counts an answer to a challenge call (and the call as
// answered at its first).
func applyProposal(tx Tx, id string, day time.Time) error {
	p, err := tx.ProposalByID(id)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	l, err := tx.StatsListing(p.ScenarioID)
	if err != nil || l == nil || !l.Challenge {
		return err
	}
	d := []StatDelta{}
	d = fan(d, StatDelta{Metric: StatChallenge, Dim: "calls", Day: day, Bucket: "proposals", N: 1}, orAll(l.Field), orAll(l.Region))
	if !l.Answered {
		d = fan(d, StatDelta{Metric: StatChallenge, Dim: "calls", Day: day, Bucket: "answered", N: 1}, orAll(l.Field), orAll(l.Region))
		l.Answered = true
		if err := tx.PutStatsListing(*l); err != nil {
			return err
		}
	}
	return tx.StatsAdd(d)
}

// statDealNow is what a deal counts as now, with its listing's slice.
func statDealNow(tx Tx, d *Deal) (StatDeal, error) {
	listing, kind := d.ListingID, OutcomeObjectType
	if d.Source == DealFromProposal {
		listing, kind = d.ScenarioID, ScenarioObjectType
	}
	sd := StatDeal{ID: d.ID, ListingID: listing, BrokerOrg: brokerOf(d), State: d.State, Reached: dealReached(d)}
	l, err := tx.StatsListing(listing)
	if err != nil {
		return sd, err
	}
	if l == nil { // the listing's events are before the deal's, so this is rare: load it
		if l, err = statListingNow(tx, kind, listing); err != nil {
			return sd, err
		}
	}
	if l != nil {
		sd.OwnerOrg, sd.Field, sd.Region = l.OrgID, l.Field, l.Region
	}
	return sd, nil
}

func applyDeal(tx Tx, id string, day time.Time) error {
	d, err := tx.DealByID(id)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	old, err := tx.StatsDeal(id)
	if err != nil {
		return err
	}
	now, err := statDealNow(tx, d)
	if err != nil {
		return err
	}
	if old != nil {
		now.Registered = old.Registered
		if old.BrokerOrg != "" { // a broker once counted stays the deal's broker
			now.BrokerOrg = old.BrokerOrg
		}
		// a stage once reached stays reached
		for _, st := range old.Reached {
			if !slices.Contains(now.Reached, st) {
				now.Reached = append(now.Reached, st)
			}
		}
		now.Reached = orderStages(now.Reached)
	}
	rows, funnel := dealDeltas(old, now, d, day)
	if err := tx.StatsAdd(rows); err != nil {
		return err
	}
	if err := tx.StatsFunnelAdd(funnel); err != nil {
		return err
	}
	return tx.PutStatsDeal(now)
}

func applyRegistered(tx Tx, e Event, day time.Time) error {
	p, err := parseContractRegistered(e.Payload)
	if err != nil {
		return nil // a malformed payload is not counted; the log keeps it
	}
	old, err := tx.StatsDeal(e.ObjectID)
	if err != nil {
		return err
	}
	sd := StatDeal{ID: e.ObjectID}
	if old != nil {
		if old.Registered {
			return nil
		}
		sd = *old
	}
	sd.Registered = true
	if err := tx.StatsAdd(contractDeltas(p, day)); err != nil {
		return err
	}
	return tx.PutStatsDeal(sd)
}

// orderStages sorts stages into funnel order.
func orderStages(in []string) []string {
	out := make([]string, 0, len(in))
	for _, st := range DealStages {
		if slices.Contains(in, st) {
			out = append(out, st)
		}
	}
	return out
}
