package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"techbridge/api"
	"techbridge/api/auth"
	"techbridge/api/kv"
	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/search"
	"techbridge/search/bleve"
	"techbridge/search/relevance"
)

func runEval(ctx context.Context, args []string, stdout io.Writer) error {
	const usage = "usage: techbridge eval relevance (--dir DIR | --file F.jsonl [--v1] | --cross ZH.jsonl,EN.jsonl)"
	if len(args) == 0 || args[0] != "relevance" {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("eval relevance", flag.ContinueOnError)
	dir := fs.String("dir", "", "evaluation dir: protocol v2 on csl, cnpat and uspto, and protocol X on cnpat and uspto, against the goals")
	file := fs.String("file", "", "one evaluation set (JSONL in the outcome import format plus label): protocol v2")
	v1 := fs.Bool("v1", false, "with --file, also protocol v1 (the query records imported too), a secondary figure")
	cross := fs.String("cross", "", "protocol X on a Chinese and an English set, comma-separated")
	keep := fs.Bool("keep", false, "keep the temporary data dirs and print their paths")
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	var missed []string
	check := func(what string, g relevance.Goal, ok bool, rep relevance.Report) {
		if !ok {
			return
		}
		if err := g.Check(rep); err != nil {
			missed = append(missed, what+": "+err.Error())
			fmt.Fprintf(stdout, "  goal missed: %v\n", err)
		} else {
			fmt.Fprintln(stdout, "  goal met")
		}
	}
	sets := []string{}
	switch {
	case *dir != "":
		for _, n := range []string{"csl_public.jsonl", "cnpat_public.jsonl", "uspto_public.jsonl"} {
			sets = append(sets, filepath.Join(*dir, n))
		}
		*cross = filepath.Join(*dir, "cnpat_public.jsonl") + "," + filepath.Join(*dir, "uspto_public.jsonl")
	case *file != "":
		sets = append(sets, *file)
	case *cross == "":
		return errors.New(usage)
	}
	for _, path := range sets {
		name := filepath.Base(path)
		records, err := readEvalFile(path)
		if err != nil {
			return err
		}
		rep, err := evalV2(ctx, name, records, *keep, stdout)
		if err != nil {
			return err
		}
		g, ok := relevance.GoalsV2[name]
		if ok {
			fmt.Fprintf(stdout, "  BM25 v2 reference (eval README):   P@10 %.4f  MRR@10 %.4f  → %.2f× P@10\n", g.P10, g.MRR10, rep.P10/g.P10)
		} else {
			fmt.Fprintln(stdout, "  BM25 reference: none for this file (run bm25_reference.py --keep-out on it)")
		}
		check("v2 "+name, g, ok, rep)
		if *v1 {
			if err := evalV1(ctx, name, records, *keep, stdout); err != nil {
				return err
			}
		}
	}
	if *cross != "" {
		zh, en, ok := strings.Cut(*cross, ",")
		if !ok {
			return errors.New("--cross takes two files: ZH.jsonl,EN.jsonl")
		}
		reps, err := evalX(ctx, zh, en, *keep, stdout)
		if err != nil {
			return err
		}
		for _, d := range []string{"zh-en", "en-zh"} {
			g := relevance.GoalsX[d]
			fmt.Fprintf(stdout, "  X %s: goal P@10 ≥ %.2f × %.4f (monolingual BM25 on the target corpus)\n", d, g.Factor, g.P10)
			check("X "+d, g, true, reps[d])
		}
	}
	if len(missed) > 0 {
		return fmt.Errorf("relevance goals missed: %s", strings.Join(missed, "; "))
	}
	return nil
}

func readEvalFile(path string) ([]relevance.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return relevance.ReadJSONL(f)
}

// evalV2 runs protocol v2: the set minus its query records is imported,
// and the query titles are searched through GET /api/v1/search.
func evalV2(ctx context.Context, name string, records []relevance.Record, keep bool, stdout io.Writer) (relevance.Report, error) {
	start := time.Now()
	ev, err := openEvalInstance(ctx, relevance.KeepOut(records))
	if err != nil {
		return relevance.Report{}, err
	}
	defer ev.close(keep, stdout)
	fmt.Fprintf(stdout, "%s, protocol v2 (query records not imported): %d records; import %s (%s), index %d documents (%s)\n",
		name, len(records), ev.imported, ev.importTime.Round(time.Millisecond), ev.indexed, ev.indexTime.Round(time.Millisecond))
	rep, err := relevance.Run(ctx, records, ev.searcher(""))
	if err != nil {
		return relevance.Report{}, err
	}
	fmt.Fprintf(stdout, "  techbridge (GET /api/v1/search):   queries %d  P@10 %.4f  MRR@10 %.4f  (%s)\n",
		rep.Queries, rep.P10, rep.MRR10, time.Since(start).Round(time.Millisecond))
	return rep, nil
}

// evalV1 runs protocol v1, a secondary figure: every record is imported and
// each query's own record is only dropped from its results.
func evalV1(ctx context.Context, name string, records []relevance.Record, keep bool, stdout io.Writer) error {
	ev, err := openEvalInstance(ctx, records)
	if err != nil {
		return err
	}
	defer ev.close(keep, stdout)
	rep, err := relevance.Run(ctx, records, ev.searcher(""))
	if err != nil {
		return err
	}
	ref := relevance.BM25V1[name]
	fmt.Fprintf(stdout, "  v1 (query's twin imported, secondary): P@10 %.4f  MRR@10 %.4f  (BM25 v1 %.4f / %.4f)\n", rep.P10, rep.MRR10, ref[0], ref[1])
	return nil
}

// evalX runs protocol X: both sets minus their query records in one
// market; Chinese titles search lang=en, English titles lang=zh.
func evalX(ctx context.Context, zhPath, enPath string, keep bool, stdout io.Writer) (map[string]relevance.Report, error) {
	zh, err := readEvalFile(zhPath)
	if err != nil {
		return nil, err
	}
	en, err := readEvalFile(enPath)
	if err != nil {
		return nil, err
	}
	zhCorpus, enCorpus := relevance.KeepOut(zh), relevance.KeepOut(en)
	ev, err := openEvalInstance(ctx, append(append([]relevance.Record(nil), zhCorpus...), enCorpus...))
	if err != nil {
		return nil, err
	}
	defer ev.close(keep, stdout)
	fmt.Fprintf(stdout, "protocol X (%s + %s, query records not imported): import %s, index %d documents\n",
		filepath.Base(zhPath), filepath.Base(enPath), ev.imported, ev.indexed)
	out := map[string]relevance.Report{}
	for _, d := range []struct {
		name            string
		queries, corpus []relevance.Record
		lang            string
	}{
		{"zh-en", relevance.QueryRecords(zh), enCorpus, market.LangEN},
		{"en-zh", relevance.QueryRecords(en), zhCorpus, market.LangZH},
	} {
		rep, err := relevance.RunQueries(ctx, d.queries, d.corpus, ev.searcher(d.lang))
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(stdout, "  X %s (GET /api/v1/search?lang=%s): queries %d  P@10 %.4f  MRR@10 %.4f\n", d.name, d.lang, rep.Queries, rep.P10, rep.MRR10)
		out[d.name] = rep
	}
	return out, nil
}

// evalInstance is a throwaway embedded TechBridge: SQLite and Bleve in a
// temporary data dir, with the evaluation set imported as published
// outcomes of one organisation and indexed by the real indexer. Queries go
// through the real API handler, exactly as a buyer's search would.
type evalInstance struct {
	dir        string
	orgID      string
	db         *sqlstore.DB
	engine     search.Engine
	api        *api.Server
	imported   market.ImportReport
	importTime time.Duration
	indexed    int
	indexTime  time.Duration
}

func openEvalInstance(ctx context.Context, records []relevance.Record) (_ *evalInstance, err error) {
	dir, err := os.MkdirTemp("", "techbridge-eval-")
	if err != nil {
		return nil, err
	}
	ev := &evalInstance{dir: dir}
	defer func() {
		if err != nil {
			ev.close(false, io.Discard)
		}
	}()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := config{DataDir: dir}
	if ev.db, err = c.openStore(ctx); err != nil {
		return nil, err
	}
	svc := market.NewService(ev.db)
	svc.Log = log
	org, err := evalOrganization(ctx, ev.db)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	ev.orgID = org.ID
	if ev.imported, err = importRecords(ctx, svc, org.ID, records); err != nil {
		return nil, err
	}
	ev.importTime = time.Since(start)

	if ev.engine, err = bleve.Open(filepath.Join(dir, "search.bleve"), search.StoreSource{Store: ev.db}); err != nil {
		return nil, err
	}
	start = time.Now()
	ix := &search.Indexer{Store: ev.db, Engine: ev.engine, Log: log}
	st, err := ix.CatchUp(ctx)
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	// The evaluation queries at once: the latent model is computed now.
	if _, err := buildLatent(ctx, ev.engine); err != nil {
		return nil, err
	}
	ev.indexed, ev.indexTime = st.Upserts, time.Since(start)

	tokens := &auth.Tokens{Key: auth.GenerateKey(), KV: kv.NewMemory()}
	// One loopback client sends every query: the per-client limits,
	// including the search class, would measure the limiter, not search.
	if ev.api, err = api.New(api.Config{RateLimit: 1 << 30, Rates: api.RateLimits{Match: 1 << 30}}, svc, tokens, kv.NewMemory(), log); err != nil {
		return nil, err
	}
	ev.api.Search = newSearchService(ev.engine)
	return ev, nil
}

// importRecords imports evaluation records as published outcomes of the
// organisation orgID, through the import path, without their labels
// (which are for scoring only).
func importRecords(ctx context.Context, svc *market.Service, orgID string, records []relevance.Record) (market.ImportReport, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, r := range records {
		r.Label = nil
		if err := enc.Encode(r); err != nil {
			return market.ImportReport{}, err
		}
	}
	rep, err := svc.ImportOutcomes(ctx, market.SystemActor, orgID, &buf, market.ImportJSONL, market.ImportOptions{Publish: true})
	if err != nil {
		return rep, fmt.Errorf("import: %w", err)
	}
	return rep, nil
}

// evalOrganization creates the one verified university the set is
// imported into.
func evalOrganization(ctx context.Context, db *sqlstore.DB) (*market.Organization, error) {
	now := time.Now().UTC()
	body := "12310000MB0E00001"
	org := &market.Organization{ID: market.NewID(), Kind: market.OrgUniversity, NameZH: "评测大学", NameEN: "Evaluation University",
		CreditCode: body + string(market.CreditCodeCheckChar(body)), Verification: market.VerificationVerified,
		CreatedAt: now, UpdatedAt: now, Version: 1}
	err := db.Update(ctx, func(tx market.Tx) error { return tx.CreateOrganization(org) })
	return org, err
}

// searcher sends text to GET /api/v1/search as a buyer would type it,
// with lang when set, and returns the outcomes' external ids, best first.
func (ev *evalInstance) searcher(lang string) relevance.SearchFunc {
	return func(ctx context.Context, text string, limit int) ([]string, error) {
		return ev.search(ctx, text, lang, limit)
	}
}

func (ev *evalInstance) search(ctx context.Context, text, lang string, limit int) ([]string, error) {
	q := url.Values{"q": {text}, "type": {search.KindOutcome}, "limit": {strconv.Itoa(limit)}}
	if lang != "" {
		q.Set("lang", lang)
	}
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/api/v1/search?"+q.Encode(), nil)
	req.RemoteAddr = "127.0.0.1:1"
	w := httptest.NewRecorder()
	ev.api.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		return nil, fmt.Errorf("search %q: status %d: %s", text, w.Code, w.Body)
	}
	var res struct {
		Hits []struct {
			ExternalID string `json:"external_id"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ExternalID
	}
	return ids, nil
}

func (ev *evalInstance) close(keep bool, stdout io.Writer) {
	if ev.engine != nil {
		ev.engine.Close()
	}
	if ev.db != nil {
		ev.db.Close()
	}
	if keep {
		fmt.Fprintln(stdout, "  data dir kept:", ev.dir)
		return
	}
	os.RemoveAll(ev.dir)
}

// buildLatent computes the engine's latent model (search/latent.go) now,
// when the engine keeps one, and says how long it took. A server computes
// it in the background once writes settle (ten seconds after them, one
// core for seconds at 100,000 listings); a bench or an evaluation that
// queried meanwhile would measure that build beside its queries, or rank
// without the model.
func buildLatent(ctx context.Context, e search.Engine) (time.Duration, error) {
	lr, ok := e.(interface{ RebuildLatent(context.Context) error })
	if !ok {
		return 0, nil
	}
	start := time.Now()
	err := lr.RebuildLatent(ctx)
	return time.Since(start), err
}
