package market

import (
	"context"

	"techbridge/market/msgs"
)

// FinanceOp is a provider operation with what the money desk needs to act
// on it: the organisation that pays (a funding) or is paid (a payout),
// with its payout account; the deal's subject; the milestone.
type FinanceOp struct {
	Op        PaymentOp
	Org       Organization
	Subject   string
	Milestone Milestone
}

// Finance operation lists of FinanceOps.
const (
	FinancePayouts   = "payouts"   // transfers and refunds, by state
	FinanceTransfers = "transfers" // bank transfers buyers reported, not yet confirmed
)

// FinanceOps lists, for finance and admins, the payouts (of a state, ""
// for all) or the reported bank transfers awaiting confirmation, each
// with its organisation, deal subject and milestone, read in one
// transaction.
func (s *Service) FinanceOps(ctx context.Context, a Actor, list, state string) ([]FinanceOp, error) {
	if !a.IsFinance() {
		return nil, Errorf(EFORBIDDEN, msgs.OnlyFinanceSeesPayments)
	}
	f := PaymentOpFilter{Kinds: []string{PayTransfer, PayRefund}, State: state, Limit: 500}
	if list == FinanceTransfers {
		f = PaymentOpFilter{Kinds: []string{PayFund}, State: PayPending, Limit: 500}
	}
	var out []FinanceOp
	err := s.Store.View(ctx, func(tx Tx) error {
		ops, err := tx.ListPaymentOps(f)
		if err != nil {
			return err
		}
		orgs := map[string]*Organization{}
		subjects := map[string]string{}
		for _, op := range ops {
			if list == FinanceTransfers && op.Provider != ProviderBank {
				continue // card payments are confirmed by the provider
			}
			o, ok := orgs[op.OrgID]
			if !ok {
				if o, err = tx.OrganizationByID(op.OrgID); err != nil {
					return err
				}
				orgs[op.OrgID] = o
			}
			subject, ok := subjects[op.DealID]
			if !ok {
				d, err := tx.DealByID(op.DealID)
				if err != nil {
					return err
				}
				if subject, err = dealSubject(tx, *d); err != nil {
					return err
				}
				subjects[op.DealID] = subject
			}
			fo := FinanceOp{Op: op, Org: *o, Subject: subject}
			if op.MilestoneID != "" {
				m, err := tx.MilestoneByID(op.MilestoneID)
				if err != nil {
					return err
				}
				fo.Milestone = *m
			}
			out = append(out, fo)
		}
		return nil
	})
	return out, err
}
