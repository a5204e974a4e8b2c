package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"techbridge/market"
	"techbridge/search"
	"techbridge/search/bleve"
)

// searchEnv is the API with search over an in-memory Bleve index, a
// university (member) and an enterprise (other) with their tokens, and an
// admin who reviews listings.
type searchEnv struct {
	*testEnv
	ix            *search.Indexer
	member, other tokenResponse
	uni, ent      orgResponse
	owner, entOwn market.Actor
	reviewer      market.Actor
}

func newSearchEnv(t *testing.T) *searchEnv {
	t.Helper()
	e := newEnv(t)
	engine, err := bleve.Open("", search.StoreSource{Store: e.db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { engine.Close() })
	ix := &search.Indexer{Store: e.db, Engine: engine, Log: e.svc.Log}
	e.srv.Search = &search.Service{Engine: engine}
	e.srv.SearchBacklog = ix.Backlog
	e.srv.Checks = append(e.srv.Checks, Check{Name: "search", Ping: func(ctx context.Context) error {
		_, err := engine.Count(ctx)
		return err
	}})
	s := &searchEnv{testEnv: e, ix: ix}
	memberID, member := e.user("member@a.example.cn")
	otherID, other := e.user("other@b.example.cn")
	s.member, s.other = member, other
	s.uni = e.org(member.AccessToken, market.OrgUniversity)
	s.ent = e.org(other.AccessToken, market.OrgEnterprise)
	ctx := context.Background()
	adm, err := e.svc.CreateAdmin(ctx, market.NewAccount{Email: "reviewer@techbridge.test", Password: "correct horse battery", DisplayName: "R"}, market.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	s.reviewer = s.actor(adm.ID)
	if _, err := e.svc.VerifyOrganization(ctx, s.reviewer, s.ent.ID, market.VerificationVerified, ""); err != nil {
		t.Fatal(err)
	}
	s.owner, s.entOwn = s.actor(memberID), s.actor(otherID)
	return s
}

func (s *searchEnv) actor(id string) market.Actor {
	s.t.Helper()
	a, err := s.svc.ActorFor(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return a
}

// outcome creates an outcome of the university and takes it through
// actions (submit, publish …), each by the role that may.
func (s *searchEnv) outcome(in market.OutcomeInput, actions ...market.ListingAction) *market.Outcome {
	s.t.Helper()
	ctx := context.Background()
	o, err := s.svc.CreateOutcome(ctx, s.owner, s.uni.ID, in)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, a := range actions {
		by := s.owner
		if a == market.PublishListing {
			by = s.reviewer
		}
		if o, err = s.svc.TransitionOutcome(ctx, by, o.ID, o.Version, a, ""); err != nil {
			s.t.Fatal(err)
		}
	}
	return o
}

func (s *searchEnv) scenario(in market.ScenarioInput) *market.Scenario {
	s.t.Helper()
	ctx := context.Background()
	sc, err := s.svc.CreateScenario(ctx, s.entOwn, s.ent.ID, in)
	if err == nil {
		sc, err = s.svc.TransitionScenario(ctx, s.entOwn, sc.ID, sc.Version, market.SubmitListing, "")
	}
	if err == nil {
		sc, err = s.svc.TransitionScenario(ctx, s.reviewer, sc.ID, sc.Version, market.PublishListing, "")
	}
	if err != nil {
		s.t.Fatal(err)
	}
	return sc
}

func (s *searchEnv) index() {
	s.t.Helper()
	if _, err := s.ix.CatchUp(context.Background()); err != nil {
		s.t.Fatal(err)
	}
}

func (s *searchEnv) search(token string, params url.Values) searchResponse {
	s.t.Helper()
	var r searchResponse
	s.expect(s.do("GET", "/api/v1/search?"+params.Encode(), token, nil), 200).json(&r)
	return r
}

func hitIDs(r searchResponse) []string {
	var out []string
	for _, h := range r.Hits {
		out = append(out, h.ID)
	}
	slices.Sort(out)
	return out
}

func sorted(ids ...string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func ptr(n int) *int { return &n }

const publish = market.PublishListing

func TestSearchFindsZhAndEnWithFiltersAndFacets(t *testing.T) {
	s := newSearchEnv(t)
	li := s.outcome(market.OutcomeInput{Title: "高能量密度锂电池正极材料", Summary: "高镍三元正极，循环寿命提升",
		Keywords: []string{"锂电池", "正极"}, Field: "energy_storage", IPC: []string{"H01M 4/525"}, TRL: ptr(6),
		TransferModes: []string{market.TransferExclusiveLicence}, Price: market.Money{Min: 100_000_00, Max: 500_000_00, Currency: "CNY"}},
		market.SubmitListing, publish)
	en := s.outcome(market.OutcomeInput{Title: "Lithium battery recycling by hydrometallurgy", Summary: "Recovers cobalt and nickel from spent cells",
		Field: "environment", IPC: []string{"C22B 7/00"}, TRL: ptr(4), TransferModes: []string{market.TransferAssignment}},
		market.SubmitListing, publish)
	robot := s.outcome(market.OutcomeInput{Title: "工业机器人视觉标定方法", Summary: "手眼标定精度达到0.05毫米",
		Field: "robotics", TRL: ptr(7), TransferModes: []string{market.TransferNonExclusive}}, market.SubmitListing, publish)
	sc := s.scenario(market.ScenarioInput{Kind: market.ScenarioDemand, Title: "储能电站电池健康监测需求",
		Description: "需要在线估计电池健康状态", Field: "energy_storage", Region: "江苏省 / 无锡"})
	s.index()

	cases := []struct {
		name   string
		params url.Values
		want   []string
	}{
		{"电池 inside 锂电池 and 电池 in a scenario", url.Values{"q": {"电池"}}, sorted(li.ID, sc.ID)},
		{"English word, case-insensitive", url.Values{"q": {"Battery"}}, sorted(en.ID)},
		{"two terms zh and en", url.Values{"q": {"机器人 calibration"}}, sorted(robot.ID)},
		{"type", url.Values{"q": {"电池"}, "type": {"outcome"}}, sorted(li.ID)},
		{"trl range", url.Values{"trl_min": {"5"}, "trl_max": {"6"}, "type": {"outcome"}}, sorted(li.ID)},
		{"ipc prefix, any case", url.Values{"ipc": {"h01m"}}, sorted(li.ID)},
		{"transfer mode", url.Values{"transfer_mode": {"assignment"}}, sorted(en.ID)},
		{"field", url.Values{"field": {"energy_storage"}}, sorted(li.ID, sc.ID)},
		{"price overlaps", url.Values{"price_min": {"40000000"}, "type": {"outcome"}}, sorted(li.ID)},
		{"price above the range", url.Values{"price_min": {"60000000"}, "type": {"outcome"}}, nil},
		{"org kind", url.Values{"org_kind": {"enterprise"}}, sorted(sc.ID)},
		{"region, as its facet value", url.Values{"region": {"江苏省 / 无锡"}}, sorted(sc.ID)},
		{"region is not a prefix match", url.Values{"region": {"江苏省"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := hitIDs(s.search("", c.params))
			if !slices.Equal(got, c.want) {
				t.Fatalf("%v: got %v, want %v", c.params, got, c.want)
			}
		})
	}

	all := s.search("", url.Values{})
	if all.Total != 4 {
		t.Fatalf("total %d, want 4", all.Total)
	}
	counts := map[string]int{}
	for _, v := range all.Facets["type"] {
		counts[v.Value] = v.Count
	}
	if counts["outcome"] != 3 || counts["scenario"] != 1 {
		t.Fatalf("type facet %v, want 3 outcomes and 1 scenario", all.Facets["type"])
	}
	fields := map[string]int{}
	for _, v := range all.Facets["field"] {
		fields[v.Value] = v.Count
	}
	if fields["energy_storage"] != 2 || fields["robotics"] != 1 {
		t.Fatalf("field facet %v", all.Facets["field"])
	}

	hit := s.search("", url.Values{"q": {"锂电池"}}).Hits
	if len(hit) == 0 || hit[0].ID != li.ID || hit[0].Type != "outcome" || hit[0].Score <= 0 ||
		!strings.Contains(strings.Join(hit[0].Highlights["title"], ""), "<mark>") || hit[0].OrgName == "" {
		t.Fatalf("锂电池 hit %+v; want the outcome first, scored, with a marked title and its organisation", hit)
	}

	sorted := s.search("", url.Values{"sort": {"trl_desc"}, "type": {"outcome"}})
	if len(sorted.Hits) != 3 || sorted.Hits[0].ID != robot.ID || sorted.Hits[2].ID != en.ID {
		t.Fatalf("trl_desc order %v", hitIDs(sorted))
	}
}

// TestSearchShowsOnlyPublishedPublicText: drafts, listings under review and
// paused ones are found by nobody (not even their owner, since search is the
// public catalogue), and a confidential outcome is found by its teaser but
// never by its description.
func TestSearchShowsOnlyPublishedPublicText(t *testing.T) {
	s := newSearchEnv(t)
	s.outcome(market.OutcomeInput{Title: "草稿石墨烯导热膜"})
	s.outcome(market.OutcomeInput{Title: "待审石墨烯散热片"}, market.SubmitListing)
	s.outcome(market.OutcomeInput{Title: "暂停石墨烯涂层"}, market.SubmitListing, publish, market.PauseListing)
	secret := s.outcome(market.OutcomeInput{Title: "石墨烯改性负极", Summary: "公开的摘要",
		Description: "配方 quasicrystalline 工艺", ExternalID: "LAB-SECRET-7", Confidentiality: market.ConfidentialityTeaser},
		market.SubmitListing, publish)
	s.index()

	for _, who := range []struct{ name, token string }{
		{"anonymous", ""}, {"another organisation", s.other.AccessToken}, {"the owner", s.member.AccessToken},
	} {
		t.Run(who.name, func(t *testing.T) {
			if got := hitIDs(s.search(who.token, url.Values{"q": {"石墨烯"}})); !slices.Equal(got, []string{secret.ID}) {
				t.Fatalf("石墨烯 finds %v, want only the published outcome %s", got, secret.ID)
			}
			res := s.do("GET", "/api/v1/search?q=quasicrystalline", who.token, nil)
			var r searchResponse
			s.expect(res, 200).json(&r)
			if len(r.Hits) != 0 {
				t.Fatalf("a confidential description is searchable: %v", hitIDs(r))
			}
			body := s.do("GET", "/api/v1/search?q="+url.QueryEscape("石墨烯"), who.token, nil).Body.String()
			if strings.Contains(body, "quasicrystalline") || strings.Contains(body, "LAB-SECRET-7") {
				t.Fatalf("confidential details in the response: %s", body)
			}
			var sug suggestResponse
			s.expect(s.do("GET", "/api/v1/search/suggest?q="+url.QueryEscape("草稿"), who.token, nil), 200).json(&sug)
			if len(sug.Suggestions) != 0 {
				t.Fatalf("a draft title is suggested: %v", sug.Suggestions)
			}
		})
	}
}

func TestSearchSuggest(t *testing.T) {
	s := newSearchEnv(t)
	s.outcome(market.OutcomeInput{Title: "Lithium battery recycling", Keywords: []string{"锂电池回收"}}, market.SubmitListing, publish)
	s.index()
	for q, want := range map[string]string{"lith": "Lithium battery recycling", "锂电": "锂电池回收"} {
		var r suggestResponse
		s.expect(s.do("GET", "/api/v1/search/suggest?q="+url.QueryEscape(q), "", nil), 200).json(&r)
		if !slices.Contains(r.Suggestions, want) {
			t.Fatalf("suggest %q = %v, want %q among them", q, r.Suggestions, want)
		}
	}
	var empty suggestResponse
	s.expect(s.do("GET", "/api/v1/search/suggest?q=", "", nil), 200).json(&empty)
	if empty.Suggestions == nil || len(empty.Suggestions) != 0 {
		t.Fatalf("empty prefix: %v, want []", empty.Suggestions)
	}
}

func TestSearchRefusesBadParametersByName(t *testing.T) {
	s := newSearchEnv(t)
	cases := []struct{ query, field string }{
		{"type=patent", "type"},
		{"trl_min=0", "trl_min"},
		{"trl_max=ten", "trl_max"},
		{"trl_min=7&trl_max=3", "trl_min"},
		{"price_min=-5", "price_min"},
		{"price_min=9&price_max=1", "price_min"},
		{"field=warp_drive", "field"},
		{"ipc=H01M%3B", "ipc"},
		{"transfer_mode=gift", "transfer_mode"},
		{"org_kind=club", "org_kind"},
		{"sort=best", "sort"},
		{"limit=abc", "limit"},
		{"limit=0", "limit"},
		{"offset=20000", "offset"},
		{"q=" + strings.Repeat("长", MaxSearchText+1), "q"},
		{"colour=red", "colour"},
	}
	for _, c := range cases {
		t.Run(c.query[:min(len(c.query), 30)], func(t *testing.T) {
			p := s.expect(s.do("GET", "/api/v1/search?"+c.query, "", nil), 400).problem()
			var named []string
			for _, fe := range p.Errors {
				named = append(named, fe.Field)
			}
			if !slices.Contains(named, c.field) {
				t.Fatalf("%s: problem names %v, want %s", c.query, named, c.field)
			}
		})
	}
	p := s.expect(s.do("GET", "/api/v1/search/suggest?q=a&limit=x", "", nil), 400).problem()
	if len(p.Errors) != 1 || p.Errors[0].Field != "limit" {
		t.Fatalf("suggest limit problem %+v", p)
	}
	// A large limit is clamped like every list's, not refused.
	s.expect(s.do("GET", "/api/v1/search?limit=1000", "", nil), 200)
}

func TestReadyzReportsSearchBacklog(t *testing.T) {
	s := newSearchEnv(t)
	s.outcome(market.OutcomeInput{Title: "水处理膜"}, market.SubmitListing, publish)
	var before, after map[string]any
	admin := s.admin().AccessToken // the details are for admins (or a probe on the host)
	s.expect(s.do("GET", "/readyz", admin, nil), 200).json(&before)
	s.index()
	s.expect(s.do("GET", "/readyz", admin, nil), 200).json(&after)
	if before["search_backlog"].(float64) <= 0 || after["search_backlog"].(float64) != 0 || after["search"] != "ok" {
		t.Fatalf("readyz before %v, after %v; want a backlog that indexing clears and search ok", before, after)
	}
}

// TestReadyzFailsWhileTheIndexLags: an instance whose own index is more
// than MaxSearchBacklog events behind answers searches wrong, so /readyz
// says 503 until it has caught up.
func TestReadyzFailsWhileTheIndexLags(t *testing.T) {
	s := newSearchEnv(t)
	s.srv.MaxSearchBacklog = 1
	s.outcome(market.OutcomeInput{Title: "水处理膜"}, market.SubmitListing, publish)
	var lag map[string]any
	admin := s.admin().AccessToken // the details are for admins (or a probe on the host)
	s.expect(s.do("GET", "/readyz", admin, nil), 503).json(&lag)
	if s, _ := lag["search_lag"].(string); !strings.Contains(s, "behind") {
		t.Fatalf("readyz while lagging: %v", lag)
	}
	s.index()
	s.expect(s.do("GET", "/readyz", "", nil), 200)
}

// TestSearchHitTimesAreTheTimesJSON: a hit's times, formatted by the
// handler, read as encoding/json writes each time.Time in UTC (here one in
// another zone with milliseconds and one of whole seconds), and a hit
// without them names neither.
func TestSearchHitTimesAreTheTimesJSON(t *testing.T) {
	published := time.Date(2026, 1, 2, 3, 4, 5, 120000000, time.FixedZone("CST", 8*3600))
	due := time.Date(2026, 12, 6, 15, 4, 5, 0, time.UTC)
	var got, want map[string]json.RawMessage
	b, _ := json.Marshal(toSearchHit(search.Hit{Document: search.Document{ID: "x", PublishedAt: published, Deadline: due}}))
	w, _ := json.Marshal(map[string]time.Time{"published_at": published.UTC(), "deadline": due})
	if err := errors.Join(json.Unmarshal(b, &got), json.Unmarshal(w, &want)); err != nil {
		t.Fatal(err)
	}
	for name, v := range want {
		if string(got[name]) != string(v) {
			t.Errorf("%s = %s, time.Time in UTC writes %s", name, got[name], v)
		}
	}
	b, _ = json.Marshal(toSearchHit(search.Hit{Document: search.Document{ID: "x"}}))
	if strings.Contains(string(b), "published_at") || strings.Contains(string(b), "deadline") {
		t.Errorf("a hit without times names them: %s", b)
	}
}
