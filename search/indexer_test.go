package search_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"

	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/search"
	"techbridge/search/bleve"
)

// market is a real market over a fresh store: a university that lists
// outcomes, an enterprise that posts scenarios, their owners and an admin
// who reviews.
type marketFixture struct {
	t          *testing.T
	db         *sqlstore.DB
	svc        *market.Service
	uni, ent   *market.Organization
	uniOwner   market.Actor
	entOwner   market.Actor
	admin      market.Actor
	creditSeed int
}

func newMarket(t *testing.T, db *sqlstore.DB) *marketFixture {
	t.Helper()
	ctx := context.Background()
	svc := market.NewService(db)
	svc.Log = quietLog()
	m := &marketFixture{t: t, db: db, svc: svc}
	adm, err := svc.CreateAdmin(ctx, market.NewAccount{Email: "admin@x.cn", Password: "correct horse battery", DisplayName: "A"}, market.RoleAdmin)
	m.must(err)
	m.admin = m.actor(adm.ID)
	m.uni, m.uniOwner = m.org("uni@x.cn", market.NewOrganization{Kind: market.OrgUniversity, NameZH: "沪江理工大学", NameEN: "Hujiang Tech", Region: "上海市 / 杨浦区"})
	m.ent, m.entOwner = m.org("ent@x.cn", market.NewOrganization{Kind: market.OrgEnterprise, NameZH: "新擎电池", NameEN: "NewCore", Region: "江苏省 / 苏州"})
	return m
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func (m *marketFixture) must(err error) {
	m.t.Helper()
	if err != nil {
		m.t.Fatal(err)
	}
}

func (m *marketFixture) actor(id string) market.Actor {
	m.t.Helper()
	a, err := m.svc.ActorFor(context.Background(), id)
	m.must(err)
	return a
}

func (m *marketFixture) org(email string, in market.NewOrganization) (*market.Organization, market.Actor) {
	m.t.Helper()
	ctx := context.Background()
	acc, err := m.svc.Register(ctx, market.NewAccount{Email: email, Password: "correct horse battery", DisplayName: email})
	m.must(err)
	m.creditSeed++
	in.CreditCode = sqltest.ValidCreditCode(m.creditSeed)
	o, err := m.svc.CreateOrganization(ctx, m.actor(acc.ID), in)
	m.must(err)
	_, err = m.svc.VerifyOrganization(ctx, m.admin, o.ID, market.VerificationVerified, "")
	m.must(err)
	return o, m.actor(acc.ID)
}

// outcome creates a draft outcome of the university.
func (m *marketFixture) outcome(in market.OutcomeInput) *market.Outcome {
	m.t.Helper()
	o, err := m.svc.CreateOutcome(context.Background(), m.uniOwner, m.uni.ID, in)
	m.must(err)
	return o
}

// publish submits and publishes an outcome.
func (m *marketFixture) publish(o *market.Outcome) *market.Outcome {
	m.t.Helper()
	o = m.moveOutcome(o, m.uniOwner, market.SubmitListing)
	return m.moveOutcome(o, m.admin, market.PublishListing)
}

func (m *marketFixture) moveOutcome(o *market.Outcome, by market.Actor, a market.ListingAction) *market.Outcome {
	m.t.Helper()
	o, err := m.svc.TransitionOutcome(context.Background(), by, o.ID, o.Version, a, "")
	m.must(err)
	return o
}

// scenario creates and publishes a scenario of the enterprise.
func (m *marketFixture) scenario(in market.ScenarioInput) *market.Scenario {
	m.t.Helper()
	ctx := context.Background()
	s, err := m.svc.CreateScenario(ctx, m.entOwner, m.ent.ID, in)
	m.must(err)
	s, err = m.svc.TransitionScenario(ctx, m.entOwner, s.ID, s.Version, market.SubmitListing, "")
	m.must(err)
	s, err = m.svc.TransitionScenario(ctx, m.admin, s.ID, s.Version, market.PublishListing, "")
	m.must(err)
	return s
}

func trl(n int) *int { return &n }

func newIndexer(db market.Store, e search.Engine) *search.Indexer {
	return &search.Indexer{Store: db, Engine: e, Log: quietLog()}
}

func memEngine(t *testing.T) *bleve.Engine {
	t.Helper()
	e, err := bleve.Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func catchUp(t *testing.T, ix *search.Indexer) search.IndexStats {
	t.Helper()
	st, err := ix.CatchUp(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// ids searches text and returns the hit ids.
func foundIDs(t *testing.T, e search.Engine, text string) []string {
	t.Helper()
	res, err := (&search.Service{Engine: e}).Search(context.Background(), search.Query{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

func backlog(t *testing.T, ix *search.Indexer) int64 {
	t.Helper()
	n, err := ix.Backlog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestIndexerFollowsTheListingLifeCycle(t *testing.T) {
	m := newMarket(t, sqltest.MustOpen(t))
	e := memEngine(t)
	ix := newIndexer(m.db, e)

	draft := m.outcome(market.OutcomeInput{Title: "固态锂电池电解质草稿", Summary: "尚未提交"})
	pub := m.publish(m.outcome(market.OutcomeInput{Title: "高镍锂电池正极材料", Summary: "提高能量密度",
		Keywords: []string{"锂电池"}, IPC: []string{"H01M 4/525"}, TRL: trl(6), TransferModes: []string{market.TransferExclusiveLicence}}))
	secret := m.publish(m.outcome(market.OutcomeInput{Title: "钠离子电池负极", Summary: "公开摘要",
		Description: "保密配方 zirconium-doped hardcarbon", Confidentiality: market.ConfidentialityTeaser, ExternalID: "SECRET-1"}))
	sc := m.scenario(market.ScenarioInput{Kind: market.ScenarioDemand, Title: "储能电池热失控预警需求", Field: "energy_storage", Description: "寻找电池安全监测方案", Region: "江苏省 / 无锡"})

	if backlog(t, ix) == 0 {
		t.Fatal("backlog 0 before indexing")
	}
	st := catchUp(t, ix)
	if st.Upserts != 3 || backlog(t, ix) != 0 {
		t.Fatalf("stats %+v, backlog %d; want 3 upserts and no backlog", st, backlog(t, ix))
	}
	got := foundIDs(t, e, "电池")
	if !slices.Contains(got, pub.ID) || !slices.Contains(got, secret.ID) || !slices.Contains(got, sc.ID) || slices.Contains(got, draft.ID) {
		t.Fatalf("电池 finds %v; want the published outcomes and scenario, not the draft %s", got, draft.ID)
	}
	if got := foundIDs(t, e, "hardcarbon"); len(got) != 0 {
		t.Fatalf("a confidential description is searchable: %v", got)
	}
	res, err := e.Search(context.Background(), search.Query{Text: "钠离子"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("钠离子: %+v %v", res.Hits, err)
	}
	if h := res.Hits[0]; h.Description != "" || h.ExternalID != "" || h.OrgName != "沪江理工大学" || h.Region != "上海市 / 杨浦区" || h.OrgKind != market.OrgUniversity {
		t.Fatalf("confidential document %+v: want teaser only, with the organisation's name, kind and region", h.Document)
	}

	// Pausing takes a listing out; resuming brings it back with a newer version.
	pub = m.moveOutcome(pub, m.uniOwner, market.PauseListing)
	catchUp(t, ix)
	if got := foundIDs(t, e, "高镍"); len(got) != 0 {
		t.Fatalf("paused outcome still found: %v", got)
	}
	pub = m.moveOutcome(pub, m.uniOwner, market.ResumeListing)
	catchUp(t, ix)
	res, err = e.Search(context.Background(), search.Query{Text: "高镍"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Version != pub.Version {
		t.Fatalf("resumed outcome: %+v %v; want version %d", res.Hits, err, pub.Version)
	}
}

// TestIndexerReloadsSoOrderCannotRegress: when a publish and a later pause
// are both in the log before the indexer runs, it indexes the state the
// store holds now, never the older published version.
func TestIndexerReloadsSoOrderCannotRegress(t *testing.T) {
	m := newMarket(t, sqltest.MustOpen(t))
	e := memEngine(t)
	ix := newIndexer(m.db, e)
	o := m.publish(m.outcome(market.OutcomeInput{Title: "海水淡化反渗透膜"}))
	m.moveOutcome(o, m.uniOwner, market.PauseListing)
	st := catchUp(t, ix)
	if n, _ := e.Count(context.Background()); n != 0 || st.Deletes != 1 {
		t.Fatalf("count %d, stats %+v; want the paused outcome deleted, not indexed", n, st)
	}
}

// failingEngine stands for an indexer killed around its engine write: the
// write happens (or not) and the step then fails before the cursor is saved.
type failingEngine struct {
	search.Engine
	write bool // pass the write through before failing
}

var errKilled = errors.New("killed")

func (f failingEngine) Upsert(ctx context.Context, docs ...search.Document) error {
	if f.write {
		if err := f.Engine.Upsert(ctx, docs...); err != nil {
			return err
		}
	}
	return errKilled
}

// TestIndexerCatchesUpAfterRestart kills the indexer between commit and
// index, and between index and cursor save; a restarted indexer over the
// reopened on-disk index catches up with nothing lost and nothing doubled.
func TestIndexerCatchesUpAfterRestart(t *testing.T) {
	m := newMarket(t, sqltest.MustOpen(t))
	path := filepath.Join(t.TempDir(), "search.bleve")

	for _, tc := range []struct {
		name  string
		write bool
	}{{"killed before the engine write", false}, {"killed after the engine write", true}} {
		t.Run(tc.name, func(t *testing.T) {
			o := m.publish(m.outcome(market.OutcomeInput{Title: "工业机器人视觉标定 " + tc.name}))
			before := backlog(t, newIndexer(m.db, nil))

			e1, err := bleve.Open(path, search.StoreSource{Store: m.db})
			if err != nil {
				t.Fatal(err)
			}
			_, err = newIndexer(m.db, failingEngine{Engine: e1, write: tc.write}).CatchUp(context.Background())
			if !errors.Is(err, errKilled) {
				t.Fatalf("first indexer: %v, want killed", err)
			}
			if got := backlog(t, newIndexer(m.db, nil)); got != before {
				t.Fatalf("backlog %d after a killed step, want %d (cursor not saved)", got, before)
			}
			e1.Close()

			e2, err := bleve.Open(path, search.StoreSource{Store: m.db}) // the restarted process
			if err != nil {
				t.Fatal(err)
			}
			defer e2.Close()
			ix := newIndexer(m.db, e2)
			catchUp(t, ix)
			if backlog(t, ix) != 0 {
				t.Fatal("backlog after restart")
			}
			res, err := e2.Search(context.Background(), search.Query{Text: "机器人视觉标定"})
			if err != nil {
				t.Fatal(err)
			}
			var found int
			for _, h := range res.Hits {
				if h.ID == o.ID {
					found++
				}
			}
			if found != 1 {
				t.Fatalf("outcome found %d times after restart, want once", found)
			}
		})
	}
}

func TestReindexRebuildsFromTheDatabase(t *testing.T) {
	m := newMarket(t, sqltest.MustOpen(t))
	e := memEngine(t)
	pub := m.publish(m.outcome(market.OutcomeInput{Title: "光伏组件回收"}))
	m.outcome(market.OutcomeInput{Title: "光伏草稿"})
	sc := m.scenario(market.ScenarioInput{Title: "光伏电站运维场景", Field: "new_energy", Description: "园区屋顶光伏"})
	// A stray document the database does not know, as after a lost delete.
	if err := e.Upsert(context.Background(), search.Document{ID: "stray", Kind: search.KindOutcome, Title: "光伏 stray", Version: 1}); err != nil {
		t.Fatal(err)
	}
	ix := newIndexer(m.db, e)
	n, err := ix.Reindex(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	got := foundIDs(t, e, "光伏")
	slices.Sort(got)
	want := []string{pub.ID, sc.ID}
	slices.Sort(want)
	if n != 2 || !slices.Equal(got, want) || backlog(t, ix) != 0 {
		t.Fatalf("reindex wrote %d, 光伏 finds %v, backlog %d; want %v and none", n, got, backlog(t, ix), want)
	}
}

func TestRebuildIfLostRestoresAnEmptiedIndex(t *testing.T) {
	m := newMarket(t, sqltest.MustOpen(t))
	pub := m.publish(m.outcome(market.OutcomeInput{Title: "海水淡化膜组件"}))
	ix := newIndexer(m.db, memEngine(t))
	// A fresh engine on a fresh database: nothing to rebuild yet.
	if rebuilt, err := newIndexer(m.db, memEngine(t)).RebuildIfLost(context.Background(), 0); err != nil || rebuilt {
		t.Fatalf("before any indexing: rebuilt %v, %v", rebuilt, err)
	}
	catchUp(t, ix)
	// The index is lost (a new empty engine) while the cursor stays put:
	// catching up alone finds nothing new to index.
	lost := newIndexer(m.db, memEngine(t))
	catchUp(t, lost)
	if got := foundIDs(t, lost.Engine, "淡化"); len(got) != 0 {
		t.Fatalf("catch-up alone restored %v; the test would not show the rebuild", got)
	}
	rebuilt, err := lost.RebuildIfLost(context.Background(), 0)
	if err != nil || !rebuilt {
		t.Fatalf("rebuilt %v, %v", rebuilt, err)
	}
	if got := foundIDs(t, lost.Engine, "淡化"); !slices.Equal(got, []string{pub.ID}) {
		t.Fatalf("after rebuild 淡化 finds %v, want %v", got, []string{pub.ID})
	}
	// A populated index is left alone.
	if rebuilt, err := lost.RebuildIfLost(context.Background(), 0); err != nil || rebuilt {
		t.Fatalf("second call: rebuilt %v, %v", rebuilt, err)
	}
}

// The embedded index keeps no documents: its hits are read from the store,
// so they show each listing as it is now, even before the indexer has
// caught up with a change, and never one that is no longer published.
func TestStoreSourceShowsListingsAsTheyAreNow(t *testing.T) {
	m := newMarket(t, sqltest.MustOpen(t))
	e, err := bleve.Open("", search.StoreSource{Store: m.db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	ix := newIndexer(m.db, e)
	pub := m.publish(m.outcome(market.OutcomeInput{Title: "高镍锂电池正极材料", Summary: "提高能量密度"}))
	sc := m.scenario(market.ScenarioInput{Kind: market.ScenarioDemand, Title: "储能电池热失控预警需求", Field: "energy_storage", Description: "寻找电池安全监测方案", Region: "江苏省 / 无锡"})
	catchUp(t, ix)
	res, err := e.Search(t.Context(), search.Query{Text: "电池", Highlight: true})
	if err != nil || len(res.Hits) != 2 {
		t.Fatalf("电池: %+v, %v; want the outcome and the scenario", res.Hits, err)
	}
	for _, h := range res.Hits {
		if (h.ID == pub.ID && (h.Kind != search.KindOutcome || h.Title != pub.Title)) ||
			(h.ID == sc.ID && (h.Kind != search.KindScenario || h.Title != sc.Title)) || len(h.Highlights) == 0 {
			t.Errorf("hit %+v: want its listing's kind, title and highlights", h)
		}
	}

	m.moveOutcome(pub, m.uniOwner, market.PauseListing) // not indexed yet
	if got := foundIDs(t, e, "电池"); !slices.Equal(got, []string{sc.ID}) {
		t.Fatalf("after the pause, before the indexer: 电池 finds %v; want only the scenario", got)
	}
	if got, err := e.Suggest(t.Context(), "高镍", 5); err != nil || len(got) != 0 {
		t.Fatalf("suggest shows a paused outcome: %v, %v", got, err)
	}
}
