package main

import (
	"context"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// TestAuditVerifyFindsAnEditedEvent edits one event row behind the store's
// back and expects verification to name exactly that event, on both engines.
func TestAuditVerifyFindsAnEditedEvent(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		at := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
		err := db.Update(ctx, func(tx market.Tx) error {
			for i := 0; i < 12; i++ {
				e := market.NewEvent("outcome.created", "acc", market.OutcomeObjectType, market.NewID(), map[string]int{"i": i}, at)
				if err := tx.AppendEvent(&e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// A page smaller than the log exercises the paging across the chain.
		res, err := verifyEventLog(ctx, db, 5)
		if err != nil || res.Broken != 0 || res.Checked != 12 {
			t.Fatalf("intact log: %+v, %v", res, err)
		}
		if _, err := db.DB().ExecContext(ctx, `UPDATE events SET payload = $1 WHERE seq = 7`, `{"i":700}`); err != nil {
			t.Fatal(err)
		}
		res, err = verifyEventLog(ctx, db, 5)
		if err != nil || res.Broken != 7 {
			t.Fatalf("edited payload: %+v, %v; want broken at 7", res, err)
		}
		// Restore the payload, then drop the last event: the head still counts it.
		if _, err := db.DB().ExecContext(ctx, `UPDATE events SET payload = $1 WHERE seq = 7`, `{"i":6}`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DB().ExecContext(ctx, `DELETE FROM events WHERE seq = 12`); err != nil {
			t.Fatal(err)
		}
		res, err = verifyEventLog(ctx, db, 5)
		if err != nil || res.Broken != 12 || res.Checked != 11 {
			t.Fatalf("truncated log: %+v, %v; want broken at 12", res, err)
		}
	})
}
