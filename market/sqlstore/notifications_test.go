package sqlstore_test

import (
	"context"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestListNotificationsWithoutAccountSeesNoOrganisation guards against an
// empty account id matching the empty account_id of organisation
// notifications, which would show one organisation's notices to anyone.
func TestListNotificationsWithoutAccountSeesNoOrganisation(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		var orgA, orgB string
		err := db.Update(ctx, func(tx market.Tx) error {
			for i, id := range []*string{&orgA, &orgB} {
				o := &market.Organization{ID: market.NewID(), Kind: market.OrgEnterprise, NameZH: "机构", CreditCode: sqltest.ValidCreditCode(900 + i),
					Verification: market.VerificationVerified, CreatedAt: t0, UpdatedAt: t0, Version: 1}
				if err := tx.CreateOrganization(o); err != nil {
					return err
				}
				*id = o.ID
			}
			return market.Notify(tx, market.ToOrg(orgA), "test", market.ObjectRef{Type: "deal", ID: "d1"}, "for A only", t0)
		})
		if err != nil {
			t.Fatal(err)
		}
		db.View(ctx, func(tx market.Tx) error {
			for _, f := range []market.NotificationFilter{{}, {OrgIDs: []string{orgB}}, {AccountID: market.NewID()}} {
				got, err := tx.ListNotifications(f)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 0 {
					t.Errorf("filter %+v sees %d notifications addressed to A", f, len(got))
				}
			}
			got, err := tx.ListNotifications(market.NotificationFilter{OrgIDs: []string{orgA}})
			if err != nil || len(got) != 1 {
				t.Errorf("A sees %d (%v), want 1", len(got), err)
			}
			return nil
		})
	})
}
