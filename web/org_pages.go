package web

import (
	"context"
	"net/http"

	"techbridge/market"
)

// orgPage is the data of "my organisation": the organisations the visitor
// belongs to and the form to create one.
type orgPage struct {
	Orgs        []orgCard
	Create      *form
	Kinds       []string
	Roles       []string
	Invitations []invitationCard // pending invitations to the visitor
}

// invitationCard is an invitation with the inviting organisation's name.
type invitationCard struct {
	Invitation market.Invitation
	OrgName    string
}

// orgCard is one of the visitor's organisations.
type orgCard struct {
	Org       *market.Organization
	Name      string // in the page language
	Role      string // the visitor's role in it
	Members   []market.Member
	Owner     bool                // the visitor owns it: member management
	Pending   []market.Invitation // only for owners
	History   []market.OrgVerification
	AddMember *form       // only for owners
	NDA       *market.NDA // the current NDA, nil before the first
	NDAForm   *form       // only for owners: the text of the next version
	Payout    *form       // only for owners: where the platform pays the organisation
	Profile   *form       // only for owners: the registration profile (registration_pages.go)
}

// myOrganizations lists the visitor's organisations and offers to create one.
func (s *Server) myOrganizations(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.orgPage(r.Context(), v)
	if err != nil {
		return err
	}
	s.render(w, v, http.StatusOK, "organizations", p)
	return nil
}

// createOrganization creates an organisation owned by the visitor; bad
// input comes back in place with the values kept.
func (s *Server) createOrganization(w http.ResponseWriter, r *http.Request, v *visit) error {
	f := newForm(r, "kind", "name_zh", "name_en", "region", "credit_code")
	in := market.NewOrganization{Kind: f.Value("kind"), NameZH: f.Value("name_zh"), NameEN: f.Value("name_en"),
		Region: f.Value("region"), CreditCode: f.Value("credit_code")}
	_, err := s.svc.CreateOrganization(r.Context(), v.Actor, in)
	if f.take(v.Lang, err) {
		p, err := s.orgPage(r.Context(), v)
		if err != nil {
			return err
		}
		p.Create = f
		s.render(w, v, http.StatusUnprocessableEntity, "organizations", p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/my/organizations?done=org_created", http.StatusSeeOther)
	return nil
}

// addMember invites an email address into one of the visitor's
// organisations; the invitee joins by accepting the mailed link.
func (s *Server) addMember(w http.ResponseWriter, r *http.Request, v *visit) error {
	orgID := r.PathValue("id")
	f := newForm(r, "email", "role")
	_, err := s.svc.InviteMember(r.Context(), v.Actor, orgID, f.Value("email"), f.Value("role"))
	if f.take(v.Lang, err) {
		p, err := s.orgPage(r.Context(), v)
		if err != nil {
			return err
		}
		for i := range p.Orgs {
			if p.Orgs[i].Org.ID == orgID && p.Orgs[i].AddMember != nil {
				p.Orgs[i].AddMember = f
			}
		}
		s.render(w, v, http.StatusUnprocessableEntity, "organizations", p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/my/organizations?done=member_invited#org-"+orgID, http.StatusSeeOther)
	return nil
}

// orgPage loads the visitor's organisations with their members.
func (s *Server) orgPage(ctx context.Context, v *visit) (*orgPage, error) {
	p := &orgPage{Create: &form{}, Kinds: market.OrgKinds, Roles: []string{market.MemberMember, market.MemberOwner}}
	invs, err := s.svc.MyInvitations(ctx, v.Actor)
	if err != nil {
		return nil, err
	}
	for _, inv := range invs {
		o, err := s.svc.Organization(ctx, v.Actor, inv.OrgID)
		if err != nil {
			return nil, err
		}
		p.Invitations = append(p.Invitations, invitationCard{Invitation: inv, OrgName: o.Name(v.Lang)})
	}
	for _, m := range v.Actor.Memberships {
		o, err := s.svc.Organization(ctx, v.Actor, m.OrgID)
		if err != nil {
			return nil, err
		}
		members, err := s.svc.Members(ctx, v.Actor, m.OrgID)
		if err != nil {
			return nil, err
		}
		c := orgCard{Org: o, Name: o.Name(v.Lang), Role: m.Role, Members: members, Owner: m.Role == market.MemberOwner}
		if c.History, err = s.svc.VerificationHistory(ctx, v.Actor, o.ID); err != nil {
			return nil, err
		}
		if c.Owner {
			if c.Pending, err = s.svc.Invitations(ctx, v.Actor, o.ID, market.InvitationPending); err != nil {
				return nil, err
			}
		}
		if c.NDA, err = s.svc.CurrentNDA(ctx, o.ID); market.ErrorCode(err) == market.ENOTFOUND {
			c.NDA = nil
		} else if err != nil {
			return nil, err
		}
		if m.Role == market.MemberOwner {
			c.AddMember = &form{}
			c.NDAForm = &form{Values: map[string]string{}}
			if c.NDA != nil { // the next version starts from the current text
				c.NDAForm.Values["text"] = c.NDA.Text
			}
			c.Payout = &form{Values: map[string]string{"payout_ref": o.PayoutRef}}
			c.Profile = orgProfileForm(o)
		}
		p.Orgs = append(p.Orgs, c)
	}
	return p, nil
}

// publishNDA publishes the organisation's next NDA version, for its owners;
// confidential outcomes' new deals carry it, earlier deals keep theirs. The
// same text again is no new version, and the notice says so.
func (s *Server) publishNDA(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	orgID := r.PathValue("id")
	f := newForm(r, "text")
	before, err := s.svc.CurrentNDA(ctx, orgID)
	if err != nil && market.ErrorCode(err) != market.ENOTFOUND {
		return err
	}
	nda, err := s.svc.PublishNDA(ctx, v.Actor, orgID, f.Value("text"))
	if f.take(v.Lang, err) {
		p, err := s.orgPage(ctx, v)
		if err != nil {
			return err
		}
		for i := range p.Orgs {
			if p.Orgs[i].Org.ID == orgID && p.Orgs[i].NDAForm != nil {
				p.Orgs[i].NDAForm = f
			}
		}
		s.render(w, v, http.StatusUnprocessableEntity, "organizations", p)
		return nil
	} else if err != nil {
		return err
	}
	done := "nda_published"
	if before != nil && before.Version == nda.Version {
		done = "nda_unchanged"
	}
	http.Redirect(w, r, "/my/organizations?done="+done+"#nda-"+orgID, http.StatusSeeOther)
	return nil
}

// setPayoutAccount records, for an owner, the bank account the platform
// pays the organisation's shares to; the admin's payout list shows it.
func (s *Server) setPayoutAccount(w http.ResponseWriter, r *http.Request, v *visit) error {
	ctx := r.Context()
	orgID := r.PathValue("id")
	f := newForm(r, "payout_ref")
	_, err := s.svc.SetPayoutAccount(ctx, v.Actor, orgID, f.Value("payout_ref"))
	if f.take(v.Lang, err) {
		p, err := s.orgPage(ctx, v)
		if err != nil {
			return err
		}
		for i := range p.Orgs {
			if p.Orgs[i].Org.ID == orgID && p.Orgs[i].Payout != nil {
				p.Orgs[i].Payout = f
			}
		}
		s.render(w, v, http.StatusUnprocessableEntity, "organizations", p)
		return nil
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/my/organizations?done=payout_account_set#payout-"+orgID, http.StatusSeeOther)
	return nil
}
