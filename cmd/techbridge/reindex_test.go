package main

import (
	"context"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"techbridge/search"
	"techbridge/search/bleve"
)

// importedDataDir is a data dir with three published outcomes and one
// draft, imported by the import command.
func importedDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "outcomes.jsonl")
	lines := `{"external_id":"A1","title":"高镍锂电池正极材料","summary":"循环寿命提升"}
{"external_id":"A2","title":"Lithium battery recycling","summary":"hydrometallurgy"}
{"external_id":"A3","title":"工业机器人视觉标定","summary":"手眼标定"}
`
	if err := os.WriteFile(file, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var out strings.Builder
	if err := run(ctx, []string{"import", "outcomes", "--data-dir", dir, "--file", file, "--org", "测试大学", "--create-org", "--publish"}, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	draft := filepath.Join(dir, "draft.jsonl")
	if err := os.WriteFile(draft, []byte(`{"external_id":"D1","title":"锂电池草稿"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"import", "outcomes", "--data-dir", dir, "--file", draft, "--org", "测试大学"}, &out); err != nil {
		t.Fatalf("import draft: %v\n%s", err, out.String())
	}
	return dir
}

func TestReindexRebuildsTheEmbeddedIndex(t *testing.T) {
	dir := importedDataDir(t)
	var out strings.Builder
	if err := run(context.Background(), []string{"reindex", "--data-dir", dir}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "reindexed 3 published listings into bleve") {
		t.Fatalf("output %q", out.String())
	}
	db, err := (&config{DataDir: dir}).openStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e, err := bleve.Open(filepath.Join(dir, "search.bleve"), search.StoreSource{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	res, err := e.Search(context.Background(), search.Query{Text: "电池"})
	if err != nil {
		t.Fatal(err)
	}
	var ext []string
	for _, h := range res.Hits {
		ext = append(ext, h.ExternalID)
	}
	if strings.Join(ext, ",") != "A1" {
		t.Fatalf("电池 finds %v after reindex; want A1, never the draft D1", ext)
	}
	if n, err := e.Count(context.Background()); err != nil || n != 3 {
		t.Fatalf("count %d (%v), want the 3 published outcomes", n, err)
	}
}

// TestServeIndexesAndSearches runs the real serve over a data dir with
// imported outcomes: its indexer catches up, /readyz reports search and a
// cleared backlog, and the search API finds the outcomes.
func TestServeIndexesAndSearches(t *testing.T) {
	dir := importedDataDir(t)
	base := startServe(t, "--data-dir", dir)
	var ready map[string]any
	deadline := time.Now().Add(30 * time.Second)
	for {
		getJSON(t, base+"/readyz", &ready)
		if ready["search_backlog"] == 0.0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond) // /readyz has a rate class of its own
	}
	if ready["search_backlog"] != 0.0 || ready["search"] != "ok" || ready["search_indexer"] != "ok" {
		t.Fatalf("readyz %v; want search ok and no backlog", ready)
	}
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			ExternalID string `json:"external_id"`
		} `json:"hits"`
	}
	getJSON(t, base+"/api/v1/search?"+url.Values{"q": {"锂电池"}}.Encode(), &res)
	if res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].ExternalID != "A1" {
		t.Fatalf("锂电池 = %+v, want A1 only", res)
	}
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	res, err := apiHTTP(t, u).Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v: %s", u, err, b)
	}
}
