// Package paytest builds signed deals with milestones straight in a store,
// for the tests of payments, the API and the end-to-end run: the deal
// life cycle before signing is the deals module's and tested there.
package paytest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"techbridge/market"
)

var orgSeq atomic.Int64

// Party is an organisation and its owner acting for it.
type Party struct {
	Org   market.Organization
	Actor market.Actor
}

// Org creates a verified organisation of kind with an owner account.
func Org(tb testing.TB, store market.Store, kind, email string) Party {
	tb.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	n := orgSeq.Add(1) + time.Now().UnixNano()%1000000*10
	first := fmt.Sprintf("91310000MA%07d", n%10000000)
	org := market.Organization{ID: market.NewID(), Kind: kind, NameZH: "机构" + email, NameEN: "Org " + email, Region: "上海",
		CreditCode: first + string(market.CreditCodeCheckChar(first)), Verification: market.VerificationVerified,
		CreatedAt: now, UpdatedAt: now, Version: 1}
	acc := market.Account{ID: market.NewID(), Email: email, DisplayName: email, PasswordHash: "x", CreatedAt: now, EmailVerifiedAt: &now}
	m := market.Membership{AccountID: acc.ID, OrgID: org.ID, Role: market.MemberOwner, CreatedAt: now}
	must(tb, store.Update(context.Background(), func(tx market.Tx) error {
		if err := tx.CreateAccount(&acc); err != nil {
			return err
		}
		if err := tx.CreateOrganization(&org); err != nil {
			return err
		}
		return tx.AddMembership(m)
	}))
	return Party{Org: org, Actor: market.Actor{AccountID: acc.ID, Memberships: []market.Membership{m}, EmailVerified: true}}
}

// Admin creates a platform admin.
func Admin(tb testing.TB, store market.Store, email string) market.Actor {
	tb.Helper()
	return Staff(tb, store, email, market.RoleAdmin)
}

// Staff creates an account with a platform role (admin, reviewer, finance).
func Staff(tb testing.TB, store market.Store, email, role string) market.Actor {
	tb.Helper()
	now := time.Now().UTC().Truncate(time.Microsecond)
	acc := market.Account{ID: market.NewID(), Email: email, DisplayName: role, PasswordHash: "x",
		PlatformRole: role, CreatedAt: now, EmailVerifiedAt: &now}
	must(tb, store.Update(context.Background(), func(tx market.Tx) error { return tx.CreateAccount(&acc) }))
	return market.Actor{AccountID: acc.ID, PlatformRole: role, EmailVerified: true}
}

// Deal describes a signed deal to create.
type Deal struct {
	BuyerOrgID, SellerOrgID string
	IntermediaryOrgID       string          // "" for none
	Fee                     market.FeeTerms // with an intermediary
	Currency                string          // default CNY
	Amounts                 []int64         // milestone prices; default one of 100000
}

// SignedDeal stores a signed deal with its contract and pending milestones.
func SignedDeal(tb testing.TB, store market.Store, in Deal) (market.Deal, []market.Milestone) {
	tb.Helper()
	if in.Currency == "" {
		in.Currency = "CNY"
	}
	if len(in.Amounts) == 0 {
		in.Amounts = []int64{100000}
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	id := market.NewID()
	terms := market.OfferTerms{ContractType: "transfer", Currency: in.Currency}
	for i, a := range in.Amounts {
		terms.Price += a
		terms.Milestones = append(terms.Milestones, market.MilestoneTerms{Title: fmt.Sprintf("Milestone %d", i+1),
			Deliverable: "report", Amount: a, Due: now.Truncate(24*time.Hour).AddDate(0, 1, 0)})
	}
	c := &market.Contract{DealID: id, OfferNumber: 1, Subject: "Technology", NameEN: "Transfer contract",
		Buyer: market.ContractParty{OrgID: in.BuyerOrgID}, Seller: market.ContractParty{OrgID: in.SellerOrgID},
		Terms: terms, DraftedAt: now}
	d := market.Deal{ID: id, Version: 1, State: market.DealSigned, Source: market.DealFromOutcome, ListingID: market.NewID(),
		BuyerOrgID: in.BuyerOrgID, SellerOrgID: in.SellerOrgID, OpenedByRole: market.DealRoleBuyer, Contract: c,
		CreatedAt: now, UpdatedAt: now, LastActivityAt: now, SignedAt: now}
	if in.IntermediaryOrgID != "" {
		fee := in.Fee
		d.Intermediary = &market.Intermediary{OrgID: in.IntermediaryOrgID, Fee: fee, Status: market.IntermediaryAccepted,
			BuyerAgreed: true, SellerAgreed: true}
		c.Intermediary, c.IntermediaryFee = &market.ContractParty{OrgID: in.IntermediaryOrgID}, &fee
	}
	ms, err := market.MilestonesForContract(*c, now)
	must(tb, err)
	must(tb, store.Update(context.Background(), func(tx market.Tx) error {
		if err := tx.CreateDeal(&d); err != nil {
			return err
		}
		for i := range ms {
			if err := tx.CreateMilestone(&ms[i]); err != nil {
				return err
			}
		}
		return nil
	}))
	return d, ms
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
