package market

import "strings"

// EventAdminSettlesOwnParty records that the admin settling a dispute is
// also a member of a party to it: allowed (membership never reduces a
// platform role, and needs the member's consent), but never silent.
const EventAdminSettlesOwnParty = "milestone.settled_by_party_member"

// settlingAdmin makes a platform admin who settles a dispute act as the
// admin even when they belong to a party: membership never overrides a
// platform role, so no organisation can freeze its own dispute by
// inviting the admin. The membership is appended to the log.
func (s *Service) settlingAdmin(tx Tx, a Actor, sc *milestoneScope, action string) error {
	if action != MilestoneSettle || !a.IsAdmin() || sc.role == MilestoneByAdmin {
		return nil
	}
	var parties []string
	for _, org := range []string{sc.d.BuyerOrgID, sc.d.SellerOrgID, contractIntermediary(sc.d)} {
		if org != "" && a.MemberOf(org) {
			parties = append(parties, org)
		}
	}
	sc.role = MilestoneByAdmin
	e := NewEvent(EventAdminSettlesOwnParty, a.AccountID, "milestone", sc.m.ID,
		map[string]string{"deal": sc.d.ID, "member_of": strings.Join(parties, ",")}, s.now())
	return tx.AppendEvent(&e)
}
