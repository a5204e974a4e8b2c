package market

import (
	"context"
	"strings"
	"techbridge/market/msgs"
	"unicode/utf8"
)

// EventOrgPayoutAccountSet records that an owner gave the organisation's
// payout account; the payload keeps only its last four characters.
const EventOrgPayoutAccountSet = "organization.payout_account_set"

// SetPayoutAccount records where the platform pays an organisation its
// share: a bank, account name and number written as one line, which the
// admin's payout list shows beside each payout. Only the organisation's
// owners may give it.
func (s *Service) SetPayoutAccount(ctx context.Context, actor Actor, orgID, account string) (*Organization, error) {
	account = strings.Join(strings.Fields(account), " ")
	if account == "" || utf8.RuneCountInString(account) > 200 {
		return nil, Invalid("payout_ref", msgs.BankAccountChars1To200)
	}
	var o *Organization
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		if o, err = tx.OrganizationByID(orgID); err != nil {
			return err
		}
		if !actor.OwnerOf(orgID) {
			if actor.MemberOf(orgID) {
				return Errorf(EFORBIDDEN, msgs.OnlyOrganisationSOwnersGivePayout)
			}
			return Errorf(ENOTFOUND, msgs.OrganizationXNotFound, orgID)
		}
		o.PayoutRef, o.UpdatedAt = account, s.now()
		o.Version++
		if err := tx.UpdateOrganization(o); err != nil {
			return err
		}
		tail := account
		if n := utf8.RuneCountInString(tail); n > 4 {
			tail = string([]rune(tail)[n-4:])
		}
		e := NewEvent(EventOrgPayoutAccountSet, actor.AccountID, "organization", o.ID, map[string]string{"ending": tail}, o.UpdatedAt)
		return tx.AppendEvent(&e)
	})
	return o, err
}
