package main

import (
	"context"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore/sqltest"
)

// e2eMarket builds browser-test fixtures straight through the market
// service: verified organisations and published listings, so a journey
// starts where the pages under test begin.
type e2eMarket struct {
	t     *testing.T
	svc   *market.Service
	admin market.Actor
}

// e2ePassword is every fixture account's password.
const e2ePassword = "correct horse battery"

func newE2EMarket(t *testing.T, svc *market.Service, adminEmail string) *e2eMarket {
	t.Helper()
	m := &e2eMarket{t: t, svc: svc}
	acc, err := svc.CreateAdmin(context.Background(), market.NewAccount{Email: adminEmail, Password: e2ePassword, DisplayName: "Admin"}, market.RoleAdmin)
	m.must(err)
	m.admin = m.actor(acc.ID)
	return m
}

func (m *e2eMarket) must(err error) {
	m.t.Helper()
	if err != nil {
		m.t.Fatal(err)
	}
}

func (m *e2eMarket) actor(accountID string) market.Actor {
	m.t.Helper()
	a, err := m.svc.ActorFor(context.Background(), accountID)
	m.must(err)
	return a
}

// orgOwner registers email, creates its verified organisation (code17 is
// the credit code without its check character) and returns the owner.
func (m *e2eMarket) orgOwner(email, kind, name, code17 string) (market.Actor, *market.Organization) {
	m.t.Helper()
	ctx := context.Background()
	acc, err := m.svc.RegisterVerified(ctx, market.NewAccount{Email: email, Password: e2ePassword, DisplayName: name})
	m.must(err)
	o, err := m.svc.CreateOrganization(ctx, m.actor(acc.ID), market.NewOrganization{Kind: kind, NameZH: name, Region: "上海市",
		CreditCode: code17 + string(market.CreditCodeCheckChar(code17)), OrgProfile: sqltest.Profile()})
	m.must(err)
	_, err = m.svc.VerifyOrganization(ctx, m.admin, o.ID, market.VerificationVerified, "")
	m.must(err)
	return m.actor(acc.ID), o
}

// publishOutcome creates, submits and (as the admin) publishes an outcome.
func (m *e2eMarket) publishOutcome(owner market.Actor, orgID string, in market.OutcomeInput) *market.Outcome {
	m.t.Helper()
	ctx := context.Background()
	o, err := m.svc.CreateOutcome(ctx, owner, orgID, in)
	m.must(err)
	o, err = m.svc.TransitionOutcome(ctx, owner, o.ID, o.Version, market.SubmitListing, "")
	m.must(err)
	o, err = m.svc.TransitionOutcome(ctx, m.admin, o.ID, o.Version, market.PublishListing, "")
	m.must(err)
	return o
}

// publishScenario creates, submits and (as the admin) publishes a scenario.
func (m *e2eMarket) publishScenario(owner market.Actor, orgID string, in market.ScenarioInput) *market.Scenario {
	m.t.Helper()
	ctx := context.Background()
	s, err := m.svc.CreateScenario(ctx, owner, orgID, in)
	m.must(err)
	s, err = m.svc.TransitionScenario(ctx, owner, s.ID, s.Version, market.SubmitListing, "")
	m.must(err)
	s, err = m.svc.TransitionScenario(ctx, m.admin, s.ID, s.Version, market.PublishListing, "")
	m.must(err)
	return s
}
