package sqlstore_test

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// dealWorld is a buyer, a seller with a confidential outcome and its NDA,
// and a broker, stored; the actors act for them.
type dealWorld struct {
	buyer, seller, broker market.DealActor
	outcome               *market.Outcome
	nda                   market.NDA
}

func newDealWorld(t *testing.T, db *sqlstore.DB) dealWorld {
	t.Helper()
	w := dealWorld{
		buyer:  market.DealActor{OrgID: listingOrg(t, db, 101, market.OrgEnterprise, "上海"), AccountID: "acc-b", Role: market.DealRoleBuyer, Signatory: true},
		seller: market.DealActor{OrgID: listingOrg(t, db, 102, market.OrgUniversity, "上海"), AccountID: "acc-s", Role: market.DealRoleSeller, Signatory: true},
		broker: market.DealActor{OrgID: listingOrg(t, db, 103, market.OrgIntermediary, "上海"), AccountID: "acc-i", Role: market.DealRoleIntermediary},
	}
	w.outcome = sampleOutcome(w.seller.OrgID, "")
	w.outcome.Confidentiality = market.ConfidentialityTeaser
	var err error
	if w.nda, err = market.NewNDA(w.seller.OrgID, 1, "保密协议 / NDA v1", t0); err != nil {
		t.Fatal(err)
	}
	err = update(t, db, func(tx market.Tx) error {
		if err := tx.CreateOutcome(w.outcome); err != nil {
			return err
		}
		return tx.CreateNDA(&w.nda)
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w dealWorld) open(t *testing.T) market.Deal {
	t.Helper()
	nda := w.nda
	d, _, err := market.OpenOutcomeDeal(market.OutcomeInquiry{OutcomeID: w.outcome.ID, SellerOrgID: w.seller.OrgID,
		Published: true, Confidential: true, NDA: &nda, BuyerKind: market.OrgEnterprise, Message: "询价"}, w.buyer, t0)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func storeTerms() market.OfferTerms {
	due := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	return market.OfferTerms{ContractType: market.ContractLicence, Price: 300_000_00, Currency: "CNY", NonTechnicalAmount: 10_000_00,
		Licence:    &market.LicenceScope{Exclusive: true, Territory: "中国大陆", FieldOfUse: "储能", TermMonths: 24},
		RoyaltyBPS: 150,
		Milestones: []market.MilestoneTerms{{Title: "交付", Deliverable: "工艺包", Amount: 100_000_00, Due: due},
			{Title: "验收", Deliverable: "中试报告", Amount: 200_000_00, Due: due.AddDate(0, 3, 0)}},
		Registration: &market.RegistrationTerms{SubType: "sole", TechField: "new_energy", IPType: market.IPInventionPatent,
			PatentNumbers: []string{"CN114081026A"}, ValidFrom: due.AddDate(-1, 0, 0), ValidUntil: due.AddDate(2, 0, 0),
			SigningPlace: "上海", SocioEconomicGoal: "energy"}}
}

func party(orgID string) market.ContractParty {
	return market.ContractParty{OrgID: orgID, NameZH: "机构", CreditCode: "X", Region: "上海"}
}

// step applies an action and stores the result, like the service does.
func step(t *testing.T, db *sqlstore.DB, d market.Deal, a market.DealActor, act market.DealAction, at time.Time) market.Deal {
	t.Helper()
	n, _, err := market.ApplyDeal(d, a, act, at)
	if err != nil {
		t.Fatalf("%s: %v", act.Name(), err)
	}
	if err := update(t, db, func(tx market.Tx) error { return tx.UpdateDeal(&n) }); err != nil {
		t.Fatalf("store %s: %v", act.Name(), err)
	}
	return n
}

func loadDeal(t *testing.T, db *sqlstore.DB, id string) market.Deal {
	t.Helper()
	var d *market.Deal
	err := db.View(context.Background(), func(tx market.Tx) (err error) {
		d, err = tx.DealByID(id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return *d
}

// TestDealRoundTripThroughSigning stores a deal at every step to signing,
// with an NDA, an intermediary, a counter-offer and both signatures, and
// reads back exactly what was written each time.
func TestDealRoundTripThroughSigning(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newDealWorld(t, db)
		d := w.open(t)
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateDeal(&d) }); err != nil {
			t.Fatal(err)
		}
		at := t0
		tick := func() time.Time { at = at.Add(time.Minute); return at }
		check := func(want market.Deal) {
			t.Helper()
			if got := loadDeal(t, db, want.ID); !reflect.DeepEqual(got, want) {
				t.Fatalf("deal read back differs\n got %+v\nwant %+v", got, want)
			}
		}
		check(d)
		d = step(t, db, d, w.seller, market.AcceptInquiry{}, tick())
		d = step(t, db, d, w.buyer, market.AcceptNDA{Hash: w.nda.Hash}, tick())
		d = step(t, db, d, w.buyer, market.InviteIntermediary{OrgID: w.broker.OrgID,
			Fee: market.FeeTerms{Basis: market.FeeBasisBPS, BPS: 300, Payer: market.FeePayerSplit}}, tick())
		d = step(t, db, d, w.broker, market.RespondIntermediary{Accept: true}, tick())
		d = step(t, db, d, w.seller, market.AgreeIntermediaryFee{Agree: true}, tick())
		check(d)
		d = step(t, db, d, w.seller, market.ProposeOffer{Terms: storeTerms()}, tick())
		counter := storeTerms()
		counter.Licence.Exclusive = false
		d = step(t, db, d, w.buyer, market.ProposeOffer{Terms: counter}, tick())
		in := market.ContractInput{Subject: w.outcome.Title, Buyer: party(w.buyer.OrgID), Seller: party(w.seller.OrgID)}
		ip := party(w.broker.OrgID)
		in.Intermediary = &ip
		d = step(t, db, d, w.seller, market.AcceptOffer{Number: 2, Contract: in}, tick())
		check(d)
		if !d.Contract.Verify() || !loadDeal(t, db, d.ID).Contract.Verify() {
			t.Fatal("stored contract does not verify")
		}
		d = step(t, db, d, w.buyer, market.SignContract{Hash: d.Contract.Hash}, tick())
		d = step(t, db, d, w.seller, market.SignContract{Hash: d.Contract.Hash}, tick())
		if d.State != market.DealSigned {
			t.Fatalf("state %s", d.State)
		}
		check(d)

		err := db.View(context.Background(), func(tx market.Tx) error {
			ok, err := tx.NDAAcceptedForOutcome(w.outcome.ID, []string{"someone", w.buyer.OrgID})
			if err != nil || !ok {
				t.Errorf("buyer's NDA acceptance not found: %v %v", ok, err)
			}
			ok, err = tx.NDAAcceptedForOutcome(w.outcome.ID, []string{w.broker.OrgID, w.seller.OrgID})
			if err != nil || ok {
				t.Errorf("NDA acceptance found for orgs that never accepted: %v %v", ok, err)
			}
			for _, c := range []struct {
				role string
				org  string
				want int
			}{{"", w.broker.OrgID, 1}, {market.DealRoleIntermediary, w.broker.OrgID, 1},
				{market.DealRoleBuyer, w.broker.OrgID, 0}, {market.DealRoleSeller, w.seller.OrgID, 1}} {
				ds, err := tx.ListDeals(market.DealFilter{OrgIDs: []string{c.org}, Role: c.role})
				if err != nil || len(ds) != c.want {
					t.Errorf("ListDeals(%s as %q) = %d deals, %v; want %d", c.org, c.role, len(ds), err, c.want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestOneOpenDealPerBuyerAndListing checks the partial unique index: a
// second open deal names the first, the transaction stays usable on both
// engines, and a closed deal no longer blocks a new one.
func TestOneOpenDealPerBuyerAndListing(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newDealWorld(t, db)
		first := w.open(t)
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateDeal(&first) }); err != nil {
			t.Fatal(err)
		}
		second := w.open(t)
		var afterRefusal error
		err := update(t, db, func(tx market.Tx) error {
			err := tx.CreateDeal(&second)
			_, afterRefusal = tx.DealByID(first.ID) // the transaction must still work
			return err
		})
		if market.ErrorCode(err) != market.ECONFLICT || !strings.Contains(market.ErrorMessage(err), first.ID) {
			t.Fatalf("second open deal: %v, want conflict naming %s", err, first.ID)
		}
		if afterRefusal != nil {
			t.Fatalf("transaction unusable after the refusal: %v", afterRefusal)
		}
		step(t, db, first, w.buyer, market.CancelDeal{Reason: "换方向"}, t0.Add(time.Hour))
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateDeal(&second) }); err != nil {
			t.Fatalf("new deal after the first was cancelled: %v", err)
		}
	})
}

// TestDealUpdateIsOptimistic has two writers update one deal version at
// once: exactly one wins, the other gets ECONFLICT.
func TestDealUpdateIsOptimistic(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newDealWorld(t, db)
		d := w.open(t)
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateDeal(&d) }); err != nil {
			t.Fatal(err)
		}
		accept, _, _ := market.ApplyDeal(d, w.seller, market.AcceptInquiry{}, t0.Add(time.Minute))
		cancel, _, _ := market.ApplyDeal(d, w.buyer, market.CancelDeal{}, t0.Add(time.Minute))
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, n := range []market.Deal{accept, cancel} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Update(context.Background(), func(tx market.Tx) error { return tx.UpdateDeal(&n) })
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch market.ErrorCode(err) {
			case "":
				won++
			case market.ECONFLICT:
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
		got := loadDeal(t, db, d.ID)
		if won != 1 || got.Version != 2 || (got.State != market.DealNDA && got.State != market.DealCancelled) {
			t.Fatalf("won %d, stored version %d state %s; want exactly one winner", won, got.Version, got.State)
		}
	})
}

func TestIdleDealsMessagesAndNDAs(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newDealWorld(t, db)
		d := w.open(t)
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateDeal(&d) }); err != nil {
			t.Fatal(err)
		}
		v2, err := market.NewNDA(w.seller.OrgID, 2, "保密协议 / NDA v2", t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		err = update(t, db, func(tx market.Tx) error {
			for i, body := range []string{"第一条", "second"} {
				if err := tx.AddDealMessage(&market.DealMessage{ID: market.NewID(), DealID: d.ID, AuthorOrgID: w.buyer.OrgID,
					AuthorRole: market.DealRoleBuyer, AuthorAccountID: "acc-b", Body: body, CreatedAt: t0.Add(time.Duration(i) * time.Second)}); err != nil {
					return err
				}
			}
			return tx.CreateNDA(&v2)
		})
		if err != nil {
			t.Fatal(err)
		}
		dup := w.nda
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateNDA(&dup) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("duplicate NDA version: %v, want conflict", err)
		}
		err = db.View(context.Background(), func(tx market.Tx) error {
			ms, err := tx.DealMessages(d.ID, 10)
			if err != nil || len(ms) != 2 || ms[0].Body != "第一条" || !ms[1].CreatedAt.Equal(t0.Add(time.Second)) {
				t.Errorf("messages = %+v, %v", ms, err)
			}
			cur, err := tx.CurrentNDA(w.seller.OrgID)
			if err != nil || cur.Version != 2 || cur.Hash != market.NDAHash("保密协议 / NDA v2") {
				t.Errorf("current NDA = %+v, %v", cur, err)
			}
			if _, err := tx.CurrentNDA(w.buyer.OrgID); market.ErrorCode(err) != market.ENOTFOUND {
				t.Errorf("NDA of an org without one: %v", err)
			}
			for _, c := range []struct {
				before time.Time
				want   int
			}{{t0, 0}, {t0.Add(time.Second), 1}} {
				ids, err := tx.IdleDealIDs(c.before, 10)
				if err != nil || len(ids) != c.want {
					t.Errorf("IdleDealIDs(%s) = %v, %v; want %d", c.before, ids, err, c.want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestMilestonesStore(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newDealWorld(t, db)
		d := w.open(t)
		c := market.Contract{DealID: d.ID, Terms: storeTerms()}
		ms, err := market.MilestonesForContract(c, t0)
		if err != nil {
			t.Fatal(err)
		}
		err = update(t, db, func(tx market.Tx) error {
			if err := tx.CreateDeal(&d); err != nil {
				return err
			}
			for i := range ms {
				if err := tx.CreateMilestone(&ms[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		dup := ms[0]
		dup.ID = market.NewID()
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateMilestone(&dup) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("duplicate seq: %v, want conflict", err)
		}
		funded, _, err := market.ApplyMilestone(ms[0], market.MilestoneByBuyer,
			market.MilestoneCommand{Action: market.MilestoneFund, Version: 1, Amount: ms[0].Amount}, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if err := update(t, db, func(tx market.Tx) error { return tx.UpdateMilestone(&funded) }); err != nil {
			t.Fatal(err)
		}
		if err := update(t, db, func(tx market.Tx) error { return tx.UpdateMilestone(&funded) }); market.ErrorCode(err) != market.ECONFLICT {
			t.Errorf("replayed milestone update: %v, want conflict", err)
		}
		err = db.View(context.Background(), func(tx market.Tx) error {
			got, err := tx.DealMilestones(d.ID)
			if err != nil {
				return err
			}
			want := []market.Milestone{funded, ms[1]}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("milestones read back\n got %+v\nwant %+v", got, want)
			}
			if _, err := tx.MilestoneByID("nope"); market.ErrorCode(err) != market.ENOTFOUND {
				t.Errorf("missing milestone: %v", err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestNotificationsStore(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		about := market.ObjectRef{Type: "deal", ID: "d1"}
		var sent []bool
		err := update(t, db, func(tx market.Tx) error {
			if err := market.Notify(tx, market.ToAccount("acc-1"), "k", about, "to the account", t0); err != nil {
				return err
			}
			if err := market.Notify(tx, market.ToOrg("org-1"), "k", about, "to the org", t0.Add(time.Second)); err != nil {
				return err
			}
			for i := 0; i < 2; i++ {
				ok, err := market.NotifyOnce(tx, "match:s1:o1", market.ToAccount("acc-1"), "search.match", about, "once", t0.Add(2*time.Second))
				if err != nil {
					return err
				}
				sent = append(sent, ok)
			}
			// the transaction is still usable after the dropped duplicate
			return market.Notify(tx, market.ToAccount("acc-2"), "k", about, "someone else", t0)
		})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(sent, []bool{true, false}) {
			t.Fatalf("NotifyOnce sent %v, want [true false]", sent)
		}
		if err := update(t, db, func(tx market.Tx) error {
			return market.Notify(tx, market.Recipient{}, "k", about, "nobody", t0)
		}); market.ErrorCode(err) != market.EINVALID {
			t.Errorf("notification without recipient: %v", err)
		}
		var all []market.Notification
		err = db.View(context.Background(), func(tx market.Tx) (err error) {
			all, err = tx.ListNotifications(market.NotificationFilter{AccountID: "acc-1", OrgIDs: []string{"org-1"}})
			return err
		})
		if err != nil || len(all) != 3 || all[0].Text != "once" || all[2].Text != "to the account" {
			t.Fatalf("list = %+v, %v", all, err)
		}
		read := t0.Add(time.Hour)
		err = update(t, db, func(tx market.Tx) error {
			if err := tx.MarkNotificationRead(all[1].ID, read); err != nil {
				return err
			}
			if err := tx.MarkNotificationRead(all[1].ID, read.Add(time.Hour)); err != nil { // keeps the first time
				return err
			}
			return tx.MarkNotificationRead("nope", read)
		})
		if market.ErrorCode(err) != market.ENOTFOUND {
			t.Fatalf("mark missing notification: %v", err)
		}
		_ = update(t, db, func(tx market.Tx) error { return tx.MarkNotificationRead(all[1].ID, read) })
		err = db.View(context.Background(), func(tx market.Tx) error {
			unread, err := tx.ListNotifications(market.NotificationFilter{AccountID: "acc-1", OrgIDs: []string{"org-1"}, UnreadOnly: true})
			if err != nil || len(unread) != 2 {
				t.Errorf("unread = %+v, %v", unread, err)
			}
			n, err := tx.NotificationByID(all[1].ID)
			if err != nil || n.ReadAt == nil || !n.ReadAt.Equal(read) || n.OrgID != "org-1" {
				t.Errorf("read notification = %+v, %v", n, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
