// Package relevance runs the relevance evaluation protocol of the shared
// evaluation sets: every k-th record's title is sent as a query, the first
// ten results other than the record itself are judged relevant when they
// share a label with it, and P@10 and MRR@10 are reported. The CLI
// (techbridge eval relevance) and the ranking tuning use this same code.
package relevance

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
)

// Protocol constants.
const (
	Queries = 300 // queries per set: records 0, k, 2k, … with k = N / Queries
	Depth   = 10  // results judged per query
)

// Record is one line of an evaluation set, in the outcome import format plus
// Label, which is for scoring only and must never be indexed.
type Record struct {
	ExternalID string   `json:"external_id"`
	Title      string   `json:"title"`
	Summary    string   `json:"summary,omitempty"`
	Keywords   []string `json:"keywords,omitempty"`
	IPC        []string `json:"ipc,omitempty"`
	Label      []string `json:"label,omitempty"`
}

// ReadJSONL reads one record per non-empty line.
func ReadJSONL(r io.Reader) ([]Record, error) {
	var out []Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		if len(trimSpace(b)) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("relevance: line %d: %w", line, err)
		}
		if rec.ExternalID == "" {
			return nil, fmt.Errorf("relevance: line %d: no external_id", line)
		}
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("relevance: %w", err)
	}
	return out, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// SearchFunc answers a free-text query with the external ids of the best
// results, best first. limit leaves room for the query's own record.
type SearchFunc func(ctx context.Context, text string, limit int) ([]string, error)

// Report holds the figures of one run.
type Report struct {
	Records int     `json:"records"`
	Queries int     `json:"queries"`
	P10     float64 `json:"p_at_10"`
	MRR10   float64 `json:"mrr_at_10"`
}

func (r Report) String() string {
	return fmt.Sprintf("records=%d queries=%d P@10=%.4f MRR@10=%.4f", r.Records, r.Queries, r.P10, r.MRR10)
}

// QueryIndexes returns the records used as queries: 0, k, 2k, … with
// k = max(1, n/Queries), at most Queries of them.
func QueryIndexes(n int) []int {
	k := max(1, n/Queries)
	var out []int
	for i := 0; i < n && len(out) < Queries; i += k {
		out = append(out, i)
	}
	return out
}

// KeepOut returns the corpus of protocol v2: records without the query
// records, which a v2 index must not hold at all (a buyer's demand has no
// twin in the market, and a ranking that learns from its first hits would
// learn from the twin's classes).
func KeepOut(records []Record) []Record {
	q := map[int]bool{}
	for _, i := range QueryIndexes(len(records)) {
		q[i] = true
	}
	out := make([]Record, 0, len(records)-len(q))
	for i, r := range records {
		if !q[i] {
			out = append(out, r)
		}
	}
	return out
}

// QueryRecords returns the records whose titles are the protocol's queries.
func QueryRecords(records []Record) []Record {
	idx := QueryIndexes(len(records))
	out := make([]Record, len(idx))
	for i, j := range idx {
		out[i] = records[j]
	}
	return out
}

// Run runs the protocol over records, which must all be indexed behind
// search (v1), or all but the query records (v2, see KeepOut). Results
// with an external id not among records count as not relevant.
func Run(ctx context.Context, records []Record, search SearchFunc) (Report, error) {
	rep, err := RunQueries(ctx, QueryRecords(records), records, search)
	rep.Records = len(records)
	return rep, err
}

// RunQueries sends the titles of queries to search and judges the results
// against corpus: a hit is relevant when its corpus record shares a label
// with the query's. Protocol X uses it with queries of one language and
// the corpus of the other.
func RunQueries(ctx context.Context, queries, corpus []Record, search SearchFunc) (Report, error) {
	byID := make(map[string]int, len(corpus))
	for i, r := range corpus {
		byID[r.ExternalID] = i
	}
	rep := Report{Records: len(corpus)}
	var p10, mrr float64
	for qi, q := range queries {
		if err := ctx.Err(); err != nil {
			return Report{}, err
		}
		got, err := search(ctx, q.Title, Depth+1)
		if err != nil {
			return Report{}, fmt.Errorf("relevance: query %d (%s): %w", qi, q.ExternalID, err)
		}
		labels := make(map[string]bool, len(q.Label))
		for _, l := range q.Label {
			labels[l] = true
		}
		rank, relevant, first := 0, 0, 0
		for _, id := range got {
			if id == q.ExternalID {
				continue
			}
			if rank++; rank > Depth {
				break
			}
			if i, ok := byID[id]; ok && sharesLabel(labels, corpus[i].Label) {
				relevant++
				if first == 0 {
					first = rank
				}
			}
		}
		p10 += float64(relevant) / Depth
		if first > 0 {
			mrr += 1 / float64(first)
		}
		rep.Queries++
	}
	if rep.Queries > 0 {
		rep.P10 = p10 / float64(rep.Queries)
		rep.MRR10 = mrr / float64(rep.Queries)
	}
	return rep, nil
}

func sharesLabel(labels map[string]bool, other []string) bool {
	for _, l := range other {
		if labels[l] {
			return true
		}
	}
	return false
}

// Goal is what a run must reach: P@10 at least Factor × P10, and MRR@10
// above MRR10 when MRR10 is set.
type Goal struct {
	P10, MRR10, Factor float64
}

// Check returns an error naming what rep misses of the goal.
func (g Goal) Check(rep Report) error {
	if rep.P10 < g.Factor*g.P10 {
		return fmt.Errorf("P@10 %.4f below the goal %.2f × %.4f = %.4f", rep.P10, g.Factor, g.P10, g.Factor*g.P10)
	}
	if g.MRR10 > 0 && rep.MRR10 <= g.MRR10 {
		return fmt.Errorf("MRR@10 %.4f not above the reference %.4f", rep.MRR10, g.MRR10)
	}
	return nil
}

// GoalsV2 are the goals under protocol v2: P@10 ≥ 1.3× classic BM25
// and MRR@10 above it, with the BM25 figures of the evaluation README
// (bm25_reference.py --keep-out) on the public sets.
var GoalsV2 = map[string]Goal{
	"csl_public.jsonl":   {P10: 0.1547, MRR10: 0.4126, Factor: 1.3},
	"cnpat_public.jsonl": {P10: 0.2480, MRR10: 0.4503, Factor: 1.3},
	"uspto_public.jsonl": {P10: 0.2967, MRR10: 0.5013, Factor: 1.3},
}

// FloorsV2 are what TestPublicEval holds the ranking to under protocol v2:
// the goal on every set (csl reaches it with the latent pass,
// search/latent.go: P@10 0.2090, 1.35×, MRR@10 0.4584; the same in
// every run, as csl is indexed in one batch).
var FloorsV2 = map[string]Goal{
	"csl_public.jsonl":   GoalsV2["csl_public.jsonl"],
	"cnpat_public.jsonl": GoalsV2["cnpat_public.jsonl"],
	"uspto_public.jsonl": GoalsV2["uspto_public.jsonl"],
}

// BM25V1 are the README's BM25 figures under protocol v1 (P@10, MRR@10),
// printed beside the secondary v1 figure.
var BM25V1 = map[string][2]float64{
	"csl_public.jsonl":   {0.1800, 0.4314},
	"cnpat_public.jsonl": {0.2483, 0.4431},
	"uspto_public.jsonl": {0.3007, 0.5037},
}

// GoalsX are the goals under protocol X, by direction: P@10 ≥ 0.6×
// the monolingual BM25 reference on the target corpus (crosslingual_reference.py).
var GoalsX = map[string]Goal{
	"zh-en": {P10: 0.2967, Factor: 0.6},
	"en-zh": {P10: 0.2480, Factor: 0.6},
}
