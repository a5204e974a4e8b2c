package payments

import (
	"strconv"
	"time"

	"techbridge/market"
)

// The postings below each take the milestone as ApplyMilestone returned it
// (after the transition) and build the one ledger transaction for the money
// that transition moved. Their idempotency keys derive from the milestone id
// (and, for refunds, which may repeat, its version), so a retried request or
// replayed webhook finds the transaction already booked.

// PostFund books the buyer's payment: provider clearing → deal escrow. The
// funded amount must be exactly what Split asks of the buyer.
func PostFund(d Deal, m market.Milestone, at time.Time) (market.Transaction, error) {
	s, err := d.Split(m)
	if err != nil {
		return market.Transaction{}, err
	}
	if m.State == market.MilestonePending || m.Funded != s.Funded {
		return market.Transaction{}, market.Invalid("amount", "funded %s, the milestone needs %s",
			FormatAmount(m.Funded, d.Currency), FormatAmount(s.Funded, d.Currency))
	}
	return newTx(market.TxFund, "milestone:"+m.ID+":fund", d.Currency, refs(d, m), at,
		market.Entry{Account: market.ClearingAccount(d.Provider), Amount: -m.Funded},
		market.Entry{Account: market.EscrowAccount(d.ID), Amount: m.Funded})
}

// PostRelease books a release: escrow → the seller's and intermediary's
// payables and platform revenue, as Split divides what escrow still holds.
func PostRelease(d Deal, m market.Milestone, at time.Time) (market.Transaction, error) {
	if m.State != market.MilestoneReleased {
		return market.Transaction{}, market.Errorf(market.ECONFLICT, "milestone %s is %s, not released", m.ID, m.State)
	}
	s, err := d.Split(m)
	if err != nil {
		return market.Transaction{}, err
	}
	return newTx(market.TxRelease, "milestone:"+m.ID+":release", d.Currency, refs(d, m), at,
		append([]market.Entry{{Account: market.EscrowAccount(d.ID), Amount: -s.Gross}}, shareEntries(d, s)...)...)
}

// PostRefund books a refund of amount: escrow → clearing, back to the buyer
// through the provider they paid with.
func PostRefund(d Deal, m market.Milestone, amount int64, at time.Time) (market.Transaction, error) {
	if err := d.Validate(); err != nil {
		return market.Transaction{}, err
	}
	if amount <= 0 || amount > m.Refunded {
		return market.Transaction{}, market.Invalid("amount", "must be 1..%d, what the milestone has refunded", m.Refunded)
	}
	key := "milestone:" + m.ID + ":refund:v" + strconv.FormatInt(m.Version, 10)
	return newTx(market.TxRefund, key, d.Currency, refs(d, m), at,
		market.Entry{Account: market.EscrowAccount(d.ID), Amount: -amount},
		market.Entry{Account: market.ClearingAccount(d.Provider), Amount: amount})
}

// PostSettle books an admin's settlement in one transaction: refund goes back
// to the buyer and the rest of the escrow is released as Split divides it.
func PostSettle(d Deal, m market.Milestone, refund int64, at time.Time) (market.Transaction, error) {
	if !m.Final() {
		return market.Transaction{}, market.Errorf(market.ECONFLICT, "milestone %s is %s, not settled", m.ID, m.State)
	}
	if refund < 0 || refund > m.Refunded {
		return market.Transaction{}, market.Invalid("amount", "must be 0..%d, what the milestone has refunded", m.Refunded)
	}
	s, err := d.Split(m)
	if err != nil {
		return market.Transaction{}, err
	}
	entries := []market.Entry{
		{Account: market.EscrowAccount(d.ID), Amount: -(refund + s.Gross)},
		{Account: market.ClearingAccount(d.Provider), Amount: refund},
	}
	return newTx(market.TxSettle, "milestone:"+m.ID+":settle", d.Currency, refs(d, m), at,
		append(entries, shareEntries(d, s)...)...)
}

// PostMilestone books the money a milestone command moved: it returns the
// transaction and true for fund, release, refund and settle, and false for
// commands that move no money. after is the milestone ApplyMilestone returned.
func PostMilestone(d Deal, after market.Milestone, cmd market.MilestoneCommand, at time.Time) (market.Transaction, bool, error) {
	var tx market.Transaction
	var err error
	switch cmd.Action {
	case market.MilestoneFund:
		tx, err = PostFund(d, after, at)
	case market.MilestoneRelease:
		tx, err = PostRelease(d, after, at)
	case market.MilestoneRefund:
		tx, err = PostRefund(d, after, cmd.Amount, at)
	case market.MilestoneSettle:
		tx, err = PostSettle(d, after, cmd.Amount, at)
	default:
		return market.Transaction{}, false, nil
	}
	return tx, err == nil, err
}

func shareEntries(d Deal, s Shares) []market.Entry {
	return []market.Entry{
		{Account: market.PayableAccount(d.SellerOrgID), Amount: s.Seller},
		{Account: market.PlatformRevenue, Amount: s.Platform},
		{Account: market.PayableAccount(d.IntermediaryOrgID), Amount: s.Intermediary},
	}
}

func refs(d Deal, m market.Milestone) market.TxRefs {
	return market.TxRefs{DealID: d.ID, MilestoneID: m.ID}
}
