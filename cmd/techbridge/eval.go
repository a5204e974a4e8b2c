package main

import (
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

// bm25Reference holds the figures /work/shared/eval/README.md gives for
// classic BM25 on the public evaluation sets, printed beside ours.
var bm25Reference = map[string][2]float64{
	"csl_public.jsonl":   {0.1800, 0.4314},
	"cnpat_public.jsonl": {0.2483, 0.4431},
	"uspto_public.jsonl": {0.3007, 0.5037},
}

func runEval(ctx context.Context, args []string, stdout io.Writer) error {
	const usage = "usage: techbridge eval relevance --file F.jsonl"
	if len(args) == 0 || args[0] != "relevance" {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("eval relevance", flag.ContinueOnError)
	file := fs.String("file", "", "evaluation set: JSONL in the outcome import format plus label")
	keep := fs.Bool("keep", false, "keep the temporary data dir and print its path")
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	if *file == "" {
		return errors.New(usage)
	}
	f, err := os.Open(*file)
	if err != nil {
		return err
	}
	records, err := relevance.ReadJSONL(f)
	f.Close()
	if err != nil {
		return err
	}

	start := time.Now()
	ev, err := openEvalInstance(ctx, *file)
	if err != nil {
		return err
	}
	defer ev.close(*keep, stdout)
	fmt.Fprintf(stdout, "%s: %d records; import %s (%s), index %d documents (%s)\n", filepath.Base(*file), len(records),
		ev.imported, ev.importTime.Round(time.Millisecond), ev.indexed, ev.indexTime.Round(time.Millisecond))
	rep, err := relevance.Run(ctx, records, ev.search)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  techbridge (GET /api/v1/search): queries %d  P@10 %.4f  MRR@10 %.4f\n", rep.Queries, rep.P10, rep.MRR10)
	// The protocol leaves each query's own record in the index and only
	// drops it from the results, so the ranking's feedback pass can learn
	// from it (in cnpat and uspto its ipc equals its label). A buyer's real
	// query has no such twin: this second run keeps the record out of the
	// search itself, through the same search service the handler calls.
	noSelf, err := ev.searchWithoutSelf(ctx, records)
	if err != nil {
		return err
	}
	selfRep, err := relevance.Run(ctx, records, noSelf)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  own record kept out (diagnostic):  queries %d  P@10 %.4f  MRR@10 %.4f\n", selfRep.Queries, selfRep.P10, selfRep.MRR10)
	if ref, ok := bm25Reference[filepath.Base(*file)]; ok {
		fmt.Fprintf(stdout, "  BM25 reference (eval README):     queries %d  P@10 %.4f  MRR@10 %.4f\n", rep.Queries, ref[0], ref[1])
	} else {
		fmt.Fprintln(stdout, "  BM25 reference: none for this file (run bm25_reference.py on it)")
	}
	fmt.Fprintf(stdout, "  total %s\n", time.Since(start).Round(time.Millisecond))
	return nil
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

func openEvalInstance(ctx context.Context, file string) (_ *evalInstance, err error) {
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
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	start := time.Now()
	// The import reads the import format and ignores label, which is for
	// scoring only.
	ev.orgID = org.ID
	ev.imported, err = svc.ImportOutcomes(ctx, market.SystemActor, org.ID, f, market.ImportJSONL, market.ImportOptions{Publish: true})
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
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
	ev.indexed, ev.indexTime = st.Upserts, time.Since(start)

	tokens := &auth.Tokens{Key: auth.GenerateKey(), KV: kv.NewMemory()}
	if ev.api, err = api.New(api.Config{RateLimit: 1 << 30}, svc, tokens, kv.NewMemory(), log); err != nil {
		return nil, err
	}
	ev.api.Search = newSearchService(ev.engine)
	return ev, nil
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

// search sends text to GET /api/v1/search as a buyer would type it and
// returns the outcomes' external ids, best first.
func (ev *evalInstance) search(ctx context.Context, text string, limit int) ([]string, error) {
	q := url.Values{"q": {text}, "type": {search.KindOutcome}, "limit": {strconv.Itoa(limit)}}
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

// searchWithoutSelf answers protocol queries through the API's search
// service with the query's own record excluded from every ranking pass.
func (ev *evalInstance) searchWithoutSelf(ctx context.Context, records []relevance.Record) (relevance.SearchFunc, error) {
	self := map[string]string{} // query text -> document id of its record
	err := ev.db.View(ctx, func(tx market.Tx) error {
		for _, i := range relevance.QueryIndexes(len(records)) {
			o, err := tx.OutcomeByExternalID(ev.orgID, records[i].ExternalID)
			if err != nil {
				return fmt.Errorf("query record %s: %w", records[i].ExternalID, err)
			}
			self[records[i].Title] = o.ID
		}
		return nil
	})
	return func(ctx context.Context, text string, limit int) ([]string, error) {
		q := search.Query{Text: text, Kinds: []string{search.KindOutcome}, Limit: limit, ExcludeIDs: []string{self[text]}}
		res, err := ev.api.Search.Search(ctx, q)
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ExternalID
		}
		return ids, nil
	}, err
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
