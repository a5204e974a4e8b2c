package api

import (
	"context"
	"slices"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/search"
	"techbridge/search/bleve"
)

// matchFixture adds to a policy world: a matcher over an in-memory index of
// hand-made published outcomes, a draft outcome of organisation A and a
// draft and a published scenario of organisation B.
type matchFixture struct {
	draftOutcome    string
	draftScenario   string
	publishedScenar string
}

// matchFixtures caches the fixture per world, since route policies build
// their paths once per caller.
var matchFixtures = map[*world]*matchFixture{}

const matchWan = 1_000_000 // 1万 CNY in fen

// matchIndexed are the published outcomes in the index; "idx-recycle" is
// the one the battery demand must rank first.
func matchIndexed(now time.Time) []search.Document {
	return []search.Document{
		{ID: "idx-recycle", Kind: search.KindOutcome, OrgID: "org-tongji", OrgKind: "university", OrgName: "同济大学",
			Title: "退役动力锂电池回收与梯次利用技术", Keywords: []string{"动力电池", "电池回收", "梯次利用"},
			Field: "energy_storage", IPC: []string{"H01M 10/54"}, TRL: 6, PriceMin: 50 * matchWan, PriceMax: 80 * matchWan,
			Currency: "CNY", Region: "上海市", Version: 1, PublishedAt: now.AddDate(0, -1, 0), FreshUntil: now.AddDate(1, 0, 0)},
		{ID: "idx-hydromet", Kind: search.KindOutcome, OrgID: "org-metals", OrgKind: "institute", OrgName: "有色金属研究院",
			Title: "废旧锂电池回收湿法冶金工艺", Keywords: []string{"电池回收", "湿法冶金"},
			Field: "new_materials", IPC: []string{"C22B 7/00"}, TRL: 3, PriceMin: 200 * matchWan, PriceMax: 300 * matchWan,
			Currency: "CNY", Region: "北京市", Version: 1, PublishedAt: now.AddDate(-2, 0, 0)},
		{ID: "idx-tester", Kind: search.KindOutcome, OrgID: "org-tongji", OrgKind: "university", OrgName: "同济大学",
			Title: "动力电池健康状态检测设备", Keywords: []string{"动力电池", "检测"}, Field: "energy_storage",
			IPC: []string{"G01R 31/36"}, TRL: 7, Region: "上海市", Version: 1, PublishedAt: now.AddDate(0, -2, 0)},
		{ID: "idx-irrigation", Kind: search.KindOutcome, OrgID: "org-cau", OrgKind: "university", OrgName: "农业大学",
			Title: "智能灌溉系统", Keywords: []string{"灌溉"}, Field: "agriculture", Version: 1, PublishedAt: now.AddDate(0, -1, 0)},
	}
}

// actorOf loads the account behind a token as a market actor.
func (w *world) actorOf(tok tokenResponse) market.Actor {
	w.e.t.Helper()
	var me meResponse
	w.e.expect(w.e.do("GET", "/api/v1/me", tok.AccessToken, nil), 200).json(&me)
	a, err := w.e.svc.ActorFor(context.Background(), me.Account.ID)
	if err != nil {
		w.e.t.Fatal(err)
	}
	return a
}

// matching installs the matcher on the world's server and creates the
// listings, once per world.
func (w *world) matching() *matchFixture {
	if f, ok := matchFixtures[w]; ok {
		return f
	}
	t, ctx := w.e.t, context.Background()
	t.Helper()
	eng, err := bleve.Open("", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(); delete(matchFixtures, w) })
	if err := eng.Upsert(ctx, matchIndexed(time.Now().UTC())...); err != nil {
		t.Fatal(err)
	}
	w.e.srv.Matcher = &search.Matcher{Search: &search.Service{Engine: eng}, Market: w.e.svc}

	f := &matchFixture{}
	uni, ent := w.actorOf(w.member), w.actorOf(w.other)
	trl := 6
	o, err := w.e.svc.CreateOutcome(ctx, uni, w.orgA.ID, market.OutcomeInput{Title: "动力电池回收检测", Field: "energy_storage", TRL: &trl})
	if err != nil {
		t.Fatal(err)
	}
	f.draftOutcome = o.ID
	demand := market.ScenarioInput{Title: "新能源汽车退役动力电池回收利用", Field: "energy_storage",
		Description: "需要自动拆解与梯次利用方案，在上海落地中试。", Keywords: []string{"动力电池", "回收"}, MinTRL: 5,
		Budget: market.Money{Max: 100 * matchWan, Currency: "CNY"}, Region: "上海市"}
	d, err := w.e.svc.CreateScenario(ctx, ent, w.orgB.ID, demand)
	if err != nil {
		t.Fatal(err)
	}
	f.draftScenario = d.ID
	p, err := w.e.svc.CreateScenario(ctx, ent, w.orgB.ID, demand)
	if err != nil {
		t.Fatal(err)
	}
	if p, err = w.e.svc.TransitionScenario(ctx, ent, p.ID, p.Version, market.SubmitListing, ""); err != nil {
		t.Fatal(err)
	}
	if p, err = w.e.svc.TransitionScenario(ctx, w.actorOf(w.admin), p.ID, p.Version, market.PublishListing, ""); err != nil {
		t.Fatal(err)
	}
	f.publishedScenar = p.ID
	matchFixtures[w] = f
	return f
}

// Policy paths for the match routes (see policies in policy_test.go).
func draftOutcomeMatches(w *world) string {
	return "/api/v1/outcomes/" + w.matching().draftOutcome + "/matches"
}

func draftScenarioMatches(w *world) string {
	return "/api/v1/scenarios/" + w.matching().draftScenario + "/matches"
}

func matchNeedPath(w *world) string {
	w.matching()
	return "/api/v1/match"
}

func TestScenarioMatchesRankWithReasons(t *testing.T) {
	w := newWorld(t)
	f := w.matching()
	var res matchResultResponse
	w.e.expect(w.e.do("GET", "/api/v1/scenarios/"+f.publishedScenar+"/matches", "", nil), 200).json(&res)
	if res.Subject.ID != f.publishedScenar || res.Subject.Kind != search.KindScenario {
		t.Fatalf("subject %+v", res.Subject)
	}
	if len(res.Items) < 2 || res.Items[0].ID != "idx-recycle" {
		t.Fatalf("matches %+v, want idx-recycle first", res.Items)
	}
	first := res.Items[0]
	var kinds []string
	for _, r := range first.Reasons {
		kinds = append(kinds, r.Kind)
		if r.Kind == "text" && len(r.Terms) == 0 {
			t.Errorf("text reason without terms: %+v", r)
		}
	}
	// The demand states a field but no IPC: between two listings only what
	// both state counts (the pair's score is the same from either side), so
	// no IPC subclass is inferred for it.
	for _, k := range []string{"text", "field", "trl", "price", "region", "freshness"} {
		if !slices.Contains(kinds, k) {
			t.Errorf("first match lacks a %s reason: %v", k, kinds)
		}
	}
	for _, r := range first.Reasons {
		if r.Inferred {
			t.Errorf("an inferred reason between two listings: %+v", r)
		}
	}
	if !first.Strong || first.Score <= res.Items[1].Score {
		t.Errorf("first match score %.1f strong %v, second %.1f", first.Score, first.Strong, res.Items[1].Score)
	}
	for _, m := range res.Items {
		if m.ID == "idx-irrigation" {
			t.Errorf("an unrelated outcome matched: %+v", m)
		}
		if m.ID == "idx-hydromet" && len(m.Gaps) < 2 {
			t.Errorf("hydromet outcome shows gaps %+v, want TRL and price", m.Gaps)
		}
	}

	var grouped matchResultResponse
	w.e.expect(w.e.do("GET", "/api/v1/scenarios/"+f.publishedScenar+"/matches?group=organization&limit=5", "", nil), 200).json(&grouped)
	if len(grouped.Items) != 0 || len(grouped.Organizations) == 0 || grouped.Organizations[0].OrgID != "org-tongji" ||
		grouped.Organizations[0].Matches != 2 || grouped.Organizations[0].Best[0].ID != "idx-recycle" {
		t.Fatalf("grouped %+v", grouped.Organizations)
	}
}

func TestMatchVisibilityAndInput(t *testing.T) {
	w := newWorld(t)
	f := w.matching()
	draft := "/api/v1/scenarios/" + f.draftScenario + "/matches"
	w.e.expect(w.e.do("GET", draft, "", nil), 404).problem()
	w.e.expect(w.e.do("GET", draft, w.member.AccessToken, nil), 404).problem()
	var own matchResultResponse
	w.e.expect(w.e.do("GET", draft, w.other.AccessToken, nil), 200).json(&own)
	if len(own.Items) == 0 || own.Items[0].ID != "idx-recycle" {
		t.Fatalf("owner's draft matches %+v", own.Items)
	}
	w.e.expect(w.e.do("GET", "/api/v1/outcomes/"+f.draftOutcome+"/matches", w.other.AccessToken, nil), 404).problem()

	p := w.e.expect(w.e.do("GET", draft+"?group=country&limt=3", w.other.AccessToken, nil), 400).problem()
	if names := fieldNames(p); !slices.Contains(names, "group") || !slices.Contains(names, "limt") {
		t.Fatalf("bad parameters named %v", names)
	}
	w.e.expect(w.e.do("GET", draft+"?limit=51", w.other.AccessToken, nil), 400).problem()

	var need matchResultResponse
	w.e.expect(w.e.do("POST", "/api/v1/match", "", needRequest{Text: "退役动力电池回收和梯次利用", TRL: 5,
		PriceMax: 100 * matchWan, Limit: 2}), 200).json(&need)
	if len(need.Items) == 0 || len(need.Items) > 2 || need.Items[0].ID != "idx-recycle" || need.Subject.ID != "" {
		t.Fatalf("need matches %+v", need)
	}
	p = w.e.expect(w.e.do("POST", "/api/v1/match", "", map[string]any{"text": "x", "field": "batteries"}), 400).problem()
	if names := fieldNames(p); !slices.Contains(names, "text") || !slices.Contains(names, "field") {
		t.Fatalf("bad need fields named %v", names)
	}
	w.e.expect(w.e.do("POST", "/api/v1/match", "", map[string]any{"text": "电池", "owner": "me"}), 400).problem()

	w.e.srv.Matcher = nil
	w.e.expect(w.e.do("POST", "/api/v1/match", "", needRequest{Text: "电池"}), 501).problem()
}

func fieldNames(p Problem) []string {
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field)
	}
	return out
}
