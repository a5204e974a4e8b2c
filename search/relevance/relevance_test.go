package relevance

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestQueryIndexes(t *testing.T) {
	cases := []struct {
		n     int
		count int
		first []int
		last  int
	}{
		{0, 0, nil, -1},
		{5, 5, []int{0, 1, 2}, 4},
		{300, 300, []int{0, 1}, 299},
		{997, 300, []int{0, 3, 6}, 897},     // k = 3
		{5876, 300, []int{0, 19, 38}, 5681}, // k = 19
		{601, 300, []int{0, 2, 4}, 598},     // k = 2, capped at 300
	}
	for _, c := range cases {
		got := QueryIndexes(c.n)
		if len(got) != c.count {
			t.Errorf("n=%d: %d queries, want %d", c.n, len(got), c.count)
			continue
		}
		if c.count > 0 && (!slices.Equal(got[:len(c.first)], c.first) || got[len(got)-1] != c.last) {
			t.Errorf("n=%d: got %v…%d, want %v…%d", c.n, got[:len(c.first)], got[len(got)-1], c.first, c.last)
		}
	}
}

const sample = `{"external_id":"a","title":"alpha","label":["x"]}
{"external_id":"b","title":"beta","summary":"s","keywords":["k1"],"ipc":["H01M"],"label":["x","y"]}

{"external_id":"c","title":"gamma","label":["z"]}
`

func TestReadJSONL(t *testing.T) {
	recs, err := ReadJSONL(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 3 || recs[1].Summary != "s" || recs[1].Keywords[0] != "k1" || recs[1].IPC[0] != "H01M" || len(recs[1].Label) != 2 {
		t.Fatalf("got %+v", recs)
	}
	if _, err := ReadJSONL(strings.NewReader(`{"external_id":"a"}` + "\n{bad\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad line: err %v, want one naming line 2", err)
	}
	if _, err := ReadJSONL(strings.NewReader(`{"title":"no id"}`)); err == nil {
		t.Errorf("record without external_id accepted")
	}
}

func TestRun(t *testing.T) {
	recs, _ := ReadJSONL(strings.NewReader(sample))
	// Query a (label x): its own id first (skipped), then c (z, not relevant), then b (x).
	// Query b (labels x,y): a relevant at rank 1, then an unknown id.
	// Query c (z): nothing relevant.
	answers := map[string][]string{
		"alpha": {"a", "c", "b"},
		"beta":  {"a", "zzz", "b"},
		"gamma": {"c", "a", "b"},
	}
	var limits []int
	rep, err := Run(context.Background(), recs, func(_ context.Context, text string, limit int) ([]string, error) {
		limits = append(limits, limit)
		return answers[text], nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Queries != 3 || rep.Records != 3 {
		t.Fatalf("report %+v", rep)
	}
	wantP := (1.0/10 + 1.0/10 + 0) / 3
	wantMRR := (1.0/2 + 1.0 + 0) / 3
	if math.Abs(rep.P10-wantP) > 1e-12 || math.Abs(rep.MRR10-wantMRR) > 1e-12 {
		t.Errorf("P@10=%v MRR@10=%v, want %v %v", rep.P10, rep.MRR10, wantP, wantMRR)
	}
	if !slices.Equal(limits, []int{11, 11, 11}) {
		t.Errorf("limits %v, want 11 each (10 + the query's own record)", limits)
	}
}

func TestRunCutsAtTen(t *testing.T) {
	var recs []Record
	for i := range 12 {
		recs = append(recs, Record{ExternalID: string(rune('a' + i)), Title: "t", Label: []string{"x"}})
	}
	all := make([]string, 0, len(recs))
	for _, r := range recs {
		all = append(all, r.ExternalID)
	}
	rep, err := Run(context.Background(), recs, func(context.Context, string, int) ([]string, error) { return all, nil })
	if err != nil {
		t.Fatal(err)
	}
	// Every record is relevant to every other: P@10 is exactly 1, not 11/10.
	if rep.P10 != 1 || rep.MRR10 != 1 {
		t.Errorf("P@10=%v MRR@10=%v, want 1 1", rep.P10, rep.MRR10)
	}
}
