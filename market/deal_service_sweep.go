package market

import (
	"context"
	"slices"
	"techbridge/market/msgs"
	"time"
)

// DefaultDealIdleTTL is how long a deal before signing may see no activity
// before the sweeper expires it, when the configuration names no other.
const DefaultDealIdleTTL = 30 * 24 * time.Hour

// checkIdle refuses any action on a deal that has been idle past the
// configured time (Service.DealIdleTTL, default DefaultDealIdleTTL), at the
// moment of the action: the hourly sweep only records the expiry.
func (s *Service) checkIdle(d Deal, now time.Time) error {
	ttl := s.DealIdleTTL
	if ttl <= 0 {
		ttl = DefaultDealIdleTTL
	}
	if slices.Contains(DealExpirableStates, d.State) && now.Sub(d.LastActivityAt) >= ttl {
		return Errorf(ECONFLICT, msgs.DealXExpiredNoActivitySince, d.ID, d.LastActivityAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// sweepBatch bounds the deals one sweep looks at; the next sweep continues.
const sweepBatch = 200

// SweepIdleDeals expires deals in DealExpirableStates that saw no activity
// for idleFor, each in its own transaction as the system, and returns how
// many it expired. A deal that moved meanwhile loses the race to its
// participants (ECONFLICT) and is left alone.
func (s *Service) SweepIdleDeals(ctx context.Context, idleFor time.Duration) (int, error) {
	if idleFor <= 0 {
		return 0, Invalid("idle_for", msgs.Positive)
	}
	var ids []string
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		ids, err = tx.IdleDealIDs(s.now().Add(-idleFor), sweepBatch)
		return err
	})
	if err != nil {
		return 0, err
	}
	expired := 0
	for _, id := range ids {
		if ctx.Err() != nil {
			return expired, ctx.Err()
		}
		err := s.Store.Update(ctx, func(tx Tx) error {
			d, err := tx.DealByID(id)
			if err != nil {
				return err
			}
			sys := DealActor{Role: DealRoleSystem}
			n, evs, err := ApplyDeal(*d, sys, ExpireDeal{IdleFor: idleFor}, s.now())
			if err != nil {
				return err
			}
			return s.storeDealStep(tx, *d, n, sys, evs)
		})
		switch ErrorCode(err) {
		case "":
			expired++
		case ECONFLICT:
		default:
			return expired, err
		}
	}
	return expired, nil
}
