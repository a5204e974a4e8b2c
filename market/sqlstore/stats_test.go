package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// statsWorld writes a random market at the store level, each change with
// its events in one transaction, as the services do.
type statsWorld struct {
	t        *testing.T
	db       *sqlstore.DB
	rng      *rand.Rand
	at       time.Time
	sellers  []market.DealActor
	buyers   []market.DealActor
	broker   market.DealActor
	ndas     map[string]market.NDA
	outcomes []*market.Outcome
	deals    []*market.Deal
	plans    map[string]int // deal id → steps to take
	taken    map[string]int // deal id → steps taken
}

var statFields = []string{"energy_storage", "new_materials", "biomedicine"}

func newStatsWorld(t *testing.T, db *sqlstore.DB, seed uint64) *statsWorld {
	base := 300 + 40*int(seed)
	w := &statsWorld{t: t, db: db, rng: rand.New(rand.NewPCG(seed, 7)), at: t0, ndas: map[string]market.NDA{},
		plans: map[string]int{}, taken: map[string]int{}}
	regions := []string{"上海市 / 张江", "北京市 / 海淀区", "310115"}
	for i := range 3 {
		s := market.DealActor{OrgID: listingOrg(t, db, base+i, market.OrgUniversity, regions[i]), AccountID: "acc-s", Role: market.DealRoleSeller, Signatory: true}
		w.sellers = append(w.sellers, s)
		nda, err := market.NewNDA(s.OrgID, 1, "保密协议 / NDA v1", t0)
		if err != nil {
			t.Fatal(err)
		}
		w.ndas[s.OrgID] = nda
		if err := update(t, db, func(tx market.Tx) error { return tx.CreateNDA(&nda) }); err != nil {
			t.Fatal(err)
		}
		w.buyers = append(w.buyers, market.DealActor{OrgID: listingOrg(t, db, base+10+i, market.OrgEnterprise, regions[2-i]), AccountID: "acc-b", Role: market.DealRoleBuyer, Signatory: true})
	}
	w.broker = market.DealActor{OrgID: listingOrg(t, db, base+20, market.OrgIntermediary, "上海"), AccountID: "acc-i", Role: market.DealRoleIntermediary}
	return w
}

func (w *statsWorld) tick() time.Time {
	w.at = w.at.Add(time.Duration(1+w.rng.IntN(12)) * time.Hour)
	return w.at
}

// write runs fn and appends its events in one transaction; a refused
// write (an open deal already exists) writes nothing.
func (w *statsWorld) write(fn func(tx market.Tx) ([]market.Event, error)) bool {
	err := update(w.t, w.db, func(tx market.Tx) error {
		evs, err := fn(tx)
		if err != nil {
			return err
		}
		for i := range evs {
			if err := tx.AppendEvent(&evs[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && market.ErrorCode(err) != market.ECONFLICT {
		w.t.Fatal(err)
	}
	return err == nil
}

func (w *statsWorld) newOutcome() {
	s := w.sellers[w.rng.IntN(len(w.sellers))]
	o := sampleOutcome(s.OrgID, "")
	o.Field = statFields[w.rng.IntN(len(statFields))]
	o.TRL = 1 + w.rng.IntN(9)
	o.Confidentiality = market.ConfidentialityTeaser
	if w.rng.IntN(4) == 0 {
		o.Status = market.ListingDraft
	}
	at := w.tick()
	if w.write(func(tx market.Tx) ([]market.Event, error) {
		return []market.Event{market.NewEvent(market.EventOutcomeCreated, "acc", market.OutcomeObjectType, o.ID, nil, at)}, tx.CreateOutcome(o)
	}) {
		w.outcomes = append(w.outcomes, o)
	}
}

// changeOutcome pauses, resumes, closes or re-fields an outcome.
func (w *statsWorld) changeOutcome() {
	if len(w.outcomes) == 0 {
		return
	}
	o := w.outcomes[w.rng.IntN(len(w.outcomes))]
	at := w.tick()
	roles := market.ListingRoles{Owner: true, Reviewer: true}
	var n market.Outcome
	var ev market.Event
	var err error
	switch w.rng.IntN(4) {
	case 0:
		n, ev, err = market.ApplyOutcome(*o, roles, "acc", market.PauseListing, "", at)
	case 1:
		n, ev, err = market.ApplyOutcome(*o, roles, "acc", market.ResumeListing, "", at)
	case 2:
		n, ev, err = market.ApplyOutcome(*o, roles, "acc", market.CloseListing, "", at)
	default:
		n = *o
		n.Field = statFields[w.rng.IntN(len(statFields))]
		n.Version++
		ev = market.NewEvent(market.EventOutcomeUpdated, "acc", market.OutcomeObjectType, o.ID, nil, at)
	}
	if err != nil {
		return // not allowed from its status
	}
	if w.write(func(tx market.Tx) ([]market.Event, error) { return []market.Event{ev}, tx.UpdateOutcome(&n) }) {
		*o = n
	}
}

func (w *statsWorld) newScenario() {
	b := w.buyers[w.rng.IntN(len(w.buyers))]
	sc := &market.Scenario{ListingMeta: market.ListingMeta{ID: market.NewID(), OrgID: b.OrgID, Status: market.ListingPublished,
		CreatedBy: "acc", CreatedAt: w.at, UpdatedAt: w.at, Version: 1},
		Kind: market.ScenarioDemand, Title: "需求", Description: "d",
		Field: statFields[w.rng.IntN(len(statFields))], MinTRL: w.rng.IntN(5), Budget: market.Money{Negotiable: true}}
	if w.rng.IntN(2) == 0 {
		sc.Region = "北京市"
	}
	at := w.tick()
	w.write(func(tx market.Tx) ([]market.Event, error) {
		return []market.Event{market.NewEvent(market.EventScenarioCreated, "acc", market.ScenarioObjectType, sc.ID, nil, at)}, tx.CreateScenario(sc)
	})
}

func (w *statsWorld) openDeal() {
	var pub []*market.Outcome
	for _, o := range w.outcomes {
		if o.Status == market.ListingPublished {
			pub = append(pub, o)
		}
	}
	if len(pub) == 0 {
		return
	}
	o := pub[w.rng.IntN(len(pub))]
	nda := w.ndas[o.OrgID]
	buyer := w.buyers[w.rng.IntN(len(w.buyers))]
	d, evs, err := market.OpenOutcomeDeal(market.OutcomeInquiry{OutcomeID: o.ID, SellerOrgID: o.OrgID,
		Published: true, Confidential: true, NDA: &nda, BuyerKind: market.OrgEnterprise, Message: "询价"}, buyer, w.tick())
	if err != nil {
		w.t.Fatal(err)
	}
	if w.write(func(tx market.Tx) ([]market.Event, error) { return evs, tx.CreateDeal(&d) }) {
		w.deals = append(w.deals, &d)
		plan := w.rng.IntN(14) // 10: declined; 9 and 11-13: signed
		if plan > 10 {
			plan = 9
		}
		w.plans[d.ID] = plan
	}
}

// advanceDeal takes a deal's next step of: accept, accept the NDA,
// invite the broker, broker accepts, seller agrees the fee, offer, accept
// the offer, sign, sign; a plan of 10 declines instead, one of 0 is left.
func (w *statsWorld) advanceDeal() {
	if len(w.deals) == 0 {
		return
	}
	var open []*market.Deal
	for _, d := range w.deals {
		if p := w.plans[d.ID]; w.taken[d.ID] < p && p < 10 || p == 10 && w.taken[d.ID] == 0 {
			open = append(open, d)
		}
	}
	if len(open) == 0 {
		return
	}
	d := open[w.rng.IntN(len(open))]
	plan, done := w.plans[d.ID], w.taken[d.ID]
	seller := market.DealActor{OrgID: d.SellerOrgID, AccountID: "acc-s", Role: market.DealRoleSeller, Signatory: true}
	buyer := market.DealActor{OrgID: d.BuyerOrgID, AccountID: "acc-b", Role: market.DealRoleBuyer, Signatory: true}
	var actor market.DealActor
	var act market.DealAction
	switch {
	case plan == 10 && done == 0:
		actor, act = seller, market.DeclineInquiry{Reason: "no"}
	case plan == 10 || done >= plan:
		return
	default:
		switch done {
		case 0:
			actor, act = seller, market.AcceptInquiry{}
		case 1:
			actor, act = buyer, market.AcceptNDA{Hash: d.NDA.Hash}
		case 2:
			actor, act = buyer, market.InviteIntermediary{OrgID: w.broker.OrgID, Fee: market.FeeTerms{Basis: market.FeeBasisBPS, BPS: 300, Payer: market.FeePayerSplit}}
		case 3:
			actor, act = w.broker, market.RespondIntermediary{Accept: true}
		case 4:
			actor, act = seller, market.AgreeIntermediaryFee{Agree: true}
		case 5:
			terms := storeTerms()
			for i := range terms.Milestones {
				terms.Milestones[i].Due = terms.Milestones[i].Due.AddDate(3, 0, 0)
			}
			actor, act = seller, market.ProposeOffer{Terms: terms}
		case 6:
			in := market.ContractInput{Subject: "成果", Buyer: party(d.BuyerOrgID), Seller: party(d.SellerOrgID)}
			ip := party(w.broker.OrgID)
			in.Intermediary = &ip
			actor, act = buyer, market.AcceptOffer{Number: 1, Contract: in}
		case 7:
			actor, act = buyer, market.SignContract{Hash: d.Contract.Hash}
		case 8:
			actor, act = seller, market.SignContract{Hash: d.Contract.Hash}
		default:
			return
		}
	}
	n, evs, err := market.ApplyDeal(*d, actor, act, w.tick())
	if err != nil {
		w.t.Fatalf("deal step %d (%s): %v", done, act.Name(), err)
	}
	if w.write(func(tx market.Tx) ([]market.Event, error) { return evs, tx.UpdateDeal(&n) }) {
		*d = n
		w.taken[d.ID]++
	}
}

// register appends the registry's event for a signed deal (sometimes
// twice: a registration is counted once).
func (w *statsWorld) register() {
	for _, d := range w.deals {
		if d.State != market.DealSigned || w.rng.IntN(2) == 0 {
			continue
		}
		p := market.StatsContractRegistered{ContractType: d.Contract.Terms.ContractType, SubType: "ordinary",
			TechField: statFields[w.rng.IntN(len(statFields))], IPType: "invention_patent", SocioEconomicGoal: "industry",
			BuyerRegion: "110108", SellerRegion: []string{"310115", "110108"}[w.rng.IntN(2)], BuyerKind: market.OrgEnterprise,
			SellerKind: market.OrgUniversity, Currency: "CNY", TotalAmount: d.Contract.Terms.Price,
			TechnicalIncome: d.Contract.Terms.Price - d.Contract.Terms.NonTechnicalAmount, RegistrationNumber: "3101152026000001",
			RegisteredOn: w.at.Format(time.DateOnly), SignedOn: d.SignedAt.Format(time.DateOnly)}
		at := w.tick()
		w.write(func(tx market.Tx) ([]market.Event, error) {
			return []market.Event{market.NewEvent(market.EventContractRegistered, "registrar", market.DealObjectType, d.ID, p, at)}, nil
		})
		return
	}
}

// crashStore applies a step in a transaction that then fails, as if the
// process died before COMMIT: nothing of it may remain.
type crashStore struct{ *sqlstore.DB }

var errCrash = errors.New("crash before commit")

func (c crashStore) Update(ctx context.Context, fn func(market.Tx) error) error {
	return c.DB.Update(ctx, func(tx market.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errCrash
	})
}

// TestStatsRollupsEqualARecount: after a random sequence of listing,
// deal and registration events, with the consumer run at random points,
// crashing before its commit, and run twice at once, every rollup equals
// a recount from the raw tables, on both engines.
func TestStatsRollupsEqualARecount(t *testing.T) {
	sqltest.Engines(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		for seed := uint64(1); seed <= 3; seed++ {
			w := newStatsWorld(t, db, seed)
			consumer := &market.StatsConsumer{Store: db, Batch: 1 + w.rng.IntN(7)}
			for range 400 {
				switch r := w.rng.IntN(100); {
				case r < 15:
					w.newOutcome()
				case r < 25:
					w.changeOutcome()
				case r < 32:
					w.newScenario()
				case r < 45:
					w.openDeal()
				case r < 85:
					w.advanceDeal()
				case r < 90:
					w.register()
				case r < 94:
					if _, err := consumer.Step(ctx); err != nil {
						t.Fatal(err)
					}
				case r < 97: // a crash between the domain's commit and the rollup's
					if _, err := (&market.StatsConsumer{Store: crashStore{db}, Batch: 5}).Step(ctx); !errors.Is(err, errCrash) {
						t.Fatalf("crashing step: %v", err)
					}
				default: // two instances over the same batch: one counts it
					var wg sync.WaitGroup
					for range 2 {
						wg.Go(func() {
							_, err := (&market.StatsConsumer{Store: db, Batch: 4}).Step(ctx)
							if err != nil && market.ErrorCode(err) != market.ECONFLICT {
								t.Error(err)
							}
						})
					}
					wg.Wait()
				}
			}
			if _, err := consumer.CatchUp(ctx); err != nil {
				t.Fatal(err)
			}
			checkRecount(t, db)
		}
	})
}

// checkRecount compares the rollups with counts from the raw tables.
func checkRecount(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	end := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	rolled := func(metric, dim, field, region string) map[string]int64 {
		t.Helper()
		var out [2]map[string]int64
		for i, total := range []bool{false, true} { // the daily rows, and the totals kept beside them
			out[i] = map[string]int64{}
			err := db.Read(ctx, func(tx market.Tx) error {
				rows, err := tx.StatsSum(market.StatQuery{Metric: metric, Dim: dim, Field: field, Region: region, To: end, Total: total})
				for _, r := range rows {
					if r.N != 0 {
						out[i][r.Bucket] = r.N
					}
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if !reflect.DeepEqual(out[0], out[1]) {
			t.Errorf("%s by %s in %s/%s: daily rows sum to %v, totals %v", metric, dim, field, region, out[0], out[1])
		}
		return out[0]
	}
	counted := func(query string) map[string]int64 {
		out, err := db.CountQuery(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	same := func(what string, got, want map[string]int64) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: rollup %v, recount %v", what, got, want)
		}
	}
	same("supply by field", rolled(market.StatSupply, "field", "*", "*"),
		counted(`SELECT field, COUNT(*) FROM outcomes WHERE status = 'published' GROUP BY field`))
	same("supply by trl", rolled(market.StatSupply, "trl", "*", "*"),
		counted(`SELECT CAST(trl AS TEXT), COUNT(*) FROM outcomes WHERE status = 'published' GROUP BY trl`))
	regions := map[string]int64{}
	for region, n := range counted(`SELECT g.region, COUNT(*) FROM outcomes o JOIN organizations g ON g.id = o.org_id WHERE o.status = 'published' GROUP BY g.region`) {
		regions[market.StatRegion(region)] += n
	}
	same("supply by region", rolled(market.StatSupply, "region", "*", "*"), regions)
	for _, f := range statFields {
		same("supply in "+f+" by trl", rolled(market.StatSupply, "trl", f, "*"),
			counted(`SELECT CAST(trl AS TEXT), COUNT(*) FROM outcomes WHERE status = 'published' AND field = '`+f+`' GROUP BY trl`))
	}
	same("demand by field", rolled(market.StatDemand, "field", "*", "*"),
		counted(`SELECT field, COUNT(*) FROM scenarios WHERE status = 'published' GROUP BY field`))
	same("deals by state", rolled(market.StatDealState, "state", "*", "*"),
		counted(`SELECT state, COUNT(*) FROM deals GROUP BY state`))

	// stages reached, from the deals as stored
	stages := map[string]int64{}
	broker := map[string]int64{}
	var deals []market.Deal
	if err := db.Read(ctx, func(tx market.Tx) (err error) {
		for after := ""; ; {
			page, err := tx.ListDeals(market.DealFilter{After: after, Limit: 100})
			if err != nil || len(page) == 0 {
				return err
			}
			deals = append(deals, page...)
			after = page[len(page)-1].ID
		}
	}); err != nil {
		t.Fatal(err)
	}
	for _, d := range deals {
		stages[market.StageInquiry]++
		if d.State != market.DealInquiry && d.State != market.DealDeclined {
			stages[market.StageAccepted]++
		}
		if d.NDAAcceptance != nil {
			stages[market.StageNDA]++
		}
		if len(d.Offers) > 0 {
			stages[market.StageOffer]++
		}
		if d.Contract != nil {
			stages[market.StageDrafted]++
		}
		if !d.SignedAt.IsZero() {
			stages[market.StageSigned]++
			if d.Intermediary != nil {
				broker[d.Intermediary.OrgID]++
			}
		}
	}
	same("deals by stage reached", rolled(market.StatDealStage, "stage", "*", "*"), stages)
	same("brokers' signed deals", rolled(market.StatBroker, "signed", "*", "*"), broker)
	var funnel map[string]int64
	db.Read(ctx, func(tx market.Tx) (err error) {
		funnel, err = tx.StatsFunnel(market.ScopeAll, "", time.Time{}, end)
		return err
	})
	for _, st := range []string{market.StageInquiry, market.StageNDA, market.StageOffer, market.StageSigned} {
		if funnel[st] != stages[st] {
			t.Errorf("market funnel %s = %d, recount %d", st, funnel[st], stages[st])
		}
	}

	// registered contracts, from the registry's events (each deal once)
	types, amounts, income := map[string]int64{}, map[string]int64{}, int64(0)
	seen := map[string]bool{}
	if err := db.Read(ctx, func(tx market.Tx) error {
		evs, err := tx.EventsAfter(0, 1<<30)
		for _, e := range evs {
			if e.Type != market.EventContractRegistered || seen[e.ObjectID] {
				continue
			}
			seen[e.ObjectID] = true
			var p market.StatsContractRegistered
			if err := json.Unmarshal(e.Payload, &p); err != nil {
				return err
			}
			types[p.ContractType]++
			amounts[p.TechField] += p.TotalAmount
			income += p.TechnicalIncome
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	same("contracts by type", rolled(market.StatContract, "type", "*", "*"), types)
	var gotAmounts = map[string]int64{}
	var gotIncome int64
	db.Read(ctx, func(tx market.Tx) error {
		rows, err := tx.StatsSum(market.StatQuery{Metric: market.StatContract, Dim: "field", Field: "*", Region: "*", To: end})
		for _, r := range rows {
			gotAmounts[r.Bucket] = r.Amount
			gotIncome += r.Income
		}
		return err
	})
	same("成交额 by field", gotAmounts, amounts)
	if gotIncome != income {
		t.Errorf("技术交易额 %d, recount %d", gotIncome, income)
	}
	if t.Failed() {
		keys := make([]string, 0, len(stages))
		for k := range stages {
			keys = append(keys, k+"="+strconv.FormatInt(stages[k], 10))
		}
		sort.Strings(keys)
		t.Log(fmt.Sprint(keys))
	}
	t.Logf("recounted %d deals, %d signed, %d registered", len(deals), stages[market.StageSigned], len(seen))
}
