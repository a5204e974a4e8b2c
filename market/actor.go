package market

import "techbridge/market/msgs"

// Actor is who performs an action: an account with its platform role and
// memberships, or the zero Actor for the anonymous public.
type Actor struct {
	AccountID    string
	PlatformRole string
	Memberships  []Membership
	// EmailVerified reports whether the account proved its email address.
	EmailVerified bool
	// ActingOrg is the organisation the request acts for, when the caller
	// named one (X-Organization, the page's switcher); "" = not named.
	// Where an action needs one organisation and the account has several,
	// it is required rather than guessed.
	ActingOrg string
}

// Anonymous reports whether nobody is logged in.
func (a Actor) Anonymous() bool { return a.AccountID == "" }

// IsAdmin reports whether the actor is a platform admin.
func (a Actor) IsAdmin() bool { return a.PlatformRole == RoleAdmin }

// IsReviewer reports whether the actor may review listings (admins may too).
func (a Actor) IsReviewer() bool { return a.PlatformRole == RoleReviewer || a.IsAdmin() }

// IsFinance reports whether the actor may do the platform's money desk
// work: confirm bank transfers, import statements, pay payouts (admins may
// too).
func (a Actor) IsFinance() bool { return a.PlatformRole == RoleFinance || a.IsAdmin() }

// IsRegistrar reports whether the actor may register contracts (admins may too).
func (a Actor) IsRegistrar() bool { return a.PlatformRole == RoleRegistrar || a.IsAdmin() }

// MemberOf reports whether the actor belongs to the organisation.
func (a Actor) MemberOf(orgID string) bool {
	for _, m := range a.Memberships {
		if m.OrgID == orgID {
			return true
		}
	}
	return false
}

// OwnerOf reports whether the actor owns the organisation.
func (a Actor) OwnerOf(orgID string) bool {
	for _, m := range a.Memberships {
		if m.OrgID == orgID && m.Role == MemberOwner {
			return true
		}
	}
	return false
}

// OrgIDs returns the ids of the actor's organisations.
func (a Actor) OrgIDs() []string {
	ids := make([]string, len(a.Memberships))
	for i, m := range a.Memberships {
		ids[i] = m.OrgID
	}
	return ids
}

// ActFor returns the actor acting for orgID, which must be one of its
// organisations; "" leaves the actor as it is.
func (a Actor) ActFor(orgID string) (Actor, error) {
	if orgID == "" {
		return a, nil
	}
	if !a.MemberOf(orgID) {
		return a, Errorf(EFORBIDDEN, msgs.YouAreNotMemberOrganisationX, orgID)
	}
	a.ActingOrg = orgID
	return a, nil
}

// ChosenOrg is the organisation an action is for: explicit when given, else
// the acting organisation, else the actor's only one; "" when the account
// has several and named none, so the caller asks instead of guessing.
func (a Actor) ChosenOrg(explicit string) string {
	switch {
	case explicit != "":
		return explicit
	case a.ActingOrg != "":
		return a.ActingOrg
	case len(a.Memberships) == 1:
		return a.Memberships[0].OrgID
	}
	return ""
}
