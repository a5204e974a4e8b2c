package bleve

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"techbridge/market"
	"techbridge/search"
	"techbridge/search/relevance"
)

// TestPublicEval runs the relevance protocols of the shared evaluation
// README on the public sets, which stay outside the repository:
//
//	TECHBRIDGE_EVAL_DIR=/work/shared/eval go test -run TestPublicEval -v ./search/bleve/
//
// v2 (the one that counts): each set minus its query records is indexed,
// and the ranking pipeline must reach the goal over BM25
// (relevance.FloorsV2: P@10 ≥ 1.3× and MRR@10 above). X: both patent sets minus their query records in
// one index; Chinese titles search lang=en, English titles lang=zh, and P@10
// must reach 0.6× the monolingual BM25 reference. The engine alone (field-
// weighted BM25) is logged beside the pipeline; v1 (the query's twin in the
// index) is logged too when TECHBRIDGE_EVAL_V1 is set.
// Subtests run one at a time: -run 'TestPublicEval/v2/csl' or
// -run 'TestPublicEval/X'.
func TestPublicEval(t *testing.T) {
	dir := os.Getenv("TECHBRIDGE_EVAL_DIR")
	if dir == "" {
		t.Skip("TECHBRIDGE_EVAL_DIR not set: the evaluation sets are not in the repository")
	}
	t.Run("v2", func(t *testing.T) {
		for _, name := range []string{"csl_public.jsonl", "cnpat_public.jsonl", "uspto_public.jsonl"} {
			t.Run(name, func(t *testing.T) {
				recs := readEvalSet(t, filepath.Join(dir, name))
				e := indexEvalSet(t, relevance.KeepOut(recs), defaultAnalysis)
				svc := &search.Service{Engine: e}
				g := relevance.GoalsV2[name]
				for _, run := range []struct {
					name string
					s    relevance.SearchFunc
				}{
					{"engine", evalSearcher(e, "")},
					{"pipeline", evalSearcher(svc, "")},
				} {
					rep, err := relevance.Run(t.Context(), recs, run.s)
					if err != nil {
						t.Fatal(err)
					}
					t.Logf("v2 %s %-9s %s  (%.2f× BM25 P@10 %.4f, MRR@10 %.4f)", name, run.name, rep, rep.P10/g.P10, g.P10, g.MRR10)
					if run.name == "pipeline" {
						if err := relevance.FloorsV2[name].Check(rep); err != nil {
							t.Errorf("v2 %s below its floor: %v", name, err)
						}
					}
				}
			})
		}
	})
	t.Run("v1", func(t *testing.T) {
		if os.Getenv("TECHBRIDGE_EVAL_V1") == "" {
			t.Skip("TECHBRIDGE_EVAL_V1 not set: v1 is a secondary figure")
		}
		for _, name := range []string{"csl_public.jsonl", "cnpat_public.jsonl", "uspto_public.jsonl"} {
			t.Run(name, func(t *testing.T) {
				recs := readEvalSet(t, filepath.Join(dir, name))
				e := indexEvalSet(t, recs, defaultAnalysis)
				rep, err := relevance.Run(t.Context(), recs, evalSearcher(&search.Service{Engine: e}, ""))
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("v1 %s pipeline %s", name, rep)
			})
		}
	})
	t.Run("X", func(t *testing.T) {
		cn := readEvalSet(t, filepath.Join(dir, "cnpat_public.jsonl"))
		us := readEvalSet(t, filepath.Join(dir, "uspto_public.jsonl"))
		cnCorpus, usCorpus := relevance.KeepOut(cn), relevance.KeepOut(us)
		e := indexEvalSet(t, append(append([]relevance.Record(nil), cnCorpus...), usCorpus...), defaultAnalysis)
		svc := &search.Service{Engine: e}
		for _, dir := range []struct {
			name    string
			queries []relevance.Record
			corpus  []relevance.Record
			lang    string
		}{
			{"zh-en", relevance.QueryRecords(cn), usCorpus, "en"},
			{"en-zh", relevance.QueryRecords(us), cnCorpus, "zh"},
		} {
			t.Run(dir.name, func(t *testing.T) {
				g := relevance.GoalsX[dir.name]
				for _, run := range []struct {
					name string
					s    relevance.SearchFunc
				}{
					{"engine", evalSearcher(e, dir.lang)},
					{"pipeline", evalSearcher(svc, dir.lang)},
				} {
					rep, err := relevance.RunQueries(t.Context(), dir.queries, dir.corpus, run.s)
					if err != nil {
						t.Fatal(err)
					}
					t.Logf("X %s %-9s %s  (goal P@10 ≥ %.4f)", dir.name, run.name, rep, g.Factor*g.P10)
					if run.name == "pipeline" {
						if err := g.Check(rep); err != nil {
							t.Errorf("X %s: %v", dir.name, err)
						}
					}
				}
			})
		}
	})
}

func readEvalSet(t testing.TB, path string) []relevance.Record {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := relevance.ReadJSONL(f)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// evalDocuments maps records as the outcome import does: title, summary,
// keywords and IPC codes; the label is never indexed.
func evalDocuments(recs []relevance.Record) []search.Document {
	docs := make([]search.Document, len(recs))
	for i, r := range recs {
		docs[i] = search.Document{
			ID: r.ExternalID, ExternalID: r.ExternalID, Kind: search.KindOutcome,
			OrgID: "org-eval", OrgKind: "university",
			Title: r.Title, Summary: r.Summary, Keywords: r.Keywords, IPC: r.IPC, Version: 1,
			Field: market.FieldFromIPC(r.IPC), // as the import derives it
		}
		docs[i].Langs = search.Languages(docs[i])
	}
	return docs
}

// indexEvalSet indexes records on disk, as TechBridge runs: a memory-only
// Bleve index is another index type (upsidedown) that scores differently
// from the disk one (scorch's BM25) — csl P@10 0.185 in memory against
// 0.173 on disk and through the API — so only the disk index measures what
// ships.
func indexEvalSet(t testing.TB, recs []relevance.Record, opt analysisOptions) *Engine {
	docs := evalDocuments(recs)
	e, err := openWith(filepath.Join(t.TempDir(), "idx"), sourceOf(docs...), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	for i := 0; i < len(docs); i += 1000 {
		if err := e.Upsert(context.Background(), docs[i:min(i+1000, len(docs))]...); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.RebuildLatent(context.Background()); err != nil { // what a server does in the background meanwhile
		t.Fatal(err)
	}
	return e
}

type searcher interface {
	Search(context.Context, search.Query) (search.Result, error)
}

// evalSearcher answers protocol queries as a buyer's free text, in lang
// when set.
func evalSearcher(s searcher, lang string) relevance.SearchFunc {
	return func(ctx context.Context, text string, limit int) ([]string, error) {
		q := search.Query{Text: text, Kinds: []string{search.KindOutcome}, Limit: limit, Lang: lang}
		res, err := s.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ExternalID
		}
		return ids, nil
	}
}
