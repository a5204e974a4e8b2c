package payments_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/payments/paytest"
)

// stallingStripe stalls every transfer until released, then fails it (a
// Stripe that stopped answering); once healthy it answers like
// countingStripe.
type stallingStripe struct {
	*countingStripe
	stall   chan struct{}
	healthy atomic.Bool
	failed  atomic.Int64
}

func (s *stallingStripe) Transfer(ctx context.Context, op market.PaymentOp, payee *market.PaymentAccount, key string) (string, bool, error) {
	if !s.healthy.Load() {
		select {
		case <-s.stall:
		case <-ctx.Done():
		}
		s.failed.Add(1)
		return "", false, errors.New("stripe: request timed out")
	}
	return s.countingStripe.Transfer(ctx, op, payee, key)
}

// TestStalledProviderDoesNotHoldTheRelease: with Stripe paused, a release
// blocked for the whole stall after its commit. Now the provider call is
// detached: the release answers while Stripe still hangs, the transfers
// stay pending (the durable record), and the retrier completes them once
// Stripe answers, once each.
func TestStalledProviderDoesNotHoldTheRelease(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ss := &stallingStripe{countingStripe: newCountingStripe(t), stall: make(chan struct{})}
		w := newWorld(t, db, ss, 100000)
		for _, p := range []paytest.Party{w.seller, w.broker} {
			if err := db.Update(w.ctx, func(tx market.Tx) error {
				return tx.PutPaymentAccount(market.PaymentAccount{OrgID: p.Org.ID, Provider: market.ProviderStripe,
					ExternalID: "acct_" + p.Org.ID, UpdatedAt: time.Now()})
			}); err != nil {
				t.Fatal(err)
			}
		}
		w.fundByWebhook(0, "evt_fund_stall")
		w.mustAct(w.seller.Actor, 0, market.MilestoneDeliver, 0)
		w.mustAct(w.buyer.Actor, 0, market.MilestoneAccept, 0)

		released := make(chan error, 1)
		go func() {
			_, err := w.act(w.buyer.Actor, 0, market.MilestoneRelease, 0)
			released <- err
		}()
		select {
		case err := <-released:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(60 * time.Second): // Stripe never answers: only a hang reaches this
			t.Fatal("the release waited on the stalled provider")
		}
		if m := w.milestone(0); m.State != market.MilestoneReleased {
			t.Fatalf("milestone %s after release", m.State)
		}
		pending, err := w.svc.Payouts(w.ctx, w.admin, market.PayPending)
		if err != nil || len(pending) != 2 {
			t.Fatalf("pending payouts %d (%v), want 2 visible to admins", len(pending), err)
		}

		close(ss.stall)
		deadline := time.Now().Add(30 * time.Second)
		for ss.failed.Load() < 2 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		ss.healthy.Store(true)
		r := &market.PayoutRetrier{Service: w.svc}
		done, err := r.Step(w.ctx)
		if err != nil || done != 2 {
			t.Fatalf("retry completed %d (%v), want 2", done, err)
		}
		if again, err := r.Step(w.ctx); err != nil || again != 0 {
			t.Fatalf("second retry completed %d (%v)", again, err)
		}
		if n := ss.transfers.Load(); n != 2 {
			t.Fatalf("%d transfers, want one per payee", n)
		}
		if pending, _ := w.svc.Payouts(w.ctx, w.admin, market.PayPending); len(pending) != 0 {
			t.Fatalf("%d payouts still pending", len(pending))
		}
		w.checkLedger()
	})
}
