package market

import (
	"context"
	"sync"
	"time"
)

// Provider calls after commit are detached from the request: the request
// waits for them at most ProviderInlineWait (so a healthy provider's answer
// is still shown at once), and they run on with their own deadline,
// ProviderCallTimeout. One that fails or outlasts them leaves its operation
// pending, and PayoutRetrier asks again with backoff; the payment_operations
// rows are the durable record and the idempotency keys make every retry
// safe.
const (
	ProviderInlineWait  = 3 * time.Second
	ProviderCallTimeout = 30 * time.Second
)

// executeOpsDetached runs executeOps outside the request's context and
// waits for it at most ProviderInlineWait, or until the request ends.
func (s *Service) executeOpsDetached(ctx context.Context, p Payments, ops []PaymentOp) {
	if len(ops) == 0 {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ProviderCallTimeout)
		defer cancel()
		s.executeOps(bctx, p, ops)
	}()
	t := time.NewTimer(ProviderInlineWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	case <-ctx.Done():
	}
}

// Payout retry backoff: doubling from the first to the last.
const (
	payoutRetryFirst = 30 * time.Second
	payoutRetryLast  = time.Hour
)

// PayoutRetrier asks the provider again for pending transfers and refunds
// older than MinAge, each with its own exponential backoff. Run its Step
// under a lease (market.Singleton), so one instance retries; the backoff
// state is in memory and starting over after a lease moves only means an
// earlier retry, which the idempotency key makes harmless. Operations of
// the bank provider wait for a person (MarkPayoutPaid) and are left alone.
type PayoutRetrier struct {
	Service *Service
	MinAge  time.Duration // leave younger operations to their own call

	mu   sync.Mutex
	next map[string]payoutBackoff
}

type payoutBackoff struct {
	at   time.Time
	wait time.Duration
}

// Step retries every pending payout that is due and reports how many
// completed.
func (r *PayoutRetrier) Step(ctx context.Context) (completed int, err error) {
	s := r.Service
	p, err := s.payments()
	if err != nil || p.Provider.Name() == ProviderBank {
		return 0, nil // no provider to ask
	}
	var ops []PaymentOp
	if err := s.Store.View(ctx, func(tx Tx) (err error) {
		ops, err = tx.ListPaymentOps(PaymentOpFilter{Kinds: []string{PayTransfer, PayRefund}, State: PayPending, Limit: 500})
		return err
	}); err != nil {
		return 0, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.next == nil {
		r.next = map[string]payoutBackoff{}
	}
	now := s.now()
	pending := map[string]bool{}
	for _, op := range ops {
		pending[op.ID] = true
		b := r.next[op.ID]
		if op.Provider != p.Provider.Name() || now.Sub(op.CreatedAt) < r.MinAge || now.Before(b.at) {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, ProviderCallTimeout)
		err := s.executeOp(cctx, p, op)
		cancel()
		if ctx.Err() != nil {
			return completed, ctx.Err()
		}
		var after PaymentOp
		if verr := s.Store.View(ctx, func(tx Tx) error {
			o, err := tx.PaymentOpByID(op.ID)
			if err == nil {
				after = *o
			}
			return err
		}); verr == nil && after.State != PayPending {
			completed++
			delete(r.next, op.ID)
			continue
		}
		b.wait = min(max(2*b.wait, payoutRetryFirst), payoutRetryLast)
		b.at = now.Add(b.wait)
		r.next[op.ID] = b
		s.Log.WarnContext(ctx, "payout still pending after a retry", "op", op.ID, "kind", op.Kind, "err", err, "next_retry_in", b.wait)
	}
	for id := range r.next { // forget what was settled elsewhere
		if !pending[id] {
			delete(r.next, id)
		}
	}
	return completed, nil
}
