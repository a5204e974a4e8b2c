package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// evalSet is a tiny hand-made evaluation set: two battery outcomes and two
// robot outcomes, labelled by topic. Every query's one other same-topic
// record should come first, so P@10 is 1/10 and MRR@10 is 1. The label
// words appear in no text, so finding them would mean labels were indexed.
const evalSet = `{"external_id":"b1","title":"锂电池正极材料","summary":"高镍三元锂电池正极","keywords":["锂电池"],"label":["topicbattery"]}
{"external_id":"b2","title":"锂电池负极材料","summary":"硅碳负极提升锂电池容量","label":["topicbattery"]}

{"external_id":"r1","title":"industrial robot calibration","summary":"hand-eye calibration of a robot arm","ipc":["B25J 9/16"],"label":["topicrobot"]}
{"external_id":"r2","title":"robot arm calibration method","summary":"vision guided industrial robot","label":["topicrobot"]}
`

func writeEvalSet(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tiny.jsonl")
	if err := os.WriteFile(path, []byte(evalSet), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEvalRelevanceOnATinySet(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"eval", "relevance", "--file", writeEvalSet(t), "--v1"}, &out); err != nil {
		t.Fatal(err)
	}
	// With 4 records every record is a query, so v2 imports none; v1 finds
	// each query's one other same-topic record first.
	for _, want := range []string{"4 records", "created 0", "index 0 documents", "queries 4  P@10 0.0000",
		"BM25 reference: none", "v1 (query's twin imported, secondary): P@10 0.1000  MRR@10 1.0000"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestEvalV2KeepsQueryRecordsOut runs protocol v2 on 600 records of 300
// topics, two records each: the queries (records 0, 2, 4, …) are not
// imported, so each finds its topic's other record first, and the command
// prints what it imported.
func TestEvalV2KeepsQueryRecordsOut(t *testing.T) {
	var b strings.Builder
	for i := range 300 {
		fmt.Fprintf(&b, `{"external_id":"q%d","title":"topic%d query%d","label":["t%d"]}`+"\n", i, i, i, i)
		fmt.Fprintf(&b, `{"external_id":"c%d","title":"topic%d corpus%d","label":["t%d"]}`+"\n", i, i, i, i)
	}
	path := filepath.Join(t.TempDir(), "pairs.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(context.Background(), []string{"eval", "relevance", "--file", path}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"600 records", "created 300", "index 300 documents", "queries 300  P@10 0.1000  MRR@10 1.0000"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestEvalInstanceSearchesThroughTheAPI checks the instance the command
// measures: labels are not indexed, and queries answer through the API.
func TestEvalInstanceSearchesThroughTheAPI(t *testing.T) {
	ctx := context.Background()
	recs, err := readEvalFile(writeEvalSet(t))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := openEvalInstance(ctx, recs)
	if err != nil {
		t.Fatal(err)
	}
	defer ev.close(false, nil)
	if ids, err := ev.search(ctx, "topicbattery", "", 10); err != nil || len(ids) != 0 {
		t.Fatalf("label word finds %v (%v): labels must not be imported", ids, err)
	}
	ids, err := ev.search(ctx, "电池", "", 10)
	if err != nil || len(ids) != 2 || !strings.HasPrefix(ids[0], "b") || !strings.HasPrefix(ids[1], "b") {
		t.Fatalf("电池 finds %v (%v), want b1 and b2", ids, err)
	}
	if _, err := os.Stat(ev.dir); err != nil {
		t.Fatalf("instance data dir: %v", err)
	}
}
