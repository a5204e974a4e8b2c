package sqlstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestRegistrationsRoundTrip stores a registration and an organisation
// profile on both engines, reads them back exactly, refuses a stale write
// and filters the export.
func TestRegistrationsRoundTrip(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newDealWorld(t, db)
		d := w.open(t)
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateDeal(&d) }); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
		reg := &market.ContractRegistration{DealID: d.ID, Version: 1, State: market.RegistrationSubmitted,
			SubmittedByRole: market.DealRoleBuyer, SubmittedByAccount: "acc-b", SubmittedAt: at, UpdatedAt: at,
			Record: market.RegistrationRecord{DealID: d.ID, State: market.RegistrationSubmitted, ContractType: market.ContractTransfer,
				TechField: "new_energy", SigningDate: "2026-03-03", PatentNumbers: []string{"CN114081026A"},
				Buyer:  market.RegistrationParty{OrgID: w.buyer.OrgID, RegionCode: "310115", Kind: market.OrgEnterprise},
				Seller: market.RegistrationParty{OrgID: w.seller.OrgID, RegionCode: "320576"}}}
		if err := update(t, db, func(tx market.Tx) error { return tx.SaveRegistration(reg) }); err != nil {
			t.Fatal(err)
		}
		load := func() *market.ContractRegistration {
			var got *market.ContractRegistration
			if err := db.View(context.Background(), func(tx market.Tx) (err error) {
				got, err = tx.RegistrationByDeal(d.ID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := load(); !reflect.DeepEqual(got, reg) {
			t.Fatalf("read back\n got %+v\nwant %+v", got, reg)
		}
		stale := *reg
		reg.Version, reg.State, reg.Record.RegistrationNumber, reg.Record.RegisteredOn = 2, market.RegistrationRegistered, "2026310000000001", "2026-03-05"
		if err := update(t, db, func(tx market.Tx) error { return tx.SaveRegistration(reg) }); err != nil {
			t.Fatal(err)
		}
		stale.Version = 2
		if err := update(t, db, func(tx market.Tx) error { return tx.SaveRegistration(&stale) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Fatalf("stale write: %v", err)
		}
		if got := load(); got.State != market.RegistrationRegistered || got.Record.RegistrationNumber != "2026310000000001" {
			t.Fatalf("after update %+v", got)
		}
		for _, tc := range []struct {
			f    market.RegistrationFilter
			want int
		}{
			{market.RegistrationFilter{}, 1},
			{market.RegistrationFilter{State: market.RegistrationRegistered, ContractType: market.ContractTransfer, TechField: "new_energy"}, 1},
			{market.RegistrationFilter{State: market.RegistrationSubmitted}, 0},
			{market.RegistrationFilter{Region: "32"}, 1},   // the seller's
			{market.RegistrationFilter{Region: "3101"}, 1}, // the buyer's
			{market.RegistrationFilter{Region: "44"}, 0},
			{market.RegistrationFilter{From: "2026-03-03", To: "2026-03-03"}, 1},
			{market.RegistrationFilter{To: "2026-03-02"}, 0},
			{market.RegistrationFilter{After: d.ID}, 0},
		} {
			var got []market.ContractRegistration
			err := db.View(context.Background(), func(tx market.Tx) (err error) {
				got, err = tx.ListRegistrations(tc.f)
				return err
			})
			if err != nil || len(got) != tc.want {
				t.Errorf("%+v: %d, %v; want %d", tc.f, len(got), err, tc.want)
			}
		}
		// The organisation profile columns.
		err := update(t, db, func(tx market.Tx) error {
			o, err := tx.OrganizationByID(w.buyer.OrgID)
			if err != nil {
				return err
			}
			o.OrgProfile = sqltest.Profile()
			o.Version++
			return tx.UpdateOrganization(o)
		})
		if err != nil {
			t.Fatal(err)
		}
		_ = db.View(context.Background(), func(tx market.Tx) error {
			o, err := tx.OrganizationByID(w.buyer.OrgID)
			if err != nil || o.OrgProfile != sqltest.Profile() {
				t.Errorf("profile read back %+v, %v", o, err)
			}
			return nil
		})
	})
}
