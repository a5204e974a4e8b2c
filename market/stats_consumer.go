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
		b := &statsBatch{tx: tx, rows: map[StatDelta]int{}, funnel: map[FunnelDelta]int{}}
		for _, e := range events {
			if err := b.apply(e); err != nil {
				return fmt.Errorf("stats: event %d (%s): %w", e.Seq, e.Type, err)
			}
		}
		if err := b.flush(); err != nil {
			return err
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

// statsBatch sums a step's rollup changes, so that a batch of events
// writes each row once (an import of thousands of listings of one field
// on one day is one row change, not thousands). What was counted for each
// listing and deal is written at once, as later events of the batch read it.
type statsBatch struct {
	tx     Tx
	rows   map[StatDelta]int // the delta with its sums zeroed → its index in sums
	sums   []StatDelta
	funnel map[FunnelDelta]int
	fsums  []FunnelDelta
}

// StatsAdd adds rollup changes to the batch.
func (b *statsBatch) StatsAdd(ds []StatDelta) error {
	for _, d := range ds {
		k := d
		k.N, k.Amount, k.Income = 0, 0, 0
		i, ok := b.rows[k]
		if !ok {
			i = len(b.sums)
			b.rows[k] = i
			b.sums = append(b.sums, k)
		}
		b.sums[i].N += d.N
		b.sums[i].Amount += d.Amount
		b.sums[i].Income += d.Income
	}
	return nil
}

// StatsFunnelAdd adds funnel changes to the batch.
func (b *statsBatch) StatsFunnelAdd(ds []FunnelDelta) error {
	for _, d := range ds {
		k := d
		k.N = 0
		i, ok := b.funnel[k]
		if !ok {
			i = len(b.fsums)
			b.funnel[k] = i
			b.fsums = append(b.fsums, k)
		}
		b.fsums[i].N += d.N
	}
	return nil
}

// flush writes the batch's sums (those that cancelled out are skipped).
func (b *statsBatch) flush() error {
	rows := b.sums[:0:0]
	for _, d := range b.sums {
		if d.N != 0 || d.Amount != 0 || d.Income != 0 {
			rows = append(rows, d)
		}
	}
	fun := b.fsums[:0:0]
	for _, d := range b.fsums {
		if d.N != 0 {
			fun = append(fun, d)
		}
	}
	if err := b.tx.StatsAdd(rows); err != nil {
		return err
	}
	return b.tx.StatsFunnelAdd(fun)
}

// apply counts one event.
func (b *statsBatch) apply(e Event) error {
	day := StatDay(e.At)
	switch e.ObjectType {
	case OutcomeObjectType, ScenarioObjectType:
		return b.applyListing(e.ObjectType, e.ObjectID, day)
	case ProposalObjectType:
		if e.Type == EventProposalSubmitted {
			return b.applyProposal(e.ObjectID, day)
		}
	case DealObjectType:
		if e.Type == EventContractRegistered {
			return b.applyRegistered(e, day)
		}
		if strings.HasPrefix(e.Type, "deal.") {
			return b.applyDeal(e.ObjectID, day)
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

func (b *statsBatch) applyListing(kind, id string, day time.Time) error {
	tx := b.tx
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
	if err := b.StatsAdd(listingDeltas(old, *now, day)); err != nil {
		return err
	}
	return tx.PutStatsListing(*now)
}

// applyProposal counts an answer to a challenge call (and the call as
// answered at its first).
func (b *statsBatch) applyProposal(id string, day time.Time) error {
	tx := b.tx
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
	return b.StatsAdd(d)
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

func (b *statsBatch) applyDeal(id string, day time.Time) error {
	tx := b.tx
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
	if err := b.StatsAdd(rows); err != nil {
		return err
	}
	if err := b.StatsFunnelAdd(funnel); err != nil {
		return err
	}
	return tx.PutStatsDeal(now)
}

func (b *statsBatch) applyRegistered(e Event, day time.Time) error {
	tx := b.tx
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
	if err := b.StatsAdd(contractDeltas(p, day)); err != nil {
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
