package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"techbridge/api"
	"techbridge/api/auth"
	"techbridge/api/kv"
	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/web"
)

// bench stats seeds a throwaway SQLite instance with listings, scenarios,
// deals at every stage and registered contracts (all through the event
// log, as the services write them), runs the statistics consumer, and
// measures every dashboard at 1k listings and again at N: the public
// market page, each role's home dashboard, the commission's page and the
// statistics API. The goal is p99 ≤ 50 ms, the same at N as at 1k.

func runBenchStats(ctx context.Context, args []string, stdout io.Writer) error {
	fset := flag.NewFlagSet("bench stats", flag.ContinueOnError)
	n := fset.Int("n", 100000, "listings to seed (outcomes; scenarios are a twentieth more)")
	deals := fset.Int("deals", 20000, "deals to seed at N")
	requests := fset.Int("requests", 200, "timed requests per dashboard and size")
	seed := fset.Uint64("seed", 1, "random seed")
	if err := parse(fset, args, stdout); err != nil {
		return err
	}
	small := min(1000, *n)
	b, err := newStatsBench(ctx, *seed)
	if err != nil {
		return err
	}
	defer b.close()
	fmt.Fprintf(stdout, "bench stats: N=%d listings, %d deals at N (scaled at 1k), SQLite in %s\n", *n, *deals, b.dir)
	var rows [2][]statsTiming
	for i, size := range []int{small, *n} {
		start := time.Now()
		if err := b.grow(ctx, size, *deals*size / *n); err != nil {
			return err
		}
		seeded := time.Since(start)
		start = time.Now()
		events, err := (&market.StatsConsumer{Store: b.db, Batch: 500}).CatchUp(ctx)
		if err != nil {
			return err
		}
		took := time.Since(start)
		var rollup int64
		b.db.Read(ctx, func(tx market.Tx) error {
			rows, err := tx.StatsSum(market.StatQuery{Metric: market.StatSupply, Dim: "field", Field: market.StatAll, Region: market.StatAll, To: time.Now().AddDate(0, 0, 1)})
			for _, r := range rows {
				rollup += r.N
			}
			return err
		})
		fmt.Fprintf(stdout, "size %d: seeded in %s; consumer applied %d events in %s (%.0f events/s); published outcomes by the rollup: %d\n",
			size, seeded.Round(time.Millisecond), events, took.Round(time.Millisecond), float64(events)/took.Seconds(), rollup)
		if rows[i], err = b.measure(*requests); err != nil {
			return err
		}
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "dashboard\tp50 / p99 ms at %d\tp50 / p99 ms at %d\tp99 ratio\tgoal p99 ≤ 50 ms\n", small, *n)
	for i, r := range rows[1] {
		ok := "met"
		if r.lat.p99 > 50*time.Millisecond {
			ok = "NOT met"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%s\n", r.name, rows[0][i].lat, r.lat, ratio(r.lat.p99, rows[0][i].lat.p99), ok)
	}
	return tw.Flush()
}

type statsTiming struct {
	name string
	lat  latency
}

// statsBench is one throwaway instance and its actors.
type statsBench struct {
	dir     string
	db      *sqlstore.DB
	svc     *market.Service
	rng     *rand.Rand
	gen     *searchBench // the synthetic listing generator of bench search
	closers []func()
	base    string
	client  *http.Client

	admin, seller, reviewer, broker market.Actor
	buyers                          []market.Actor
	sellerOrg, brokerOrg            string
	sessions                        map[string]string // role → web session secret
	tokens                          map[string]string // role → API access token
	outcomes, dealsMade             int
	now                             time.Time
}

func newStatsBench(ctx context.Context, seed uint64) (_ *statsBench, err error) {
	dir, err := os.MkdirTemp("", "techbridge-bench-stats-")
	if err != nil {
		return nil, err
	}
	b := &statsBench{dir: dir, rng: rand.New(rand.NewPCG(seed, 0x57a75)), sessions: map[string]string{}, tokens: map[string]string{}, now: time.Now().UTC()}
	b.gen = &searchBench{rng: b.rng}
	b.closers = append(b.closers, func() { os.RemoveAll(dir) })
	defer func() {
		if err != nil {
			b.close()
		}
	}()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if b.db, err = (&config{DataDir: dir}).openStore(ctx); err != nil {
		return nil, err
	}
	b.closers = append(b.closers, func() { b.db.Close() })
	b.svc = market.NewService(b.db)
	b.svc.Log = log
	const pw = "bench password 1"
	adm, err := b.svc.CreateAdmin(ctx, market.NewAccount{Email: "admin@stats.bench.test", Password: pw, DisplayName: "A"}, market.RoleAdmin)
	if err != nil {
		return nil, err
	}
	if b.admin, err = b.svc.ActorFor(ctx, adm.ID); err != nil {
		return nil, err
	}
	rev, err := b.svc.CreateAdmin(ctx, market.NewAccount{Email: "reviewer@stats.bench.test", Password: pw, DisplayName: "R"}, market.RoleReviewer)
	if err != nil {
		return nil, err
	}
	if b.reviewer, err = b.svc.ActorFor(ctx, rev.ID); err != nil {
		return nil, err
	}
	member := func(i int, kind, region string) (market.Actor, string, error) {
		acc, err := b.svc.RegisterVerified(ctx, market.NewAccount{Email: fmt.Sprintf("m%d@stats.bench.test", i), Password: pw, DisplayName: "M"})
		if err != nil {
			return market.Actor{}, "", err
		}
		a, err := b.svc.ActorFor(ctx, acc.ID)
		if err != nil {
			return a, "", err
		}
		body := fmt.Sprintf("12310000MB0B%05d", i)
		o, err := b.svc.CreateOrganization(ctx, a, market.NewOrganization{Kind: kind, NameZH: kind + strconv.Itoa(i), NameEN: kind + " " + strconv.Itoa(i),
			Region: region, CreditCode: body + string(market.CreditCodeCheckChar(body))})
		if err != nil {
			return a, "", err
		}
		if _, err := b.svc.VerifyOrganization(ctx, b.admin, o.ID, market.VerificationVerified, "bench"); err != nil {
			return a, "", err
		}
		// Signing needs the registration profile of both parties (issue 16).
		if _, err := b.svc.UpdateOrgProfile(ctx, b.admin, o.ID, 0, market.OrgProfile{Address: "上海市 bench 路 1 号",
			LegalRepresentative: "张三", ContactPerson: "李四", ContactPhone: "021-12345678", RegionCode: "310112", Country: "CN"}); err != nil {
			return a, "", err
		}
		a, err = b.svc.ActorFor(ctx, acc.ID)
		return a, o.ID, err
	}
	if b.seller, b.sellerOrg, err = member(1, market.OrgUniversity, "上海市 / 闵行区"); err != nil {
		return nil, err
	}
	if b.broker, b.brokerOrg, err = member(2, market.OrgIntermediary, "上海市 / 徐汇区"); err != nil {
		return nil, err
	}
	for i, region := range []string{"北京市 / 海淀区", "广东省 / 深圳市", "江苏省 / 苏州市", "上海市 / 浦东新区", "浙江省 / 杭州市"} {
		a, _, err := member(10+i, market.OrgEnterprise, region)
		if err != nil {
			return nil, err
		}
		b.buyers = append(b.buyers, a)
	}

	store := kv.NewMemory()
	lifted := 1 << 30
	apiSrv, err := api.New(api.Config{RateLimit: lifted, Rates: api.RateLimits{Match: lifted, Pages: lifted, PagesSession: lifted, Readyz: lifted}},
		b.svc, &auth.Tokens{Key: auth.GenerateKey(), KV: store}, store, log)
	if err != nil {
		return nil, err
	}
	webSrv, err := web.New(web.Config{Service: b.svc, Log: log, ClientIP: apiSrv.ClientIP})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", apiSrv)
	mux.Handle("/", apiSrv.Pages(webSrv, web.SessionCookie, webSrv.Pattern))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	b.closers = append(b.closers, func() { srv.Close() })
	b.base = "http://" + ln.Addr().String()
	b.client = &http.Client{Timeout: 30 * time.Second}

	for role, a := range map[string]market.Actor{"seller": b.seller, "broker": b.broker, "buyer": b.buyers[0], "admin": b.admin, "reviewer": b.reviewer} {
		if b.sessions[role], err = b.svc.StartWebSession(ctx, a.AccountID); err != nil {
			return nil, err
		}
	}
	for role, email := range map[string]string{"seller": "m1@stats.bench.test", "admin": "admin@stats.bench.test"} {
		body, _ := json.Marshal(map[string]string{"email": email, "password": pw})
		res, err := b.client.Post(b.base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		err = json.NewDecoder(res.Body).Decode(&tok)
		res.Body.Close()
		if err != nil || tok.AccessToken == "" {
			return nil, fmt.Errorf("bench login %s: status %d %v", role, res.StatusCode, err)
		}
		b.tokens[role] = tok.AccessToken
	}
	return b, nil
}

func (b *statsBench) close() {
	for i := len(b.closers) - 1; i >= 0; i-- {
		b.closers[i]()
	}
}

var benchStatFields = []string{"new_energy", "energy_storage", "new_materials", "biomedicine", "electronic_information", "advanced_manufacturing", "modern_agriculture", "environment"}

// grow brings the market to `listings` outcomes (a twentieth more
// scenarios) and `deals` deals: the deals' outcomes are written with
// them, the rest imported.
func (b *statsBench) grow(ctx context.Context, listings, deals int) error {
	imported := listings - deals - (b.outcomes - b.dealsMade)
	if imported > 0 {
		pr, pw := io.Pipe()
		go func() {
			enc := json.NewEncoder(pw)
			for i := range imported {
				if err := enc.Encode(b.gen.listing(b.outcomes + i)); err != nil {
					pw.CloseWithError(err)
					return
				}
			}
			pw.Close()
		}()
		rep, err := b.svc.ImportOutcomes(ctx, market.SystemActor, b.sellerOrg, pr, market.ImportJSONL, market.ImportOptions{Publish: true})
		pr.Close()
		if err != nil {
			return err
		}
		if rep.Failed > 0 {
			return fmt.Errorf("bench import: %d failed", rep.Failed)
		}
		b.outcomes += imported
	}
	scenarios := listings / 20
	for done := b.outcomes / 20; done < scenarios; done += 500 {
		if err := b.db.Update(ctx, func(tx market.Tx) error {
			for range min(500, scenarios-done) {
				if err := b.scenario(tx); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	for b.dealsMade < deals {
		batch := min(200, deals-b.dealsMade)
		if err := b.db.Update(ctx, func(tx market.Tx) error {
			for range batch {
				if err := b.deal(tx); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		b.dealsMade += batch
		b.outcomes += batch
	}
	return nil
}

// past is a random moment of the last year.
func (b *statsBench) past() time.Time {
	return b.now.Add(-time.Duration(b.rng.Int64N(int64(364 * 24 * time.Hour))))
}

func (b *statsBench) scenario(tx market.Tx) error {
	at := b.past()
	kind := market.ScenarioDemand
	if b.rng.IntN(5) == 0 {
		kind = market.ScenarioChallenge
	}
	buyer := b.buyers[b.rng.IntN(len(b.buyers))]
	dl := at.AddDate(1, 0, 0).Truncate(24 * time.Hour)
	sc := &market.Scenario{ListingMeta: market.ListingMeta{ID: market.NewID(), OrgID: buyer.Memberships[0].OrgID, Status: market.ListingPublished,
		CreatedBy: buyer.AccountID, CreatedAt: at, UpdatedAt: at, PublishedAt: &at, Version: 1},
		Kind: kind, Title: "需求 " + strconv.Itoa(b.rng.IntN(1e6)), Description: "bench", Field: benchStatFields[b.rng.IntN(len(benchStatFields))],
		MinTRL: b.rng.IntN(10), Budget: market.Money{Negotiable: true}, Deadline: &dl}
	if kind == market.ScenarioChallenge {
		sc.Budget, sc.Bounty, sc.Criteria = market.Money{Currency: "CNY", Min: 100_000_00, Max: 100_000_00}, 100_000_00, "bench"
	}
	if err := tx.CreateScenario(sc); err != nil {
		return err
	}
	e := market.NewEvent(market.EventScenarioCreated, buyer.AccountID, market.ScenarioObjectType, sc.ID, nil, at)
	return tx.AppendEvent(&e)
}

// deal writes a published outcome and a deal on it taken to a random
// stage, each step with its events; a third of the signed ones are
// registered (the registry's event).
func (b *statsBench) deal(tx market.Tx) error {
	at := b.past()
	trl := 1 + b.rng.IntN(9)
	pub := at
	o := &market.Outcome{ListingMeta: market.ListingMeta{ID: market.NewID(), OrgID: b.sellerOrg, Status: market.ListingPublished,
		CreatedBy: b.seller.AccountID, CreatedAt: at, UpdatedAt: at, PublishedAt: &pub, Version: 1},
		Title: "成果 " + strconv.Itoa(b.rng.IntN(1e6)), Summary: "bench",
		Field: benchStatFields[b.rng.IntN(len(benchStatFields))], TRL: trl, IPType: market.IPInventionPatent,
		TransferModes: []string{market.TransferAssignment}, Price: market.Money{Min: 100_000_00, Max: 500_000_00, Currency: "CNY"},
		Confidentiality: market.ConfidentialityPublic, FreshUntil: at.AddDate(1, 0, 0).Truncate(24 * time.Hour)}
	if err := tx.CreateOutcome(o); err != nil {
		return err
	}
	evs := []market.Event{market.NewEvent(market.EventOutcomeCreated, b.seller.AccountID, market.OutcomeObjectType, o.ID, nil, at)}
	buyerActor := b.buyers[b.rng.IntN(len(b.buyers))]
	buyer := market.DealActor{OrgID: buyerActor.Memberships[0].OrgID, AccountID: buyerActor.AccountID, Role: market.DealRoleBuyer, Signatory: true}
	seller := market.DealActor{OrgID: b.sellerOrg, AccountID: b.seller.AccountID, Role: market.DealRoleSeller, Signatory: true}
	broker := market.DealActor{OrgID: b.brokerOrg, AccountID: b.broker.AccountID, Role: market.DealRoleIntermediary}
	d, opened, err := market.OpenOutcomeDeal(market.OutcomeInquiry{OutcomeID: o.ID, SellerOrgID: b.sellerOrg, Published: true,
		BuyerKind: market.OrgEnterprise, Message: "询价"}, buyer, at)
	if err != nil {
		return err
	}
	if err := tx.CreateDeal(&d); err != nil {
		return err
	}
	evs = append(evs, opened...)
	party := func(org string) market.ContractParty {
		return market.ContractParty{OrgID: org, NameZH: "机构", CreditCode: "X", Region: "上海"}
	}
	withBroker := b.rng.IntN(3) == 0
	var steps []func() (market.DealActor, market.DealAction)
	switch depth := b.rng.IntN(10); {
	case depth == 0:
		steps = append(steps, func() (market.DealActor, market.DealAction) { return seller, market.DeclineInquiry{Reason: "no"} })
	case depth >= 1:
		steps = append(steps, func() (market.DealActor, market.DealAction) { return seller, market.AcceptInquiry{} })
		if withBroker {
			steps = append(steps,
				func() (market.DealActor, market.DealAction) {
					return buyer, market.InviteIntermediary{OrgID: b.brokerOrg, Fee: market.FeeTerms{Basis: market.FeeBasisBPS, BPS: 300, Payer: market.FeePayerSplit}}
				},
				func() (market.DealActor, market.DealAction) { return broker, market.RespondIntermediary{Accept: true} },
				func() (market.DealActor, market.DealAction) { return seller, market.AgreeIntermediaryFee{Agree: true} })
		}
		if depth >= 3 {
			due := at.AddDate(1, 0, 0).Truncate(24 * time.Hour)
			terms := market.OfferTerms{ContractType: market.ContractLicence, Price: int64(1+b.rng.IntN(50)) * 100_000_00, Currency: "CNY",
				Licence:    &market.LicenceScope{Territory: "中国大陆", FieldOfUse: "bench", TermMonths: 24},
				Milestones: []market.MilestoneTerms{{Title: "交付", Deliverable: "工艺包", Due: due}},
				Registration: &market.RegistrationTerms{SubType: "sole", TechField: "new_energy", IPType: market.IPInventionPatent,
					PatentNumbers: []string{"CN114081026A"}, ValidFrom: due.AddDate(-1, 0, 0), ValidUntil: due.AddDate(2, 0, 0),
					SigningPlace: "上海", SocioEconomicGoal: "energy"}}
			terms.Milestones[0].Amount = terms.Price
			steps = append(steps, func() (market.DealActor, market.DealAction) { return seller, market.ProposeOffer{Terms: terms} })
		}
		if depth >= 5 {
			steps = append(steps, func() (market.DealActor, market.DealAction) {
				in := market.ContractInput{Subject: o.Title, Buyer: party(buyer.OrgID), Seller: party(b.sellerOrg)}
				if withBroker {
					ip := party(b.brokerOrg)
					in.Intermediary = &ip
				}
				return buyer, market.AcceptOffer{Number: 1, Contract: in}
			})
		}
		if depth >= 6 {
			steps = append(steps,
				func() (market.DealActor, market.DealAction) { return buyer, market.SignContract{Hash: d.Contract.Hash} },
				func() (market.DealActor, market.DealAction) {
					return seller, market.SignContract{Hash: d.Contract.Hash}
				})
		}
	}
	for _, step := range steps {
		at = at.Add(time.Duration(1+b.rng.IntN(72)) * time.Hour)
		if at.After(b.now) {
			at = b.now
		}
		a, act := step()
		n, more, err := market.ApplyDeal(d, a, act, at)
		if err != nil {
			return fmt.Errorf("bench deal %s: %w", act.Name(), err)
		}
		if err := tx.UpdateDeal(&n); err != nil {
			return err
		}
		d = n
		evs = append(evs, more...)
	}
	if d.State == market.DealSigned && b.rng.IntN(3) > 0 {
		regions := []string{"310112", "110108", "440305", "320505", "330106"}
		kinds := []string{market.OrgEnterprise, market.OrgUniversity, market.OrgInstitute}
		evs = append(evs, market.NewEvent(market.EventContractRegistered, b.admin.AccountID, market.DealObjectType, d.ID,
			market.StatsContractRegistered{ContractType: []string{"development", "transfer", "licence", "consulting", "service"}[b.rng.IntN(5)],
				SubType: "bench", TechField: o.Field, IPType: market.IPInventionPatent, SocioEconomicGoal: "industry",
				BuyerRegion: regions[b.rng.IntN(5)], SellerRegion: regions[b.rng.IntN(5)], BuyerKind: kinds[b.rng.IntN(3)], SellerKind: market.OrgUniversity,
				Currency: "CNY", TotalAmount: d.Contract.Terms.Price, TechnicalIncome: d.Contract.Terms.Price * 9 / 10,
				RegistrationNumber: "3101122026" + fmt.Sprintf("%06d", b.rng.IntN(1e6)), RegisteredOn: at.Format(time.DateOnly), SignedOn: d.SignedAt.Format(time.DateOnly)}, at))
	}
	for i := range evs {
		if err := tx.AppendEvent(&evs[i]); err != nil {
			return err
		}
	}
	return nil
}

// measure times each dashboard: a few warm-up requests, then the timed ones.
func (b *statsBench) measure(requests int) ([]statsTiming, error) {
	field := url.Values{"field": {"new_energy"}, "region": {"上海市"}}.Encode()
	targets := []struct{ name, path, session, token string }{
		{"public market page", "/market", "", ""},
		{"home: seller (university)", "/dashboard", b.sessions["seller"], ""},
		{"home: buyer (enterprise)", "/dashboard", b.sessions["buyer"], ""},
		{"home: broker", "/dashboard", b.sessions["broker"], ""},
		{"home: reviewer", "/dashboard", b.sessions["reviewer"], ""},
		{"home: commission (admin)", "/dashboard", b.sessions["admin"], ""},
		{"commission statistics page", "/commission/statistics", b.sessions["admin"], ""},
		{"commission page, field+region", "/commission/statistics?" + field, b.sessions["admin"], ""},
		{"API stats/market", "/api/v1/stats/market", "", ""},
		{"API stats/tables (commission)", "/api/v1/stats/tables/contracts_field?" + field, "", b.tokens["admin"]},
		{"API stats/funnel (org)", "/api/v1/stats/funnel?scope=org&id=" + b.sellerOrg, "", b.tokens["seller"]},
	}
	var out []statsTiming
	for _, t := range targets {
		var d []time.Duration
		for i := range requests + 10 {
			req, _ := http.NewRequest(http.MethodGet, b.base+t.path, nil)
			if t.session != "" {
				req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: t.session})
			}
			if t.token != "" {
				req.Header.Set("Authorization", "Bearer "+t.token)
			}
			start := time.Now()
			res, err := b.client.Do(req)
			if err != nil {
				return nil, err
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			took := time.Since(start)
			if err != nil {
				return nil, err
			}
			if res.StatusCode != http.StatusOK {
				return nil, fmt.Errorf("%s: GET %s: %d %s", t.name, t.path, res.StatusCode, strings.TrimSpace(string(body[:min(300, len(body))])))
			}
			if i >= 10 {
				d = append(d, took)
			}
		}
		out = append(out, statsTiming{t.name, summarize(d)})
	}
	return out, nil
}
