package market

// Actor is who performs an action: an account with its platform role and
// memberships, or the zero Actor for the anonymous public.
type Actor struct {
	AccountID    string
	PlatformRole string
	Memberships  []Membership
}

// Anonymous reports whether nobody is logged in.
func (a Actor) Anonymous() bool { return a.AccountID == "" }

// IsAdmin reports whether the actor is a platform admin.
func (a Actor) IsAdmin() bool { return a.PlatformRole == RoleAdmin }

// IsReviewer reports whether the actor may review listings (admins may too).
func (a Actor) IsReviewer() bool { return a.PlatformRole == RoleReviewer || a.IsAdmin() }

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
