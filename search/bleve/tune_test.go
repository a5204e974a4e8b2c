package bleve

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"techbridge/search"
	"techbridge/search/relevance"
)

// TestTune is a scratch harness: TECHBRIDGE_EVAL_TUNE=set.jsonl and
// TECHBRIDGE_EVAL_RANKINGS='[{...},{...}]' (JSON search.Ranking list).
func TestTune(t *testing.T) {
	name := os.Getenv("TECHBRIDGE_EVAL_TUNE")
	if name == "" {
		t.Skip()
	}
	var rs []search.Ranking
	if err := json.Unmarshal([]byte(os.Getenv("TECHBRIDGE_EVAL_RANKINGS")), &rs); err != nil {
		t.Fatal(err)
	}
	opts := []analysisOptions{defaultAnalysis}
	if s := os.Getenv("TECHBRIDGE_EVAL_OPTS"); s != "" {
		opts = nil
		if err := json.Unmarshal([]byte(s), &opts); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range strings.Split(name, ",") {
		for _, opt := range opts {
			recs := readEvalSet(t, filepath.Join(os.Getenv("TECHBRIDGE_EVAL_DIR"), name))
			e := indexEvalSet(t, relevance.KeepOut(recs), opt)
			t.Logf("%+v", opt)
			for _, r := range rs {
				r := r
				rep, err := relevance.Run(t.Context(), recs, evalSearcher(&search.Service{Engine: e, Ranking: &r}, ""))
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s %+v %s", name, r, rep)
			}
		}
	}
}
