package market

import (
	"context"
	"errors"
	"strings"
	"techbridge/market/ledger"
	"techbridge/market/msgs"
	"time"
	"unicode/utf8"
)

// Payment events, with ObjectType "payment" and the operation id.
const (
	EventPaymentStarted   = "payment.started"   // a fund, refund or transfer was asked of the provider
	EventPaymentSucceeded = "payment.succeeded" // the provider (or a person) confirmed it
	PaymentObjectType     = "payment"
)

// MilestoneAction is what an actor asks of a milestone through the API or a
// page; fund goes through FundMilestone and ConfirmFunding instead.
type MilestoneAction struct {
	Action  string
	Version int64
	Amount  int64    // refund: returned; settle: the part returned to the buyer
	Note    string   // deliver, request_changes, dispute; optional for refund and settle
	Files   []string // deliver: references of the delivered files, kept in the note
}

// FundInput starts a milestone's funding.
type FundInput struct {
	Version   int64
	Reference string // manual provider: the buyer's bank transfer reference
}

// MaxDeliveryFiles bounds the file references of one delivery.
const MaxDeliveryFiles = 20

// payments returns the configured payments or ENOTIMPLEMENTED.
func (s *Service) payments() (Payments, error) {
	p := s.Payments
	if p.Provider == nil {
		return p, Errorf(ENOTIMPLEMENTED, msgs.PaymentsAreNotConfigured)
	}
	return p, nil
}

// milestoneScope is a milestone with its deal and the actor's role in it.
type milestoneScope struct {
	m    *Milestone
	d    *Deal
	role MilestoneRole
}

// loadMilestone loads a milestone visible to a; anyone without a part in
// the deal learns nothing, not even that it exists.
func loadMilestone(tx Tx, a Actor, id string) (milestoneScope, error) {
	return loadMilestoneAs(tx, a, id, false)
}

// loadMilestoneAs is loadMilestone; with platform, a finance account that
// is no party acts as the platform (MilestoneByAdmin).
func loadMilestoneAs(tx Tx, a Actor, id string, platform bool) (milestoneScope, error) {
	m, err := tx.MilestoneByID(id)
	if err != nil {
		return milestoneScope{}, err
	}
	d, err := tx.DealByID(m.DealID)
	if err != nil {
		return milestoneScope{}, err
	}
	role := MilestoneRoleOf(a, d.BuyerOrgID, d.SellerOrgID, contractIntermediary(d))
	if role == MilestoneByNobody && platform && a.IsFinance() {
		role = MilestoneByAdmin
	}
	if role == MilestoneByNobody {
		return milestoneScope{}, Errorf(ENOTFOUND, msgs.MilestoneXNotFound, id)
	}
	return milestoneScope{m: m, d: d, role: role}, nil
}

// loadPlatformMilestone loads a milestone for the platform's money desk: a
// finance account that is no party acts as the platform for confirming
// transfers, and only for that; anyone else as loadMilestone.
func loadPlatformMilestone(tx Tx, a Actor, id string) (milestoneScope, error) {
	return loadMilestoneAs(tx, a, id, true)
}

// contractIntermediary is the intermediary named in the contract, the only
// one the money knows about.
func contractIntermediary(d *Deal) string {
	if d.Contract != nil && d.Contract.Intermediary != nil {
		return d.Contract.Intermediary.OrgID
	}
	return ""
}

// Milestone returns one milestone for a party, the intermediary or an admin.
func (s *Service) Milestone(ctx context.Context, a Actor, id string) (*Milestone, error) {
	var m *Milestone
	err := s.Store.View(ctx, func(tx Tx) error {
		sc, err := loadMilestone(tx, a, id)
		m = sc.m
		return err
	})
	return m, err
}

// ActOnMilestone applies deliver, request_changes, accept, release, refund,
// dispute or settle: the transition, its ledger posting, the milestone
// update, its events and the deal's state commit in one transaction. The
// provider calls the transition implies (transfers, refunds) follow the
// commit, each under its own idempotency key.
func (s *Service) ActOnMilestone(ctx context.Context, a Actor, id string, in MilestoneAction) (*Milestone, error) {
	p, err := s.payments()
	if err != nil {
		return nil, err
	}
	if in.Action == MilestoneFund {
		return nil, Invalid("action", msgs.FundThroughFundingEndpoint)
	}
	note, err := deliveryNote(in)
	if err != nil {
		return nil, err
	}
	var after Milestone
	var ops []PaymentOp
	err = s.Store.Update(ctx, func(tx Tx) error {
		sc, err := loadMilestone(tx, a, id)
		if err != nil {
			return err
		}
		if err := s.settlingAdmin(tx, a, &sc, in.Action); err != nil {
			return err
		}
		if err := requireMilestoneVerified(tx, a, sc, in.Action); err != nil {
			return err
		}
		cmd := MilestoneCommand{Action: in.Action, Version: in.Version, Amount: in.Amount, Note: note, ActorID: a.AccountID}
		after, ops, err = s.moveMilestone(tx, p, sc.d, sc.m, sc.role, cmd)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.executeOpsDetached(ctx, p, ops)
	return &after, nil
}

// deliveryNote folds a delivery's file references into its note, so the
// record of what was delivered is one text the buyer accepted.
func deliveryNote(in MilestoneAction) (string, error) {
	if len(in.Files) == 0 {
		return in.Note, nil
	}
	var f Fields
	if in.Action != MilestoneDeliver {
		f.Add("files", msgs.OnlyDeliveryCarriesFiles)
	}
	if len(in.Files) > MaxDeliveryFiles {
		f.Add("files", msgs.AtMostNReferences, MaxDeliveryFiles)
	}
	var b strings.Builder
	b.WriteString(strings.TrimSpace(in.Note))
	b.WriteString("\n\nFiles:")
	for i, ref := range in.Files {
		ref = strings.TrimSpace(ref)
		if ref == "" || utf8.RuneCountInString(ref) > 500 || strings.ContainsAny(ref, "\r\n") {
			f.Add("files", msgs.ReferenceOneLine, i+1)
			continue
		}
		b.WriteString("\n- " + ref)
	}
	return b.String(), f.Err()
}

// moveMilestone is the one path every milestone transition takes inside a
// store transaction: apply, persist with the version check, append events,
// book the posting, queue the provider operations, move the deal.
func (s *Service) moveMilestone(tx Tx, p Payments, d *Deal, m *Milestone, role MilestoneRole, cmd MilestoneCommand) (Milestone, []PaymentOp, error) {
	now := s.now()
	n, evs, err := ApplyMilestone(*m, role, cmd, now)
	if err != nil {
		return n, nil, err
	}
	if err := tx.UpdateMilestone(&n); err != nil {
		return n, nil, err
	}
	for i := range evs {
		if err := tx.AppendEvent(&evs[i]); err != nil {
			return n, nil, err
		}
	}
	ms, err := tx.DealMilestones(d.ID)
	if err != nil {
		return n, nil, err
	}
	var ops []PaymentOp
	if t, ok, err := s.postMilestone(tx, p, d, ms, n, cmd, now); err != nil {
		return n, nil, err
	} else if ok {
		if ops, err = queueOps(tx, d, n, t, cmd, now); err != nil {
			return n, nil, err
		}
	}
	if nd, devs, ok := DealAfterMilestones(*d, ms, cmd.ActorID, now); ok {
		if err := tx.UpdateDeal(&nd); err != nil {
			return n, nil, err
		}
		for i := range devs {
			if err := tx.AppendEvent(&devs[i]); err != nil {
				return n, nil, err
			}
		}
		*d = nd
	}
	return n, ops, nil
}

// postMilestone books the ledger transaction of a transition, if it moves money.
func (s *Service) postMilestone(tx Tx, p Payments, d *Deal, ms []Milestone, n Milestone, cmd MilestoneCommand, now time.Time) (Transaction, bool, error) {
	switch cmd.Action {
	case MilestoneFund, MilestoneRelease, MilestoneRefund, MilestoneSettle:
	default:
		return Transaction{}, false, nil
	}
	setup, err := tx.PaymentDeal(d.ID)
	if err != nil {
		return Transaction{}, false, err
	}
	t, ok, err := MilestonePosting(*d, ms, n, cmd, *setup, now)
	if err != nil || !ok {
		return t, ok, err
	}
	return t, true, tx.PostTransaction(t)
}

// queueOps records the provider operations a posting implies: a transfer
// to each payee the release credited, and the refund to the buyer.
func queueOps(tx Tx, d *Deal, n Milestone, t Transaction, cmd MilestoneCommand, now time.Time) ([]PaymentOp, error) {
	setup, err := tx.PaymentDeal(d.ID)
	if err != nil {
		return nil, err
	}
	var ops []PaymentOp
	add := func(kind, orgID, key string, amount int64) {
		ops = append(ops, PaymentOp{ID: NewID(), Kind: kind, Provider: setup.Provider, State: PayPending,
			DealID: d.ID, MilestoneID: n.ID, OrgID: orgID, Amount: amount, Currency: t.Currency,
			IdempotencyKey: key, CreatedBy: cmd.ActorID, CreatedAt: now, UpdatedAt: now, Version: 1})
	}
	for _, e := range t.Entries {
		switch {
		case e.Account.Kind() == AccountPayable && e.Amount > 0:
			add(PayTransfer, e.Account.Owner(), t.IdempotencyKey+":"+e.Account.Owner(), e.Amount)
		case e.Account == ClearingAccount(setup.Provider) && e.Amount > 0 && t.Kind != TxFund:
			add(PayRefund, d.BuyerOrgID, t.IdempotencyKey+":buyer", e.Amount)
		}
	}
	for i := range ops {
		if err := tx.CreatePaymentOp(&ops[i]); err != nil {
			return nil, err
		}
		ev := NewEvent(EventPaymentStarted, cmd.ActorID, PaymentObjectType, ops[i].ID, paymentPayload(ops[i]), now)
		if err := tx.AppendEvent(&ev); err != nil {
			return nil, err
		}
	}
	return ops, nil
}

func paymentPayload(op PaymentOp) map[string]any {
	return map[string]any{"kind": op.Kind, "state": op.State, "deal_id": op.DealID, "milestone_id": op.MilestoneID,
		"org_id": op.OrgID, "amount": op.Amount, "currency": op.Currency, "provider": op.Provider, "ref": op.ExternalRef}
}

// executeOps asks the provider for each queued operation after the commit
// that queued it. A failure leaves the operation pending, listed for an
// admin to retry; the idempotency key makes a retry safe.
func (s *Service) executeOps(ctx context.Context, p Payments, ops []PaymentOp) {
	for _, op := range ops {
		if err := s.executeOp(ctx, p, op); err != nil {
			s.Log.WarnContext(ctx, "payment operation left pending", "op", op.ID, "kind", op.Kind, "err", err)
		}
	}
}

func (s *Service) executeOp(ctx context.Context, p Payments, op PaymentOp) error {
	var payee *PaymentAccount
	var fund *PaymentOp
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		switch op.Kind {
		case PayTransfer:
			payee, err = tx.PaymentAccount(op.OrgID, op.Provider)
			if ErrorCode(err) == ENOTFOUND {
				payee, err = nil, nil
			}
		case PayRefund:
			fund, err = tx.PaymentOpByKey("milestone:" + op.MilestoneID + ":fund")
		}
		return err
	})
	if err != nil {
		return err
	}
	var ref string
	var done bool
	if op.Kind == PayTransfer {
		ref, done, err = p.Provider.Transfer(ctx, op, payee, "deal:"+op.DealID)
	} else {
		ref, done, err = p.Provider.Refund(ctx, op, *fund)
	}
	if err != nil || !done {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error { return s.completeOp(tx, p, op.ID, ref, "") })
}

// completeOp marks a pending operation succeeded with the provider's (or a
// bank's) reference; a transfer's share leaves the payable in the same
// transaction. Completing a completed operation changes nothing.
func (s *Service) completeOp(tx Tx, p Payments, id, ref, actorID string) error {
	op, err := tx.PaymentOpByID(id)
	if err != nil {
		return err
	}
	if op.State != PayPending {
		return nil
	}
	now := s.now()
	op.State, op.ExternalRef, op.UpdatedAt, op.Version = PaySucceeded, ref, now, op.Version+1
	if err := tx.UpdatePaymentOp(op); err != nil {
		return err
	}
	// The event goes first: every writer takes the event head before any
	// ledger balance row, so PostgreSQL never sees the two locks crossed.
	ev := NewEvent(EventPaymentSucceeded, actorID, PaymentObjectType, op.ID, paymentPayload(*op), now)
	if err := tx.AppendEvent(&ev); err != nil {
		return err
	}
	if op.Kind != PayTransfer {
		return nil
	}
	t, err := TransferPosting(*op, now)
	if err != nil {
		return err
	}
	return tx.PostTransaction(t)
}

// FundMilestone starts the buyer's payment of a pending milestone: with the
// manual provider the buyer records their bank transfer reference (a second
// call replaces it until receipt is confirmed); with Stripe it creates the
// PaymentIntent, whose client secret the buyer's browser confirms. Either
// way the milestone is funded only when the money is confirmed.
func (s *Service) FundMilestone(ctx context.Context, a Actor, id string, in FundInput) (*PaymentOp, error) {
	p, err := s.payments()
	if err != nil {
		return nil, err
	}
	var op PaymentOp
	var setup PaymentDeal
	var existing *PaymentOp
	err = s.Store.View(ctx, func(tx Tx) error {
		sc, err := loadMilestone(tx, a, id)
		if err != nil {
			return err
		}
		if sc.role != MilestoneByBuyer {
			return Errorf(EFORBIDDEN, msgs.OnlyBuyerFundsMilestone)
		}
		if err := requireVerified(tx, a, sc.d.BuyerOrgID); err != nil {
			return err
		}
		if sc.m.Version != in.Version {
			return StaleVersion(msgs.MilestoneChangedVersionNNotN, sc.m.Version, in.Version)
		}
		if sc.m.State != MilestonePending {
			return Errorf(ECONFLICT, msgs.CannotFundMilestoneThatX, msgs.Term{Kind: "pay.state", Value: sc.m.State})
		}
		if setup, err = s.fundingSetup(tx, p, sc.d, sc.m); err != nil {
			return err
		}
		ms, err := tx.DealMilestones(sc.d.ID)
		if err != nil {
			return err
		}
		amount, err := FundAmount(*sc.d, ms, *sc.m, setup)
		if err != nil {
			return err
		}
		key := "milestone:" + sc.m.ID + ":fund"
		if existing, err = tx.PaymentOpByKey(key); err != nil && ErrorCode(err) != ENOTFOUND {
			return err
		}
		now := s.now()
		op = PaymentOp{ID: NewID(), Kind: PayFund, Provider: setup.Provider, State: PayPending, DealID: sc.d.ID,
			MilestoneID: sc.m.ID, OrgID: sc.d.BuyerOrgID, Amount: amount, Currency: sc.m.Currency,
			IdempotencyKey: key, ExternalRef: strings.TrimSpace(in.Reference), CreatedBy: a.AccountID,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if existing != nil && existing.Provider != p.Provider.Name() {
		return nil, Errorf(ECONFLICT, msgs.ThisMilestoneSFundingRunsThrough, existing.Provider)
	}
	if existing != nil && existing.Provider == ProviderStripe {
		return existing, nil // the PaymentIntent exists; its client secret still pays it
	}
	if existing != nil {
		op.ID, op.CreatedAt, op.CreatedBy, op.Version = existing.ID, existing.CreatedAt, existing.CreatedBy, existing.Version+1
	}
	started, err := p.Provider.StartFunding(ctx, op, "deal:"+op.DealID)
	if err != nil {
		return nil, err
	}
	err = s.Store.Update(ctx, func(tx Tx) error {
		return storeFundingStart(tx, setup, started, existing != nil, a.AccountID)
	})
	if err != nil {
		return nil, err
	}
	return &started, nil
}

// fundingSetup is deal d's payment set-up: the stored one, fixed at its
// first funding, or the one that funding would store now (the provider in
// force, the platform fee the contract fixed).
func (s *Service) fundingSetup(tx Tx, p Payments, d *Deal, m *Milestone) (PaymentDeal, error) {
	if ps, err := tx.PaymentDeal(d.ID); err == nil {
		return *ps, nil
	} else if ErrorCode(err) != ENOTFOUND {
		return PaymentDeal{}, err
	}
	return PaymentDeal{DealID: d.ID, BuyerOrgID: d.BuyerOrgID, SellerOrgID: d.SellerOrgID,
		IntermediaryOrgID: contractIntermediary(d), Currency: m.Currency, Provider: p.Provider.Name(),
		PlatformBPS: contractPlatformBPS(d, p.PlatformBPS), CreatedAt: s.now()}, nil
}

// storeFundingStart stores a funding operation that was started (created,
// or replacing the buyer's earlier report) with the deal's payment set-up
// when this is its first funding, and its event.
func storeFundingStart(tx Tx, setup PaymentDeal, op PaymentOp, replaces bool, actorID string) error {
	if _, err := tx.PaymentDeal(setup.DealID); ErrorCode(err) == ENOTFOUND {
		if err := tx.CreatePaymentDeal(setup); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if replaces {
		if err := tx.UpdatePaymentOp(&op); err != nil {
			return err
		}
	} else if err := tx.CreatePaymentOp(&op); err != nil {
		return err
	}
	ev := NewEvent(EventPaymentStarted, actorID, PaymentObjectType, op.ID, paymentPayload(op), op.UpdatedAt)
	return tx.AppendEvent(&ev)
}

// ConfirmFunding records that the buyer's bank transfer reached the
// platform's escrow account: a platform admin, who can see that account,
// confirms it, and the platform funds the milestone (as the system, since
// only the buyer or the platform may fund). No party vouches for the
// escrow: the seller, who is paid from it, least of all. Card payments are
// confirmed by the provider's webhook, never by a person.
func (s *Service) ConfirmFunding(ctx context.Context, a Actor, id string, version int64) (*Milestone, error) {
	p, err := s.payments()
	if err != nil {
		return nil, err
	}
	var after Milestone
	err = s.Store.Update(ctx, func(tx Tx) error {
		sc, err := loadPlatformMilestone(tx, a, id)
		if err != nil {
			return err
		}
		if sc.role != MilestoneByAdmin {
			return Errorf(EFORBIDDEN, msgs.PlatformConfirmsThatBankTransferReached)
		}
		if sc.m.Version != version {
			return StaleVersion(msgs.MilestoneChangedVersionNNotN, sc.m.Version, version)
		}
		op, err := tx.PaymentOpByKey("milestone:" + sc.m.ID + ":fund")
		if ErrorCode(err) == ENOTFOUND {
			return Errorf(ECONFLICT, msgs.BuyerHasNotReportedPaymentYet)
		} else if err != nil {
			return err
		}
		if op.Provider != ProviderBank {
			return Errorf(ECONFLICT, msgs.CardPaymentsAreConfirmedByX, op.Provider)
		}
		after, err = s.fundFromOp(tx, p, op, a.AccountID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &after, nil
}

// fundFromOp funds a pending milestone from its confirmed fund operation,
// then books any refund the provider already reported on it.
func (s *Service) fundFromOp(tx Tx, p Payments, op *PaymentOp, actorID string) (Milestone, error) {
	m, err := tx.MilestoneByID(op.MilestoneID)
	if err != nil {
		return Milestone{}, err
	}
	if op.State != PayPending {
		return *m, nil
	}
	d, err := tx.DealByID(m.DealID)
	if err != nil {
		return Milestone{}, err
	}
	n, _, err := s.moveMilestone(tx, p, d, m, MilestoneBySystem,
		MilestoneCommand{Action: MilestoneFund, Version: m.Version, Amount: op.Amount, ActorID: actorID})
	if err != nil {
		return n, err
	}
	if err := s.completeOp(tx, p, op.ID, op.ExternalRef, actorID); err != nil {
		return n, err
	}
	if op.ProviderRefunded > 0 {
		return s.syncProviderRefund(tx, p, op.ID)
	}
	return n, nil
}

// syncProviderRefund books refunds the provider reports beyond what the
// milestone has refunded (made outside the platform, or reported before the
// funding): the same end state whatever order the provider's events come in.
// A milestone no longer open is left for reconciliation.
func (s *Service) syncProviderRefund(tx Tx, p Payments, opID string) (Milestone, error) {
	op, err := tx.PaymentOpByID(opID)
	if err != nil {
		return Milestone{}, err
	}
	m, err := tx.MilestoneByID(op.MilestoneID)
	if err != nil {
		return Milestone{}, err
	}
	missing := min(op.ProviderRefunded, m.Remaining()+m.Refunded) - m.Refunded
	if missing <= 0 || op.State != PaySucceeded {
		return *m, nil
	}
	switch m.State {
	case MilestoneFunded, MilestoneDelivered, MilestoneChangesRequested, MilestoneAccepted:
	default:
		return *m, nil
	}
	d, err := tx.DealByID(m.DealID)
	if err != nil {
		return Milestone{}, err
	}
	// The refund already happened at the provider: it is booked as the
	// platform's (admin) refund, and no refund operation is queued.
	n, evs, err := ApplyMilestone(*m, MilestoneByAdmin, MilestoneCommand{Action: MilestoneRefund, Version: m.Version,
		Amount: missing, Note: "refunded at " + op.Provider}, s.now())
	if err != nil {
		return *m, err
	}
	if err := tx.UpdateMilestone(&n); err != nil {
		return n, err
	}
	for i := range evs {
		if err := tx.AppendEvent(&evs[i]); err != nil {
			return n, err
		}
	}
	ms, err := tx.DealMilestones(d.ID)
	if err != nil {
		return n, err
	}
	if _, _, err := s.postMilestone(tx, p, d, ms, n, MilestoneCommand{Action: MilestoneRefund, Amount: missing}, s.now()); err != nil {
		return n, err
	}
	if nd, devs, ok := DealAfterMilestones(*d, ms, "", s.now()); ok {
		if err := tx.UpdateDeal(&nd); err != nil {
			return n, err
		}
		for i := range devs {
			if err := tx.AppendEvent(&devs[i]); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// HandleWebhook verifies a provider webhook, stores its event id once and
// applies its effect in the same transaction: a redelivered event changes
// nothing, and each effect is monotonic (a payment never goes back to
// pending, refunds only grow), so events may come in any order. It returns
// what the event did.
func (s *Service) HandleWebhook(ctx context.Context, payload []byte, signature string) (string, error) {
	p, err := s.payments()
	if err != nil {
		return "", err
	}
	ev, err := p.Provider.ParseWebhook(payload, signature)
	if err != nil {
		return "", err
	}
	// The event id is stored first: a concurrent redelivery waits on the
	// unique key and then finds it taken, so only one applies the effect.
	outcome := ""
	err = s.Store.Update(ctx, func(tx Tx) error {
		we := WebhookEvent{Provider: p.Provider.Name(), ID: ev.ID, Type: ev.Type, Created: ev.Created.UTC(), ReceivedAt: s.now()}
		if err := tx.RecordWebhookEvent(we); err != nil {
			return err
		}
		if outcome, err = s.applyProviderEvent(tx, p, ev); err != nil {
			return err
		}
		return tx.SetWebhookOutcome(we.Provider, we.ID, outcome)
	})
	if ErrorCode(err) == ECONFLICT {
		var seen error
		if s.Store.View(ctx, func(tx Tx) error { _, seen = tx.WebhookEventByID(p.Provider.Name(), ev.ID); return nil }) == nil && seen == nil {
			return "duplicate", nil
		}
	}
	return outcome, err
}

func (s *Service) applyProviderEvent(tx Tx, p Payments, ev ProviderEvent) (string, error) {
	switch {
	case ev.Account != nil:
		// A connected account's news comes from that account: an event of
		// another account (or of the platform's own) does not speak for it.
		if ev.ConnectedAccount != "" && ev.ConnectedAccount != ev.Account.ExternalID {
			return "", Errorf(EINVALID, msgs.EventAccountXSpeaksForAccount, ev.ConnectedAccount, ev.Account.ExternalID)
		}
		acct, err := tx.PaymentAccountByExternal(ev.Account.ExternalID)
		if ErrorCode(err) == ENOTFOUND {
			return "ignored: unknown account", nil
		} else if err != nil {
			return "", err
		}
		u := *ev.Account
		u.OrgID, u.Provider, u.UpdatedAt = acct.OrgID, acct.Provider, s.now()
		return "account updated", tx.PutPaymentAccount(u)
	case ev.Funding != nil:
		f := ev.Funding
		// Buyers pay the platform, never a connected account: a payment on
		// a connected account is not money in the platform's escrow.
		if ev.ConnectedAccount != "" {
			return "", Errorf(EINVALID, msgs.PaymentXWasMadeOnAccount, f.ExternalRef, ev.ConnectedAccount)
		}
		var op *PaymentOp
		var err error
		if f.Key != "" {
			op, err = tx.PaymentOpByKey(f.Key)
		} else {
			op, err = tx.PaymentOpByExternal(p.Provider.Name(), f.ExternalRef)
		}
		// The metadata is the payer's to write: the payment must be the
		// very one created for the operation the key names.
		if err == nil && op.ExternalRef != f.ExternalRef {
			return "", Errorf(EINVALID, msgs.PaymentXNotOneCreatedFor, f.ExternalRef, op.IdempotencyKey)
		}
		if ErrorCode(err) == ENOTFOUND {
			// The PaymentIntent is created before its operation commits: ask
			// the provider to deliver again rather than lose the news.
			return "", Errorf(ECONFLICT, msgs.PaymentXNotRecordedYetRetry, f.ExternalRef)
		} else if err != nil {
			return "", err
		}
		if op.Kind != PayFund {
			return "ignored: not a funding", nil
		}
		outcome := "noted"
		if f.Refunded > op.ProviderRefunded {
			op.ProviderRefunded, op.UpdatedAt, op.Version = f.Refunded, s.now(), op.Version+1
			if err := tx.UpdatePaymentOp(op); err != nil {
				return "", err
			}
			outcome = "refund noted"
		}
		switch {
		case f.State == PaySucceeded && op.State == PayPending:
			// Exactly what was asked, received: a zero or partial amount
			// funds nothing.
			if f.Amount != op.Amount || f.Currency != op.Currency {
				return "", Errorf(EINVALID, msgs.PaymentXNXMilestoneAsked, f.ExternalRef, ledger.Money{Amount: f.Amount, Currency: f.Currency}, ledger.Money{Amount: op.Amount, Currency: op.Currency})
			}
			if _, err := s.fundFromOp(tx, p, op, ""); err != nil {
				return "", err
			}
			return "funded", nil
		case op.State == PaySucceeded && op.ProviderRefunded > 0:
			if _, err := s.syncProviderRefund(tx, p, op.ID); err != nil {
				return "", err
			}
		}
		return outcome, nil
	}
	return "ignored: " + ev.Type, nil
}

// OnboardPayee creates or refreshes an organisation's provider account and
// returns the link where its owner completes onboarding.
func (s *Service) OnboardPayee(ctx context.Context, a Actor, orgID, returnURL string) (*PaymentAccount, string, error) {
	p, err := s.payments()
	if err != nil {
		return nil, "", err
	}
	if !a.OwnerOf(orgID) && !a.IsAdmin() {
		return nil, "", Errorf(EFORBIDDEN, msgs.OnlyOwnerOrganisationSetsUpPayouts)
	}
	var org *Organization
	var acct *PaymentAccount
	err = s.Store.View(ctx, func(tx Tx) error {
		if org, err = tx.OrganizationByID(orgID); err != nil {
			return err
		}
		if err := requireVerified(tx, a, orgID); err != nil {
			return err
		}
		acct, err = tx.PaymentAccount(orgID, p.Provider.Name())
		if ErrorCode(err) == ENOTFOUND {
			acct, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, "", err
	}
	got, link, err := p.Provider.Onboard(ctx, *org, acct, returnURL)
	if err != nil {
		return nil, "", err
	}
	got.OrgID, got.Provider, got.UpdatedAt = orgID, p.Provider.Name(), s.now()
	if err := s.Store.Update(ctx, func(tx Tx) error { return tx.PutPaymentAccount(got) }); err != nil {
		return nil, "", err
	}
	return &got, link, nil
}

// Payouts lists transfers and refunds for an admin: those a person must
// pay (manual provider) and those the provider has not confirmed.
func (s *Service) Payouts(ctx context.Context, a Actor, state string) ([]PaymentOp, error) {
	if !a.IsFinance() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyFinanceSeesPayouts)
	}
	var ops []PaymentOp
	err := s.Store.View(ctx, func(tx Tx) error {
		var err error
		ops, err = tx.ListPaymentOps(PaymentOpFilter{Kinds: []string{PayTransfer, PayRefund}, State: state, Limit: 500})
		return err
	})
	return ops, err
}

// MarkPayoutPaid records that an admin paid a pending transfer or refund by
// bank, with the bank's reference; a transfer leaves the payee's payable.
func (s *Service) MarkPayoutPaid(ctx context.Context, a Actor, opID, reference string) (*PaymentOp, error) {
	p, err := s.payments()
	if err != nil {
		return nil, err
	}
	if !a.IsFinance() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyFinanceMarksPayoutsPaid)
	}
	reference = strings.TrimSpace(reference)
	if reference == "" || utf8.RuneCountInString(reference) > 200 {
		return nil, Invalid("reference", msgs.Chars1To200)
	}
	var op *PaymentOp
	err = s.Store.Update(ctx, func(tx Tx) error {
		cur, err := tx.PaymentOpByID(opID)
		if err != nil {
			return err
		}
		if cur.Kind == PayFund {
			return Errorf(ECONFLICT, msgs.FundingConfirmedNotPaidOut)
		}
		if cur.State != PayPending {
			return Errorf(ECONFLICT, msgs.PayoutAlreadyX, msgs.Term{Kind: "pay.op_state", Value: cur.State})
		}
		if err := requirePayee(tx, *cur); err != nil {
			return err
		}
		if err := s.completeOp(tx, p, opID, reference, a.AccountID); err != nil {
			return err
		}
		op, err = tx.PaymentOpByID(opID)
		return err
	})
	return op, err
}

// RetryPayout asks the provider again for a pending transfer or refund; the
// idempotency key makes a retry of a call that did succeed harmless.
func (s *Service) RetryPayout(ctx context.Context, a Actor, opID string) (*PaymentOp, error) {
	p, err := s.payments()
	if err != nil {
		return nil, err
	}
	if !a.IsFinance() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyFinanceRetriesPayouts)
	}
	var op *PaymentOp
	if err := s.Store.View(ctx, func(tx Tx) error { op, err = tx.PaymentOpByID(opID); return err }); err != nil {
		return nil, err
	}
	if op.Kind == PayFund || op.State != PayPending {
		return nil, Errorf(ECONFLICT, msgs.OnlyPendingPayoutCanRetried)
	}
	if err := s.Store.View(ctx, func(tx Tx) error { return requirePayee(tx, *op) }); err != nil {
		return nil, err
	}
	if err := s.executeOp(ctx, p, *op); err != nil {
		return nil, errors.Join(Errorf(ECONFLICT, msgs.ProviderRefusedStillPending), err)
	}
	err = s.Store.View(ctx, func(tx Tx) error { op, err = tx.PaymentOpByID(opID); return err })
	return op, err
}
