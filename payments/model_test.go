package payments_test

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/ledger"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// refMilestone is the reference model of one milestone's money.
type refMilestone struct {
	state                  string
	funded, refunded       int64
	seller, broker, platfm int64
}

// allowedFrom is the reference's own reading of who may do what from where.
var allowedFrom = map[string][]string{
	market.MilestoneDeliver:        {market.MilestoneFunded, market.MilestoneChangesRequested},
	market.MilestoneRequestChanges: {market.MilestoneDelivered},
	market.MilestoneAccept:         {market.MilestoneDelivered},
	market.MilestoneRelease:        {market.MilestoneAccepted},
	market.MilestoneRefund:         {market.MilestoneFunded, market.MilestoneDelivered, market.MilestoneChangesRequested, market.MilestoneAccepted},
	market.MilestoneDispute:        {market.MilestoneFunded, market.MilestoneDelivered, market.MilestoneChangesRequested, market.MilestoneAccepted},
	market.MilestoneSettle:         {market.MilestoneDisputed},
}

// TestModel drives random milestone commands and webhooks (duplicated and
// out of order) through the service and the store, and after every step
// checks the ledger's invariants and that every balance equals the
// reference model's.
func TestModel(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		steps := 300
		if db.Dialect() == sqlstore.Postgres {
			steps = 120
		}
		seed := time.Now().UnixNano()
		rng := rand.New(rand.NewSource(seed))
		t.Logf("seed %d", seed)
		w := newWorld(t, db, newCountingStripe(t), 70001, 30000, 999)
		ref := make([]refMilestone, len(w.ms))
		for i := range ref {
			ref[i].state = market.MilestonePending
		}
		pd, err := market.PostingDeal(w.deal, w.ms, 250, market.ProviderStripe)
		if err != nil {
			t.Fatal(err)
		}
		var sent [][2]string // bodies and signatures already delivered
		evn := 0
		deliver := func(body []byte, sig string) {
			if _, err := w.svc.HandleWebhook(w.ctx, body, sig); err != nil {
				t.Fatalf("webhook: %v", err)
			}
			sent = append(sent, [2]string{string(body), sig})
		}
		for step := 0; step < steps; step++ {
			i := rng.Intn(len(w.ms))
			m := w.milestone(i)
			r := &ref[i]
			var action string
			var err error
			var amount int64
			switch k := rng.Intn(11); {
			case k == 0 && r.state == market.MilestonePending:
				action = "fund"
				op, ferr := w.svc.FundMilestone(w.ctx, w.buyer.Actor, m.ID, market.FundInput{Version: m.Version})
				if ferr != nil {
					t.Fatalf("step %d fund: %v", step, ferr)
				}
				evn++
				body, sig := stripeEvent(t, fmt.Sprintf("evt_%d", evn), "payment_intent.succeeded", piObject(m, op.Amount, "succeeded"), time.Now())
				deliver(body, sig)
				if rng.Intn(2) == 0 { // a late "created" after the success
					evn++
					body, sig := stripeEvent(t, fmt.Sprintf("evt_%d", evn), "payment_intent.created", piObject(m, op.Amount, "requires_payment_method"), time.Now())
					deliver(body, sig)
				}
				r.state, r.funded = market.MilestoneFunded, op.Amount
			case k == 1 && len(sent) > 0:
				action = "replay"
				e := sent[rng.Intn(len(sent))]
				if out, err := w.svc.HandleWebhook(w.ctx, []byte(e[0]), e[1]); err != nil || out != "duplicate" {
					t.Fatalf("step %d replay: %q %v", step, out, err)
				}
			case k == 2 && r.funded > 0:
				action = "provider reports our refunds"
				evn++
				body, sig := stripeEvent(t, fmt.Sprintf("evt_%d", evn), "charge.refunded", chargeRefunded(m, r.refunded), time.Now())
				deliver(body, sig)
			default:
				actions := []string{market.MilestoneDeliver, market.MilestoneRequestChanges, market.MilestoneAccept,
					market.MilestoneRelease, market.MilestoneRefund, market.MilestoneDispute, market.MilestoneSettle}
				action = actions[rng.Intn(len(actions))]
				who := map[string]market.Actor{market.MilestoneDeliver: w.seller.Actor, market.MilestoneRequestChanges: w.buyer.Actor,
					market.MilestoneAccept: w.buyer.Actor, market.MilestoneRelease: w.buyer.Actor, market.MilestoneRefund: w.seller.Actor,
					market.MilestoneDispute: w.buyer.Actor, market.MilestoneSettle: w.admin}[action]
				remaining := r.funded - r.refunded
				if action == market.MilestoneRefund && remaining > 0 {
					amount = 1 + rng.Int63n(remaining)
				}
				if action == market.MilestoneSettle && remaining > 0 {
					amount = rng.Int63n(remaining + 1)
				}
				_, err = w.svc.ActOnMilestone(w.ctx, who, m.ID, market.MilestoneAction{Action: action, Version: m.Version, Amount: amount, Note: "n"})
				legal := slices.Contains(allowedFrom[action], r.state) && !(action == market.MilestoneRefund && amount == 0)
				if (err == nil) != legal {
					t.Fatalf("step %d: %s from %s: err %v, reference says legal=%v", step, action, r.state, err, legal)
				}
				if err == nil {
					applyRef(t, pd, m, r, action, amount)
				}
			}
			got := w.milestone(i)
			if got.State != r.state || got.Funded != r.funded || got.Refunded != r.refunded {
				t.Fatalf("step %d (%s): milestone %s/%d/%d, reference %s/%d/%d", step, action, got.State, got.Funded, got.Refunded, r.state, r.funded, r.refunded)
			}
			checkAgainstRef(t, w, ref, step, action)
		}
	})
}

func applyRef(t *testing.T, pd ledger.Deal, m market.Milestone, r *refMilestone, action string, amount int64) {
	release := func() {
		m.Refunded = r.refunded
		s, err := pd.Split(market.LedgerMilestone(m))
		if err != nil {
			t.Fatal(err)
		}
		r.seller, r.broker, r.platfm = s.Seller, s.Intermediary, s.Platform
	}
	switch action {
	case market.MilestoneDeliver:
		r.state = market.MilestoneDelivered
	case market.MilestoneRequestChanges:
		r.state = market.MilestoneChangesRequested
	case market.MilestoneAccept:
		r.state = market.MilestoneAccepted
	case market.MilestoneDispute:
		r.state = market.MilestoneDisputed
	case market.MilestoneRelease:
		r.state = market.MilestoneReleased
		release()
	case market.MilestoneRefund:
		r.refunded += amount
		if r.refunded == r.funded {
			r.state = market.MilestoneRefunded
		}
	case market.MilestoneSettle:
		r.refunded += amount
		r.state = market.MilestoneRefunded
		if r.refunded < r.funded {
			r.state = market.MilestoneReleased
			release()
		}
	}
}

func checkAgainstRef(t *testing.T, w *world, ref []refMilestone, step int, action string) {
	t.Helper()
	var escrow, seller, broker, platform, clearing int64
	for _, r := range ref {
		if r.state != market.MilestoneReleased {
			escrow += r.funded - r.refunded
		}
		seller, broker, platform = seller+r.seller, broker+r.broker, platform+r.platfm
		clearing += r.refunded - r.funded
	}
	b := w.balances()
	want := map[market.AccountKey]int64{market.EscrowAccount(w.deal.ID): escrow, market.PayableAccount(w.seller.Org.ID): seller,
		market.PayableAccount(w.broker.Org.ID): broker, market.PlatformRevenue: platform, market.ClearingAccount(market.ProviderStripe): clearing}
	for k, v := range want {
		if got := b.Of(k, "CNY"); got != v {
			t.Fatalf("step %d (%s): %s = %d, reference %d", step, action, k, got, v)
		}
	}
	if err := b.CheckNonNegative(); err != nil {
		t.Fatalf("step %d: %v", step, err)
	}
	w.checkLedger()
}
