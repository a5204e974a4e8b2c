package api

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"techbridge/market"
)

// TestOutcomeBadInputNamesTheFieldAndChangesNothing sends one bad value per
// field and expects a problem naming exactly that field, with no event.
func TestOutcomeBadInputNamesTheFieldAndChangesNothing(t *testing.T) {
	w := newWorld(t)
	path := "/api/v1/organizations/" + w.orgA.ID + "/outcomes"
	cases := []struct {
		field string
		body  string
	}{
		{"trl", `{"title": "t", "trl": 0}`},
		{"trl", `{"title": "t", "trl": 10}`},
		{"trl", `{"title": "t", "trl": "five"}`},
		{"price_min", `{"title": "t", "price_min": 500, "price_max": 100}`},
		{"field", `{"title": "t", "field": "alchemy"}`},
		{"ipc", `{"title": "t", "ipc": ["H01M/10/54"]}`},
		{"title", `{"title": "` + strings.Repeat("长", 201) + `"}`},
		{"title", `{"summary": "no title"}`},
		{"description", `{"title": "t", "description": "` + strings.Repeat("x", 20001) + `"}`},
		{"fresh_until", `{"title": "t", "fresh_until": "next year"}`},
		{"transfer_modes", `{"title": "t", "transfer_modes": ["sale"]}`},
		{"currency", `{"title": "t", "currency": "RMB¥"}`},
		// Mass assignment: status, owner and review fields are refused by name.
		{"status", `{"title": "t", "status": "published"}`},
		{"org_id", `{"title": "t", "org_id": "` + w.orgB.ID + `"}`},
		{"published_at", `{"title": "t", "published_at": "2026-01-01T00:00:00Z"}`},
		{"verification", `{"title": "t", "verification": "verified"}`},
	}
	before := w.e.eventCount()
	for _, c := range cases {
		res := w.e.do("POST", path, w.member.AccessToken, c.body)
		if res.Code != 400 {
			t.Errorf("%s: status %d, want 400; %s", c.field, res.Code, res.Body)
			continue
		}
		p := res.problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != c.field {
			t.Errorf("%s: problem fields %+v", c.field, p.Errors)
		}
	}
	if w.e.eventCount() != before {
		t.Fatal("refused creates changed the event log")
	}
	var list listResponse[outcomeResponse]
	w.e.expect(w.e.do("GET", "/api/v1/outcomes?org_id="+w.orgA.ID, w.member.AccessToken, nil), 200).json(&list)
	if *list.Total != 0 {
		t.Fatalf("refused creates left %d outcomes", *list.Total)
	}
}

// TestListingLifeCycleOverHTTP: draft → review → published, a stale version
// is 409, drafts stay private, a confidential outcome shows its teaser, and
// mass assignment through update and transitions changes nothing.
func TestListingLifeCycleOverHTTP(t *testing.T) {
	w := newWorld(t)
	e := w.e
	var o outcomeResponse
	e.expect(e.do("POST", "/api/v1/organizations/"+w.orgA.ID+"/outcomes", w.member.AccessToken,
		`{"title": "保密成果", "description": "核心配方", "patent_numbers": ["CN1234567A"], "confidentiality": "confidential", "ipc": ["h01m10/54"], "price_min": 100, "price_max": 200}`), 201).json(&o)
	if o.Status != "draft" || o.Version != 1 || o.Field != "energy_storage" || o.IPC[0] != "H01M 10/54" {
		t.Fatalf("created = %+v", o)
	}
	e.expect(e.do("GET", "/api/v1/outcomes/"+o.ID, "", nil), 404)
	// Update with a stale version, and with a status smuggled in.
	e.expect(e.do("PUT", "/api/v1/outcomes/"+o.ID, w.member.AccessToken, `{"version": 7, "title": "x"}`), 409).problem()
	e.expect(e.do("PUT", "/api/v1/outcomes/"+o.ID, w.member.AccessToken, `{"version": 1, "title": "x", "status": "published"}`), 400).problem()
	// The owner cannot publish; the reviewer can, once submitted.
	e.expect(e.do("POST", "/api/v1/outcomes/"+o.ID+"/transitions", w.member.AccessToken, transitionRequest{Action: "publish", Version: 1}), 403)
	e.expect(e.do("POST", "/api/v1/outcomes/"+o.ID+"/transitions", w.member.AccessToken, transitionRequest{Action: "submit", Version: 1}), 200)
	var q reviewQueueResponse
	e.expect(e.do("GET", "/api/v1/review/queue", w.admin.AccessToken, nil), 200).json(&q)
	if len(q.Outcomes.Items) != 1 || q.Outcomes.Items[0].ID != o.ID {
		t.Fatalf("review queue = %+v", q.Outcomes)
	}
	e.expect(e.do("POST", "/api/v1/outcomes/"+o.ID+"/transitions", w.admin.AccessToken, transitionRequest{Action: "reject", Version: 2}), 400)
	e.expect(e.do("POST", "/api/v1/outcomes/"+o.ID+"/transitions", w.admin.AccessToken, transitionRequest{Action: "publish", Version: 2}), 200).json(&o)
	if o.Status != "published" || o.Version != 3 || o.PublishedAt == "" {
		t.Fatalf("published = %+v", o)
	}
	// Anonymous and other organisations see the teaser only.
	for _, tok := range []string{"", w.other.AccessToken} {
		var pub outcomeResponse
		e.expect(e.do("GET", "/api/v1/outcomes/"+o.ID, tok, nil), 200).json(&pub)
		if !pub.Teaser || pub.Description != "" || len(pub.PatentNumbers) != 0 || pub.Title != "保密成果" {
			t.Fatalf("teaser for %q = %+v", tok, pub)
		}
	}
	var own outcomeResponse
	e.expect(e.do("GET", "/api/v1/outcomes/"+o.ID, w.member.AccessToken, nil), 200).json(&own)
	if own.Teaser || own.Description != "核心配方" {
		t.Fatalf("owner's view = %+v", own)
	}
	// Public lists: published only; status filters only for the owner.
	e.expect(e.do("GET", "/api/v1/outcomes?status=draft", "", nil), 403).problem()
	var list listResponse[outcomeResponse]
	e.expect(e.do("GET", "/api/v1/outcomes?price_min=150&field=energy_storage", "", nil), 200).json(&list)
	// Two filter dimensions: no kept count covers them, so no total (a
	// list never counts its rows), only whether more follow.
	if list.Total != nil || list.HasMore == nil || *list.HasMore || len(list.Items) != 1 || list.Items[0].Description != "" {
		t.Fatalf("public list = %+v", list)
	}
	var byField listResponse[outcomeResponse]
	e.expect(e.do("GET", "/api/v1/outcomes?field=energy_storage", "", nil), 200).json(&byField)
	if byField.Total == nil || *byField.Total != len(byField.Items) || len(byField.Items) == 0 {
		t.Fatalf("list by field = %+v", byField)
	}
	e.expect(e.do("GET", "/api/v1/outcomes?trl_min=0&trl_max=12", "", nil), 400).problem()
	var hist listResponse[eventResponse]
	e.expect(e.do("GET", "/api/v1/outcomes/"+o.ID+"/history", w.member.AccessToken, nil), 200).json(&hist)
	if len(hist.Items) != 3 || hist.Items[2].Type != "outcome.published" {
		t.Fatalf("history = %+v", hist.Items)
	}
	e.expect(e.do("GET", "/api/v1/outcomes/"+o.ID+"/history", w.other.AccessToken, nil), 403)
}

// TestImportOverHTTP: bad lines are reported by line number and skipped; a
// second upload of the same file changes nothing; all_or_nothing refuses a
// CSV with a broken line with a problem naming it.
func TestImportOverHTTP(t *testing.T) {
	w := newWorld(t)
	e := w.e
	path := "/api/v1/outcomes/import?org_id=" + w.orgA.ID
	file := `{"external_id": "A1", "title": "一", "ipc": ["G06N"], "label": ["x"]}
{"external_id": "A2", "title": "二", "trl": 0}
{"external_id": "A3", "title": "三", "keywords": ["k"], "price_min": 5, "price_max": 1}
{"external_id": "A4", "title": "四", "trl": 7}
`
	var rep struct {
		Created, Updated, Unchanged, Failed int
		Errors                              []struct {
			Line   int
			Errors []struct{ Field string }
		}
	}
	e.expect(e.do("POST", path, w.member.AccessToken, typedBody{"application/x-ndjson", file}), 200).json(&rep)
	if rep.Created != 2 || rep.Failed != 2 || rep.Errors[0].Line != 2 || rep.Errors[0].Errors[0].Field != "trl" ||
		rep.Errors[1].Line != 3 || rep.Errors[1].Errors[0].Field != "price_min" {
		t.Fatalf("report = %+v", rep)
	}
	e.expect(e.do("POST", path, w.member.AccessToken, typedBody{"application/x-ndjson", file}), 200).json(&rep)
	if rep.Created != 0 || rep.Unchanged != 2 {
		t.Fatalf("second report = %+v", rep)
	}
	before := e.eventCount()
	csv := "external_id,title,trl\nB1,好,5\nB2,\"坏\n"
	res := e.do("POST", path+"&format=csv&all_or_nothing=true", w.member.AccessToken, typedBody{"text/csv", csv})
	if res.Code != 400 {
		t.Fatalf("broken CSV: %d %s", res.Code, res.Body)
	}
	p := res.problem()
	raw, _ := json.Marshal(p.Errors)
	if !strings.Contains(string(raw), "line 3") {
		t.Fatalf("problem does not name line 3: %s", raw)
	}
	if e.eventCount() != before {
		t.Fatal("refused import changed the log")
	}
	// Another organisation cannot import into A.
	e.expect(e.do("POST", path, w.other.AccessToken, typedBody{"application/x-ndjson", file}), 403)
}

// TestChallengeAwardsOverHTTP: a challenge needs its terms, takes proposals
// once published, refuses its owner's own proposal, and may award several.
func TestChallengeAwardsOverHTTP(t *testing.T) {
	w := newWorld(t)
	e := w.e
	create := "/api/v1/organizations/" + w.orgB.ID + "/scenarios"
	p := e.expect(e.do("POST", create, w.other.AccessToken, `{"kind": "challenge", "title": "焊缝跟踪挑战", "field": "robotics", "min_trl": 10}`), 400).problem()
	named := map[string]bool{}
	for _, fe := range p.Errors {
		named[fe.Field] = true
	}
	for _, f := range []string{"deadline", "bounty", "criteria", "min_trl"} {
		if !named[f] {
			t.Errorf("challenge problem does not name %s: %+v", f, p.Errors)
		}
	}
	var sc scenarioResponse
	e.expect(e.do("POST", create, w.other.AccessToken, `{"kind": "challenge", "title": "焊缝跟踪挑战", "field": "robotics",
		"bounty": 50000000, "criteria": "精度与节拍", "deadline": "2099-01-01"}`), 201).json(&sc)
	e.expect(e.do("POST", "/api/v1/scenarios/"+sc.ID+"/proposals?org_id="+w.orgA.ID, w.member.AccessToken,
		proposalRequest{Title: "t", Summary: "s"}), 404) // a draft takes no proposals, and is not visible
	e.expect(e.do("POST", "/api/v1/scenarios/"+sc.ID+"/transitions", w.other.AccessToken, transitionRequest{Action: "submit", Version: 1}), 200)
	e.expect(e.do("POST", "/api/v1/scenarios/"+sc.ID+"/transitions", w.admin.AccessToken, transitionRequest{Action: "publish", Version: 2}), 200)
	e.expect(e.do("POST", "/api/v1/scenarios/"+sc.ID+"/proposals?org_id="+w.orgB.ID, w.other.AccessToken,
		proposalRequest{Title: "t", Summary: "s"}), 403)
	var p1, p2 proposalResponse
	e.expect(e.do("POST", "/api/v1/scenarios/"+sc.ID+"/proposals?org_id="+w.orgA.ID, w.member.AccessToken,
		proposalRequest{Title: "激光视觉方案", Summary: "s"}), 201).json(&p1)
	e.expect(e.do("POST", "/api/v1/scenarios/"+sc.ID+"/proposals?org_id="+w.orgA.ID, w.member.AccessToken,
		proposalRequest{Title: "电弧传感方案", Summary: "s"}), 201).json(&p2)
	e.expect(e.do("POST", "/api/v1/proposals/"+p1.ID+"/transitions", w.other.AccessToken, transitionRequest{Action: "award", Version: 1}), 200)
	e.expect(e.do("POST", "/api/v1/proposals/"+p2.ID+"/transitions", w.other.AccessToken, transitionRequest{Action: "award", Version: 1}), 200).json(&p2)
	if p2.Status != "awarded" {
		t.Fatalf("second award = %+v", p2)
	}
	var got scenarioResponse
	e.expect(e.do("GET", "/api/v1/scenarios/"+sc.ID, w.other.AccessToken, nil), 200).json(&got)
	if got.Status != "awarded" || got.Version != 4 {
		t.Fatalf("scenario after awards = %+v", got)
	}
	var mine listResponse[proposalResponse]
	e.expect(e.do("GET", "/api/v1/proposals?org_id="+w.orgA.ID, w.member.AccessToken, nil), 200).json(&mine)
	if *mine.Total != 2 {
		t.Fatalf("own proposals = %+v", mine)
	}
}

// TestImportOnAFullDiskIs503: an import that cannot write because the
// disk is full answered an opaque 500; it is a 503 problem with
// Retry-After now (the database's SQLITE_FULL, here forced by capping the
// file at its current size).
func TestImportOnAFullDiskIs503(t *testing.T) {
	w := newWorld(t)
	e := w.e
	var pages int
	if err := e.db.DB().QueryRow("PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.DB().Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	var file strings.Builder
	for i := range 300 {
		fmt.Fprintf(&file, `{"external_id": "F%d", "title": "磁盘已满 %d", "description": "%s"}`+"\n", i, i, strings.Repeat("长文本", 200))
	}
	res := e.do("POST", "/api/v1/outcomes/import?org_id="+w.orgA.ID, w.member.AccessToken, typedBody{"application/x-ndjson", file.String()})
	if res.Code != 503 || res.Header().Get("Retry-After") == "" {
		t.Fatalf("import on a full disk: %d %s", res.Code, res.Body)
	}
	if p := res.problem(); p.Code != market.EUNAVAILABLE {
		t.Fatalf("problem %+v", p)
	}
}

// TestImportRefusedOnceShutdownBegins: an import started during shutdown
// was cut at the grace period (closed connection, exit 1); it is refused
// up front with 503 and Retry-After, and nothing is written.
func TestImportRefusedOnceShutdownBegins(t *testing.T) {
	w := newWorld(t)
	e := w.e
	before := e.eventCount()
	e.srv.Drain()
	res := e.do("POST", "/api/v1/outcomes/import?org_id="+w.orgA.ID, w.member.AccessToken, `{"external_id": "D1", "title": "停机中"}`+"\n")
	if res.Code != 503 || res.Header().Get("Retry-After") == "" {
		t.Fatalf("import while draining: %d %s", res.Code, res.Body)
	}
	if e.eventCount() != before {
		t.Fatal("a refused import wrote events")
	}
	// Short requests are still answered while in-flight work finishes.
	e.expect(e.do("GET", "/api/v1/outcomes", "", nil), 200)
}
