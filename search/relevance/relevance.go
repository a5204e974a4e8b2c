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

// Run runs the protocol over records, which must all be indexed behind
// search. Results with an external id not among records count as not
// relevant.
func Run(ctx context.Context, records []Record, search SearchFunc) (Report, error) {
	byID := make(map[string]int, len(records))
	for i, r := range records {
		byID[r.ExternalID] = i
	}
	rep := Report{Records: len(records)}
	var p10, mrr float64
	for _, qi := range QueryIndexes(len(records)) {
		if err := ctx.Err(); err != nil {
			return Report{}, err
		}
		q := records[qi]
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
			if i, ok := byID[id]; ok && sharesLabel(labels, records[i].Label) {
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
