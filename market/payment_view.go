package market

import (
	"context"
	"time"

	"techbridge/market/ledger"
)

// MoneyConfirm is the money view's action beside the milestone commands:
// the platform confirming a bank transfer (ConfirmFunding). MilestoneFund
// is FundMilestone.
const MoneyConfirm = "confirm"

// MilestoneMoney is one milestone as its money stands, for the actor who
// asked: what the buyer pays, how the money divides (booked, once released
// or settled; projected before), the provider operations, and which
// actions the actor may take now.
type MilestoneMoney struct {
	Milestone Milestone
	BuyerPays int64         // the price plus the buyer's part of the intermediary fee
	Shares    ledger.Shares // from the ledger when Booked, else projected with the refunds so far
	Booked    bool
	HasShares bool       // the deal's terms could be divided (a signed contract)
	Fund      *PaymentOp // the buyer's funding, nil before one was reported
	Payouts   []PaymentOp
	Actions   map[string]bool // action → allowed now (MilestoneFund, MoneyConfirm and the milestone commands)
}

// DealMoney is a deal's money view: its statement and every milestone's
// money, for its parties, its intermediary and admins. The API and the
// pages both show this one answer.
type DealMoney struct {
	Statement   DealStatement
	Role        MilestoneRole
	Provider    string // the provider the deal's buyer pays through
	PlatformBPS int64  // the platform fee the deal's shares use
	Milestones  []MilestoneMoney
}

// contractPlatformBPS is the platform fee deal d pays: the one its contract
// fixed (written in at drafting, or recorded at signing for a /1 contract),
// else the fee in force (a deal not signed yet).
func contractPlatformBPS(d *Deal, inForce int64) int64 {
	if d.Contract != nil && d.Contract.PlatformBPS != nil {
		return *d.Contract.PlatformBPS
	}
	return inForce
}

// DealMoney answers a deal's money view for the actor.
func (s *Service) DealMoney(ctx context.Context, a Actor, dealID string) (*DealMoney, error) {
	st, ms, ops, err := s.DealPayments(ctx, a, dealID)
	if err != nil {
		return nil, err
	}
	var d *Deal
	var setup *PaymentDeal
	err = s.Store.View(ctx, func(tx Tx) error {
		if d, err = tx.DealByID(dealID); err != nil {
			return err
		}
		setup, err = tx.PaymentDeal(dealID)
		if ErrorCode(err) == ENOTFOUND {
			setup, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	pay := s.Payments
	dm := &DealMoney{Statement: *st, Role: MilestoneRoleOf(a, d.BuyerOrgID, d.SellerOrgID, contractIntermediary(d)),
		Provider: ProviderBank, PlatformBPS: contractPlatformBPS(d, pay.PlatformBPS)}
	if pay.Provider != nil {
		dm.Provider = pay.Provider.Name()
	}
	if setup != nil { // fixed at the first funding; later settings do not apply
		dm.Provider, dm.PlatformBPS = setup.Provider, setup.PlatformBPS
	}
	pd, pdErr := PostingDeal(*d, ms, dm.PlatformBPS, dm.Provider)
	now := s.now()
	for _, m := range ms {
		mm := MilestoneMoney{Milestone: m, Actions: map[string]bool{}}
		if pdErr == nil {
			fresh := LedgerMilestone(m)
			fresh.Refunded = 0
			before, err1 := pd.Split(fresh)
			after, err2 := pd.Split(LedgerMilestone(m))
			if err1 == nil && err2 == nil {
				mm.HasShares, mm.BuyerPays, mm.Shares = true, before.Funded, after
			}
		}
		if booked, ok := bookedShares(*d, m, st.Transactions); ok {
			mm.Shares, mm.Booked, mm.HasShares = booked, true, true
		}
		for i := range ops {
			op := ops[i]
			switch {
			case op.MilestoneID != m.ID:
			case op.Kind == PayFund:
				mm.Fund = &op
			default:
				mm.Payouts = append(mm.Payouts, op)
			}
		}
		if pay.Provider != nil {
			mm.Actions = moneyActions(m, dm.Role, mm.Fund, dm.Provider == ProviderBank, now)
		}
		dm.Milestones = append(dm.Milestones, mm)
	}
	return dm, nil
}

// bookedShares reads how a released or settled milestone's money was
// divided from its ledger transaction, which is what really happened.
func bookedShares(d Deal, m Milestone, txs []Transaction) (ledger.Shares, bool) {
	sh := ledger.Shares{Currency: m.Currency, Funded: m.Funded}
	found := false
	im := contractIntermediary(&d)
	for _, t := range txs {
		if t.Refs.MilestoneID != m.ID || (t.Kind != TxRelease && t.Kind != TxSettle) {
			continue
		}
		for _, e := range t.Entries {
			switch {
			case e.Amount <= 0:
			case e.Account == PayableAccount(d.SellerOrgID):
				sh.Seller += e.Amount
				found = true
			case im != "" && e.Account == PayableAccount(im):
				sh.Intermediary += e.Amount
				found = true
			case e.Account == PlatformRevenue:
				sh.Platform += e.Amount
				found = true
			}
		}
	}
	sh.Gross = sh.Seller + sh.Intermediary + sh.Platform
	return sh, found
}

// moneyActions decides which actions a role may take on a milestone now.
// The transition function itself is asked (a dry run with plausible input),
// so what is offered is exactly what the service would accept.
func moneyActions(m Milestone, role MilestoneRole, fund *PaymentOp, bank bool, now time.Time) map[string]bool {
	can := map[string]bool{}
	open := fund == nil || fund.State == PayPending
	can[MilestoneFund] = bank && role == MilestoneByBuyer && m.State == MilestonePending && open
	can[MoneyConfirm] = role == MilestoneByAdmin && m.State == MilestonePending &&
		fund != nil && fund.State == PayPending && fund.Provider == ProviderBank
	for _, a := range []string{MilestoneDeliver, MilestoneRequestChanges, MilestoneAccept,
		MilestoneRelease, MilestoneRefund, MilestoneDispute, MilestoneSettle} {
		cmd := MilestoneCommand{Action: a, Version: m.Version, Note: "-"}
		if a == MilestoneRefund {
			cmd.Amount = m.Remaining()
		}
		_, _, err := ApplyMilestone(m, role, cmd, now)
		can[a] = err == nil
	}
	return can
}
