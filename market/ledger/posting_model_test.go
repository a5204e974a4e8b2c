package ledger_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"techbridge/market"
	"techbridge/market/ledger"
)

// ledgerModel is the reference: plain sums of what the buyer paid and got
// back, what each payee earned and was paid out, kept apart from the ledger.
type ledgerModel struct {
	buyerIn, buyerBack        int64
	seller, platform, broker  int64 // earned on release
	paidOut                   map[string]int64
	releasedGross             int64
	cleanReleases, milestones int // releases with no refund at all, milestone count
}

// world is one random deal being driven through the state machine and the
// postings, with the ledger the postings built.
type world struct {
	t      *testing.T
	r      *rand.Rand
	d      Deal
	ms     []market.Milestone
	ledger []market.Transaction
	keys   map[string]bool
	ref    ledgerModel
	steps  map[string]int // booked transactions by kind, for the coverage check
}

var modelCurrencies = []string{"JPY", "KRW", "CNY", "USD", "EUR", "KWD"}

func newWorld(t *testing.T, r *rand.Rand) *world {
	for {
		cur := modelCurrencies[r.IntN(len(modelCurrencies))]
		d := Deal{ID: market.NewID(), BuyerOrgID: market.NewID(), SellerOrgID: market.NewID(), Currency: cur,
			PlatformBPS: r.Int64N(2001), Provider: []string{market.ProviderBank, market.ProviderStripe}[r.IntN(2)]}
		n := 1 + r.IntN(4)
		// A third of the deals are adversarial offers: amounts at the
		// platform's bound, fees and platform rates at their edges.
		adversarial := r.IntN(3) == 0
		if adversarial {
			d.PlatformBPS = []int64{0, 1, 9999, ledger.MaxBPS}[r.IntN(4)]
		}
		for i := 0; i < n; i++ {
			amount := 1 + r.Int64N(int64(1)<<uint(3+r.IntN(30)))
			if adversarial {
				amount = []int64{1, 2, ledger.MaxAmount / int64(n), ledger.MaxAmount/int64(n) - 1}[r.IntN(4)]
			}
			m, err := market.NewMilestone(d.ID, i+1, fmt.Sprintf("step %d", i+1), amount, cur, postT0)
			if err != nil {
				t.Fatal(err)
			}
			d.Milestones = append(d.Milestones, m)
		}
		payer := []string{market.FeePayerBuyer, market.FeePayerSeller, market.FeePayerSplit}[r.IntN(3)]
		switch r.IntN(3) {
		case 1:
			d.Fee, d.IntermediaryOrgID = bpsTerms(r.Int64N(2001), payer), market.NewID()
		case 2:
			var value int64
			for _, m := range d.Milestones {
				value += m.Amount
			}
			d.Fee = ledger.FeeTerms{Basis: market.FeeBasisFixed, Fixed: r.Int64N(value/3 + 1), Currency: cur, Payer: payer}
			d.IntermediaryOrgID = market.NewID()
		}
		if adversarial && d.IntermediaryOrgID != "" {
			var value int64
			for _, m := range d.Milestones {
				value += m.Amount
			}
			switch r.IntN(3) {
			case 0:
				d.Fee = ledger.FeeTerms{Basis: ledger.FeeBasisFixed, Fixed: value - r.Int64N(2), Currency: cur, Payer: d.Fee.Payer}
			case 1:
				d.Fee = ledger.FeeTerms{Basis: ledger.FeeBasisBPS, BPS: ledger.MaxBPS - d.PlatformBPS + r.Int64N(2), Payer: d.Fee.Payer}
			}
		}
		feasible := true
		for _, m := range d.Milestones {
			if _, err := d.Split(m); err != nil {
				feasible = false
			}
		}
		// The offer check agrees with the split: what can be signed can be
		// paid, and what cannot be paid is refused when offered, by name.
		amounts := make([]int64, len(d.Milestones))
		var price int64
		for i, m := range d.Milestones {
			amounts[i], price = m.Amount, price+m.Amount
		}
		if err := ledger.CheckPayable(cur, price, amounts, d.Fee, d.PlatformBPS); (err == nil) != feasible || err != nil && len(ledger.Errors(err)) == 0 {
			t.Fatalf("CheckPayable %v, but the split is feasible: %v (%+v)", err, feasible, d)
		}
		if feasible {
			w := &world{t: t, r: r, d: d, ms: append([]market.Milestone(nil), d.Milestones...),
				keys: map[string]bool{}, steps: map[string]int{}}
			w.ref.paidOut = map[string]int64{}
			w.ref.milestones = n
			return w
		}
	}
}

// modelActions repeats the happy path so that deals reach release often
// enough, while refunds and disputes still come up in most runs.
var modelActions = []string{market.MilestoneFund, market.MilestoneFund, market.MilestoneDeliver, market.MilestoneDeliver,
	market.MilestoneRequestChanges, market.MilestoneAccept, market.MilestoneAccept, market.MilestoneAccept,
	market.MilestoneRelease, market.MilestoneRelease, market.MilestoneRelease, market.MilestoneRefund,
	market.MilestoneDispute, market.MilestoneSettle, market.MilestoneSettle}

var modelRoles = []market.MilestoneRole{market.MilestoneByBuyer, market.MilestoneBySeller, market.MilestoneByAdmin,
	market.MilestoneBySystem, market.MilestoneByIntermediary}

// amountFor picks a command amount: mostly a sensible one, sometimes one the
// rules must refuse.
func (w *world) amountFor(m market.Milestone, action string) int64 {
	r := w.r
	switch action {
	case market.MilestoneFund:
		s, _ := w.d.Split(m)
		switch r.IntN(6) {
		case 0:
			return s.Funded - 1 - r.Int64N(2) // short: below the price or below the fee on top
		case 1:
			return s.Funded + 1 // state machine accepts (≥ price), PostFund refuses
		}
		return s.Funded
	case market.MilestoneRefund, market.MilestoneSettle:
		rem := m.Remaining()
		switch r.IntN(5) {
		case 0:
			return 0
		case 1:
			return rem
		case 2:
			return rem + 1
		}
		if rem <= 0 {
			return 0
		}
		return 1 + r.Int64N(rem)
	}
	return 0
}

// step drives one random command through ApplyMilestone and PostMilestone,
// books it when both succeed (as the store would, in one database
// transaction) and updates the reference.
func (w *world) step() {
	i := w.r.IntN(len(w.ms))
	m := w.ms[i]
	action := modelActions[w.r.IntN(len(modelActions))]
	role := modelRoles[w.r.IntN(len(modelRoles))]
	cmd := market.MilestoneCommand{Action: action, Version: m.Version, Amount: w.amountFor(m, action), Note: "note"}
	n, _, err := market.ApplyMilestone(m, role, cmd, postT0)
	if err != nil {
		return
	}
	tx, moved, err := PostMilestone(w.d, n, cmd, postT0)
	if err != nil {
		// Only an over-funding passes the state machine and fails the posting.
		if action != market.MilestoneFund || market.ErrorCode(err) != market.EINVALID {
			w.t.Fatalf("%s by %s: the transition passed but the posting failed: %v", action, role, err)
		}
		return // the store rolls the transition back with the posting
	}
	if n.Refunded > n.Funded || n.Refunded < 0 {
		w.t.Fatalf("%s: refunded %d of %d", action, n.Refunded, n.Funded)
	}
	if moved {
		w.book(tx)
		w.account(m, n, cmd)
	}
	w.ms[i] = n
}

// book checks a transaction against the current balances and appends it.
func (w *world) book(tx market.Transaction) {
	if w.keys[tx.IdempotencyKey] {
		w.t.Fatalf("idempotency key %s booked twice", tx.IdempotencyKey)
	}
	if err := market.ComputeBalances(w.ledger).CanPost(tx); err != nil {
		w.t.Fatalf("%s %s refused: %v", tx.Kind, tx.IdempotencyKey, err)
	}
	w.keys[tx.IdempotencyKey] = true
	w.ledger = append(w.ledger, tx)
	w.steps[tx.Kind]++
}

// account updates the reference for a money-moving transition from m to n,
// using refSplit (big-integer arithmetic) rather than Split.
func (w *world) account(m, n market.Milestone, cmd market.MilestoneCommand) {
	switch cmd.Action {
	case market.MilestoneFund:
		w.ref.buyerIn += n.Funded
	case market.MilestoneRefund:
		w.ref.buyerBack += cmd.Amount
	case market.MilestoneSettle:
		w.ref.buyerBack += cmd.Amount
	}
	if n.State != market.MilestoneReleased {
		return
	}
	var value, before int64
	for _, x := range w.d.Milestones {
		value += x.Amount
		if x.Seq < n.Seq {
			before += x.Amount
		}
	}
	s, ok := refSplit(ledger.SplitInput{Currency: w.d.Currency, Amount: n.Amount, ContractValue: value, Before: before,
		PlatformBPS: w.d.PlatformBPS, Terms: w.d.Fee, Refunded: n.Refunded})
	if !ok {
		w.t.Fatalf("reference split infeasible for a released milestone %+v", n)
	}
	w.ref.seller += s.Seller
	w.ref.platform += s.Platform
	w.ref.broker += s.Intermediary
	w.ref.releasedGross += s.Gross
	if n.Refunded == 0 {
		w.ref.cleanReleases++
	}
}

// payout sometimes pays a payee out, sometimes tries to pay more than it
// holds, which the balances must refuse.
func (w *world) payout(seq int) {
	org := w.d.SellerOrgID
	if w.d.IntermediaryOrgID != "" && w.r.IntN(2) == 0 {
		org = w.d.IntermediaryOrgID
	}
	b := market.ComputeBalances(w.ledger)
	held := b.Of(market.PayableAccount(org), w.d.Currency)
	amount := held + 1
	if held > 0 && w.r.IntN(4) > 0 {
		amount = 1 + w.r.Int64N(held)
	}
	// One payout moves at most the platform's bound; more is paid in parts.
	amount = min(amount, ledger.MaxAmount)
	tx, err := ledger.PostPayout(ledger.Payout{ID: fmt.Sprintf("%s-%d", w.d.ID, seq), OrgID: org, Currency: w.d.Currency,
		Amount: amount, Provider: []string{market.ProviderBank, market.ProviderStripe}[w.r.IntN(2)]}, postT0)
	if err != nil {
		w.t.Fatalf("payout: %v", err)
	}
	if amount > held {
		if err := b.CanPost(tx); market.ErrorCode(err) != market.ECONFLICT {
			w.t.Fatalf("payout of %d from %d held: %v", amount, held, err)
		}
		return
	}
	w.book(tx)
	w.ref.paidOut[org] += amount
}

// check compares the ledger's balances with the reference after every step.
func (w *world) check(where string) {
	t, d, cur := w.t, w.d, w.d.Currency
	b := market.ComputeBalances(w.ledger)
	var open int64 // what the state machine says escrow holds
	for _, m := range w.ms {
		if !m.Final() {
			open += m.Remaining()
		}
	}
	clearing := b.Of(market.ClearingAccount(market.ProviderBank), cur) + b.Of(market.ClearingAccount(market.ProviderStripe), cur)
	paidOut := w.ref.paidOut[d.SellerOrgID] + w.ref.paidOut[d.IntermediaryOrgID]
	checks := []struct {
		name      string
		got, want int64
	}{
		{"sum of all balances", b.Sum(cur), 0},
		{"escrow = open milestones", b.Of(market.EscrowAccount(d.ID), cur), open},
		{"escrow = paid in - back - released", b.Of(market.EscrowAccount(d.ID), cur), w.ref.buyerIn - w.ref.buyerBack - w.ref.releasedGross},
		{"seller payable", b.Of(market.PayableAccount(d.SellerOrgID), cur), w.ref.seller - w.ref.paidOut[d.SellerOrgID]},
		{"broker payable", b.Of(market.PayableAccount(d.IntermediaryOrgID), cur), w.ref.broker - w.ref.paidOut[d.IntermediaryOrgID]},
		{"platform revenue", b.Of(market.PlatformRevenue, cur), w.ref.platform},
		{"clearing = money that left minus money that came", clearing, w.ref.buyerBack + paidOut - w.ref.buyerIn},
		{"released = seller + platform + broker", w.ref.releasedGross, w.ref.seller + w.ref.platform + w.ref.broker},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Fatalf("%s: %s is %d, want %d", where, c.name, c.got, c.want)
		}
	}
	if err := b.CheckNonNegative(); err != nil {
		t.Fatalf("%s: %v", where, err)
	}
}

// checkFinal: when every milestone was released with no refund, the
// intermediary got the contract's whole fee and the platform its rate on
// every price, to the minor unit.
func (w *world) checkFinal() bool {
	if w.ref.cleanReleases != w.ref.milestones {
		return false
	}
	var value, platform int64
	for _, m := range w.d.Milestones {
		value += m.Amount
		platform += floorFrac(m.Amount, w.d.PlatformBPS, market.MaxBPS).Int64()
	}
	if w.ref.broker != w.d.Fee.Total(value) || w.ref.platform != platform {
		w.t.Fatalf("clean deal: broker %d of %d, platform %d of %d", w.ref.broker, w.d.Fee.Total(value), w.ref.platform, platform)
	}
	if !market.MilestonesCompleted(w.ms) {
		w.t.Fatalf("every milestone released but the deal is not completed")
	}
	return true
}

// TestPostingModel drives random command sequences over random deals and
// checks the ledger against the reference after every step.
func TestPostingModel(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 2026))
	const runs, stepsPerRun = 300, 150
	kinds := map[string]int{}
	clean, completed := 0, 0
	for run := 0; run < runs; run++ {
		w := newWorld(t, r)
		for s := 0; s < stepsPerRun; s++ {
			if r.IntN(10) == 0 {
				w.payout(s)
			} else {
				w.step()
			}
			w.check(fmt.Sprintf("run %d step %d", run, s))
		}
		if w.checkFinal() {
			clean++
		}
		if market.MilestonesCompleted(w.ms) {
			completed++
		}
		for k, v := range w.steps {
			kinds[k] += v
		}
	}
	t.Logf("%d runs × %d steps; booked %v; %d deals completed, %d with every milestone released cleanly", runs, stepsPerRun, kinds, completed, clean)
	for _, k := range market.TxKinds {
		if kinds[k] < 20 {
			t.Errorf("only %d %s transactions: the generator does not exercise them", kinds[k], k)
		}
	}
	if clean == 0 || completed == 0 {
		t.Errorf("no run completed a deal (%d) or released every milestone cleanly (%d)", completed, clean)
	}
}
