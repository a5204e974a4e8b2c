package web

import (
	"context"
	"net/http"

	"techbridge/market"
)

// financePage is the money of the visitor's organisations: one statement
// per currency from the ledger, and each signed deal's totals.
type financePage struct {
	Orgs []financeOrg
	Lang string
}

// financeOrg is one organisation's statements and deals.
type financeOrg struct {
	Org        *market.Organization
	Name       string
	Statements []market.Statement
	Deals      []financeDeal
	// Broker is true for an intermediary, whose earnings the page shows.
	Broker bool
}

// financeDeal is one deal as the organisation sees its money.
type financeDeal struct {
	ID, Subject, State string
	Role               string // the organisation's part: buyer, seller or intermediary
	Counterpart        string // the other party's name
	St                 *market.DealStatement
}

// Money renders minor units in the page's one format for its language.
func (p *financePage) Money(amount int64, currency string) string {
	return money(amount, currency, p.Lang)
}

// myFinance shows the statements of the visitor's organisations, or of
// ?org= for its members and admins.
func (s *Server) myFinance(w http.ResponseWriter, r *http.Request, v *visit) error {
	orgIDs := v.Actor.OrgIDs()
	if id := r.URL.Query().Get("org"); id != "" {
		orgIDs = []string{id}
	}
	p := &financePage{Lang: v.Lang}
	for _, id := range orgIDs {
		fo, err := s.financeOrg(r.Context(), v, id)
		if err != nil {
			return err
		}
		p.Orgs = append(p.Orgs, fo)
	}
	s.render(w, v, http.StatusOK, "finance", p)
	return nil
}

// financeOrg loads one organisation's statements and its signed deals.
func (s *Server) financeOrg(ctx context.Context, v *visit, orgID string) (financeOrg, error) {
	sts, err := s.svc.OrganizationStatements(ctx, v.Actor, orgID)
	if err != nil {
		return financeOrg{}, err
	}
	org, err := s.svc.Organization(ctx, v.Actor, orgID)
	if err != nil {
		return financeOrg{}, err
	}
	fo := financeOrg{Org: org, Name: org.Name(v.Lang), Statements: sts, Broker: org.Kind == market.OrgIntermediary}
	for _, st := range sts {
		fo.Broker = fo.Broker || st.Earnings != 0
	}
	deals, err := s.svc.Deals(ctx, v.Actor, market.DealFilter{OrgIDs: []string{orgID}, Limit: market.MaxPageSize})
	if err != nil {
		return financeOrg{}, err
	}
	for _, dv := range deals {
		d := dv.Deal
		if d.Contract == nil || len(d.Signatures) < 2 {
			continue // no money moves before both signatures
		}
		st, _, _, err := s.svc.DealPayments(ctx, v.Actor, d.ID)
		if market.ErrorCode(err) == market.ENOTFOUND {
			continue // an intermediary the contract does not name has no part in its money
		} else if err != nil {
			return financeOrg{}, err
		}
		fd := financeDeal{ID: d.ID, Subject: dv.Subject, State: d.State, St: st}
		switch orgID {
		case d.BuyerOrgID:
			fd.Role, fd.Counterpart = market.DealRoleBuyer, dv.Seller.Name(v.Lang)
		case d.SellerOrgID:
			fd.Role, fd.Counterpart = market.DealRoleSeller, dv.Buyer.Name(v.Lang)
		default:
			fd.Role = market.DealRoleIntermediary
			fd.Counterpart = dv.Buyer.Name(v.Lang) + " / " + dv.Seller.Name(v.Lang)
		}
		fo.Deals = append(fo.Deals, fd)
	}
	return fo, nil
}
