package sqlstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

var t0 = time.Date(2026, 11, 29, 8, 30, 0, 123456000, time.UTC)

func update(t testing.TB, db *sqlstore.DB, fn func(market.Tx) error) error {
	t.Helper()
	return db.Update(context.Background(), fn)
}

func TestAccountsAndOrganizations(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		acc := &market.Account{ID: market.NewID(), Email: "li@example.cn", DisplayName: "李雷", PasswordHash: "h", CreatedAt: t0}
		org := &market.Organization{ID: market.NewID(), Kind: market.OrgUniversity, NameZH: "同济大学", NameEN: "Tongji University",
			Region: "上海", CreditCode: sqltest.ValidCreditCode(1), Verification: market.VerificationPending,
			CreatedAt: t0, UpdatedAt: t0, Version: 1}
		err := update(t, db, func(tx market.Tx) error {
			if err := tx.CreateAccount(acc); err != nil {
				return err
			}
			if err := tx.CreateOrganization(org); err != nil {
				return err
			}
			return tx.AddMembership(market.Membership{AccountID: acc.ID, OrgID: org.ID, Role: market.MemberOwner, CreatedAt: t0})
		})
		if err != nil {
			t.Fatal(err)
		}

		err = db.View(context.Background(), func(tx market.Tx) error {
			got, err := tx.AccountByEmail("li@example.cn")
			if err != nil {
				return err
			}
			if got.ID != acc.ID || got.DisplayName != "李雷" || !got.CreatedAt.Equal(t0) || got.CreatedAt.Location() != time.UTC {
				t.Errorf("account read back as %+v", got)
			}
			o, err := tx.OrganizationByID(org.ID)
			if err != nil {
				return err
			}
			if o.NameZH != "同济大学" || o.Version != 1 || !o.UpdatedAt.Equal(t0) {
				t.Errorf("organization read back as %+v", o)
			}
			ms, err := tx.Members(org.ID)
			if err != nil {
				return err
			}
			if len(ms) != 1 || ms[0].Email != acc.Email || ms[0].Role != market.MemberOwner {
				t.Errorf("members = %+v", ms)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		// Duplicate email and credit code are conflicts, and roll back.
		dup := *acc
		dup.ID = market.NewID()
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateAccount(&dup) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("duplicate email: %v, want conflict", err)
		}
		dupOrg := *org
		dupOrg.ID = market.NewID()
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateOrganization(&dupOrg) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("duplicate credit code: %v, want conflict", err)
		}

		// Not found is an error.
		err = db.View(context.Background(), func(tx market.Tx) error {
			_, err := tx.AccountByID("nope")
			return err
		})
		if market.ErrorCode(err) != market.ENOTFOUND {
			t.Errorf("missing account: %v", err)
		}

		// Optimistic concurrency: a stale version loses.
		o2 := *org
		o2.Version, o2.Verification = 2, market.VerificationVerified
		if err := update(t, db, func(tx market.Tx) error { return tx.UpdateOrganization(&o2) }); err != nil {
			t.Fatal(err)
		}
		stale := *org
		stale.Version = 2 // based on version 1, which is gone
		if err := update(t, db, func(tx market.Tx) error { return tx.UpdateOrganization(&stale) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("stale update: %v, want conflict", err)
		}
	})
}

func TestRollbackLeavesNothing(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		boom := errors.New("boom")
		err := update(t, db, func(tx market.Tx) error {
			acc := &market.Account{ID: market.NewID(), Email: "x@example.cn", DisplayName: "x", PasswordHash: "h", CreatedAt: t0}
			if err := tx.CreateAccount(acc); err != nil {
				return err
			}
			e := market.NewEvent("t", "", "account", acc.ID, nil, t0)
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
		db.View(context.Background(), func(tx market.Tx) error {
			if _, err := tx.AccountByEmail("x@example.cn"); market.ErrorCode(err) != market.ENOTFOUND {
				t.Errorf("account survived rollback: %v", err)
			}
			if seq, _ := tx.LastEventSeq(); seq != 0 {
				t.Errorf("event seq %d survived rollback", seq)
			}
			return nil
		})
	})
}

func TestEventChainConcurrentAppends(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		const writers, each = 8, 10
		var wg sync.WaitGroup
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					err := update(t, db, func(tx market.Tx) error {
						e := market.NewEvent("test.appended", "", "thing", market.NewID(), map[string]int{"i": i}, time.Now())
						return tx.AppendEvent(&e)
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		var evs []market.Event
		db.View(context.Background(), func(tx market.Tx) (err error) {
			evs, err = tx.EventsAfter(0, 1000)
			return err
		})
		if len(evs) != writers*each {
			t.Fatalf("%d events, want %d", len(evs), writers*each)
		}
		if broken := market.VerifyChain(0, "", evs); broken != 0 {
			t.Fatalf("chain broken at %d after concurrent appends", broken)
		}
		// Cursors.
		err := update(t, db, func(tx market.Tx) error { return tx.SetCursor("search", 42) })
		if err != nil {
			t.Fatal(err)
		}
		db.View(context.Background(), func(tx market.Tx) error {
			if c, _ := tx.Cursor("search"); c != 42 {
				t.Errorf("cursor = %d", c)
			}
			if c, _ := tx.Cursor("other"); c != 0 {
				t.Errorf("unknown cursor = %d", c)
			}
			return nil
		})
	})
}

func TestRefreshTokensAndSessions(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		acc := &market.Account{ID: market.NewID(), Email: "a@example.cn", DisplayName: "a", PasswordHash: "h", CreatedAt: t0}
		rt := &market.RefreshToken{ID: market.NewID(), FamilyID: "fam", AccountID: acc.ID, Hash: "h1", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		err := update(t, db, func(tx market.Tx) error {
			if err := tx.CreateAccount(acc); err != nil {
				return err
			}
			if err := tx.CreateRefreshToken(rt); err != nil {
				return err
			}
			if err := tx.MarkRefreshTokenUsed(rt.ID, t0.Add(time.Minute)); err != nil {
				return err
			}
			return tx.RevokeRefreshFamily("fam", t0.Add(2*time.Minute))
		})
		if err != nil {
			t.Fatal(err)
		}
		db.View(context.Background(), func(tx market.Tx) error {
			got, err := tx.RefreshTokenByHash("h1")
			if err != nil {
				t.Fatal(err)
			}
			if got.UsedAt == nil || !got.UsedAt.Equal(t0.Add(time.Minute)) || got.RevokedAt == nil {
				t.Errorf("token = %+v", got)
			}
			return nil
		})
		// A second use of the same token cannot be marked used again.
		err = update(t, db, func(tx market.Tx) error { return tx.MarkRefreshTokenUsed(rt.ID, t0) })
		if market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("double use: %v, want conflict", err)
		}
	})
}
