package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"techbridge/api"
	"techbridge/api/auth"
	"techbridge/api/kv"
	"techbridge/market"
	"techbridge/search"
	"techbridge/search/bleve"
	"techbridge/search/relevance"
)

// bench search measures the search path end to end on a throwaway embedded
// instance and prints each figure next to its baseline from the same run:
// indexing through the indexer against a bare engine batch, queries over
// HTTP against the bare engine, publish-to-searchable under query load,
// resident memory and index size against the source text.

func runBench(ctx context.Context, args []string, stdout io.Writer) error {
	const usage = "usage: techbridge bench search [--n 100000] [--queries 200] [--publishes 100] | bench api [--n 100000] [--postgres URL] | bench stats [--n 100000] [--deals 20000]"
	if len(args) > 0 && args[0] == "api" {
		return runBenchAPI(ctx, args[1:], stdout)
	}
	if len(args) > 0 && args[0] == "stats" {
		return runBenchStats(ctx, args[1:], stdout)
	}
	if len(args) == 0 || args[0] != "search" {
		return errors.New(usage)
	}
	fset := flag.NewFlagSet("bench search", flag.ContinueOnError)
	n := fset.Int("n", 100000, "synthetic listings to seed")
	queries := fset.Int("queries", 200, "queries per kind")
	publishes := fset.Int("publishes", 100, "publishes timed to searchable")
	load := fset.Int("load", 2, "concurrent HTTP searchers during the publishes")
	seed := fset.Uint64("seed", 1, "random seed of the synthetic listings")
	profile := fset.String("cpuprofile", "", "write a CPU profile of the query phase to this file")
	evalDir := fset.String("eval", os.Getenv("TECHBRIDGE_EVAL_DIR"), "evaluation sets (see /work/shared/eval) to time one-term queries on real text; empty skips it (TECHBRIDGE_EVAL_DIR)")
	realOnly := fset.Bool("real-only", false, "time the real-text queries only, without the synthetic listings (--cpuprofile then profiles them)")
	if err := parse(fset, args[1:], stdout); err != nil {
		return err
	}
	b, err := newSearchBench(ctx, *seed)
	if err != nil {
		return err
	}
	defer b.close()
	b.profile = *profile
	if !*realOnly {
		if *evalDir != "" {
			if b.real, err = readEvalSets(*evalDir); err != nil {
				return err
			}
		}
		if err := b.run(ctx, stdout, *n, *queries, *publishes, *load); err != nil {
			return err
		}
	}
	if *evalDir == "" {
		return nil
	}
	if *realOnly && *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	return realTextQueries(ctx, stdout, *evalDir, *queries, *seed)
}

// searchBench is one throwaway instance: SQLite, Bleve, the API on a
// loopback port.
type searchBench struct {
	dir      string
	rng      *rand.Rand
	svc      *market.Service
	closers  []func()
	engine   search.Engine
	org      *market.Organization
	owner    market.Actor
	reviewer market.Actor
	baseURL  string
	client   *http.Client
	apiSrv   *api.Server
	textSize int64
	profile  string // CPU profile of the query phase, "" for none
	// real holds the evaluation sets' records (without labels) seeded among
	// the synthetic listings, when an eval dir is given: their titles give
	// the real-text query kinds at the bench's scale.
	real []relevance.Record
}

func newSearchBench(ctx context.Context, seed uint64) (_ *searchBench, err error) {
	dir, err := os.MkdirTemp("", "techbridge-bench-")
	if err != nil {
		return nil, err
	}
	b := &searchBench{dir: dir, rng: rand.New(rand.NewPCG(seed, 0x7ec4b21d))}
	b.closers = append(b.closers, func() { os.RemoveAll(dir) })
	defer func() {
		if err != nil {
			b.close()
		}
	}()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c := config{DataDir: dir}
	db, err := c.openStore(ctx)
	if err != nil {
		return nil, err
	}
	b.closers = append(b.closers, func() { db.Close() })
	b.svc = market.NewService(db)
	b.svc.Log = log
	owner, err := b.svc.RegisterVerified(ctx, market.NewAccount{Email: "owner@bench.techbridge.test", Password: "bench password 1", DisplayName: "Bench"})
	if err != nil {
		return nil, err
	}
	if b.owner, err = b.svc.ActorFor(ctx, owner.ID); err != nil {
		return nil, err
	}
	body := "12310000MB0B00001"
	if b.org, err = b.svc.CreateOrganization(ctx, b.owner, market.NewOrganization{Kind: market.OrgUniversity,
		NameZH: "基准大学", NameEN: "Bench University", Region: "上海市 / 闵行区", CreditCode: body + string(market.CreditCodeCheckChar(body))}); err != nil {
		return nil, err
	}
	if b.owner, err = b.svc.ActorFor(ctx, owner.ID); err != nil {
		return nil, err
	}
	rev, err := b.svc.CreateAdmin(ctx, market.NewAccount{Email: "reviewer@bench.techbridge.test", Password: "bench password 1", DisplayName: "R"}, market.RoleReviewer)
	if err != nil {
		return nil, err
	}
	if b.reviewer, err = b.svc.ActorFor(ctx, rev.ID); err != nil {
		return nil, err
	}
	admin, err := b.svc.CreateAdmin(ctx, market.NewAccount{Email: "admin@bench.techbridge.test", Password: "bench password 1", DisplayName: "A"}, market.RoleAdmin)
	if err != nil {
		return nil, err
	}
	adminActor, err := b.svc.ActorFor(ctx, admin.ID)
	if err != nil {
		return nil, err
	}
	if _, err := b.svc.VerifyOrganization(ctx, adminActor, b.org.ID, market.VerificationVerified, "bench"); err != nil {
		return nil, err
	}
	if b.engine, err = bleve.Open(filepath.Join(dir, "search.bleve"), search.StoreSource{Store: b.svc.Store}); err != nil {
		return nil, err
	}
	b.closers = append(b.closers, func() { b.engine.Close() })
	tokens := &auth.Tokens{Key: auth.GenerateKey(), KV: kv.NewMemory()}
	if b.apiSrv, err = api.New(api.Config{RateLimit: 1 << 30, Rates: api.RateLimits{Match: 1 << 30}}, b.svc, tokens, kv.NewMemory(), log); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *searchBench) close() {
	for i := len(b.closers) - 1; i >= 0; i-- {
		b.closers[i]()
	}
}

func (b *searchBench) run(ctx context.Context, w io.Writer, n, queries, publishes, load int) error {
	// At most half of the market is real text, so a small run stays small.
	b.real = b.real[:min(len(b.real), n/2)]
	synthetic := n - len(b.real)
	fmt.Fprintf(w, "bench search: N=%d listings: %d synthetic (zh and en mixed) and %d real records of the eval sets; data dir %s\n", synthetic+len(b.real), synthetic, len(b.real), b.dir)

	// Seed through the bulk import, as published outcomes of one university.
	start := time.Now()
	rep, err := b.seed(ctx, synthetic)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "seed:      %s in %s (import path)\n", rep, time.Since(start).Round(time.Millisecond))
	if len(b.real) > 0 {
		start = time.Now()
		if rep, err = importRecords(ctx, b.svc, b.org.ID, b.real); err != nil {
			return err
		}
		fmt.Fprintf(w, "real text: %s in %s (import path)\n", rep, time.Since(start).Round(time.Millisecond))
	}

	// Indexing: the indexer from the event log, then a bare engine batch
	// of the same documents into a fresh index.
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	debug.FreeOSMemory()
	resetPeak()
	start = time.Now()
	st, err := (&search.Indexer{Store: b.svc.Store, Engine: b.engine, Log: log}).CatchUp(ctx)
	if err != nil {
		return err
	}
	ixRate := float64(st.Upserts) / time.Since(start).Seconds()
	ixPeak := procStatus("VmHWM")
	docs, err := b.documents(ctx)
	if err != nil {
		return err
	}
	bareRate, err := bareIndexRate(ctx, filepath.Join(b.dir, "bare.bleve"), b.svc.Store, docs)
	if err != nil {
		return err
	}
	docs = nil
	debug.FreeOSMemory()
	resetPeak()
	took, err := buildLatent(ctx, b.engine)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "latent:    model built in %s before the queries (a server builds it in the background once writes settle); peak VmRSS %.0f MB during the build\n",
		took.Round(time.Millisecond), float64(procStatus("VmHWM"))/1024)
	// The baseline's documents and index are the bench's, not the server's:
	// free them and measure the serving peak from here.
	debug.FreeOSMemory()
	resetPeak()
	fmt.Fprintf(w, "indexing:  indexer %.0f docs/s (%d events, %d docs)   bare bleve batch %.0f docs/s   ratio %.2f× (target ≥ 0.8×)\n",
		ixRate, st.Events, st.Upserts, bareRate, ixRate/bareRate)

	// Serve the real API on a loopback port, wired as serve wires it.
	_, stop := wireSearch(ctx, b.svc, b.apiSrv, b.engine, log, searchWiring{})
	defer stop()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: b.apiSrv, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	b.baseURL = "http://" + ln.Addr().String()
	b.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}, Timeout: 30 * time.Second}

	if b.profile != "" {
		f, err := os.Create(b.profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "queries (%d each; p50 / p99 in ms):\n", queries)
	fmt.Fprintf(w, "  %-22s %-17s %-17s %-17s %s\n", "kind", "bare engine", "search.Service", "HTTP API", "HTTP p99 / engine p99 (target ≤ 1.5×), HTTP p99 / service p99")
	// "across languages": a Chinese term with lang=en or an English one with
	// lang=zh (the bridge); its bare engine is the same text without lang,
	// since the engine alone finds nothing across languages.
	// The real-text kinds take a term of a real record's title (as bench
	// search --real-only does per set), here among all N listings.
	kinds := []string{"one term", "two terms zh+en", "type-ahead", "filtered", "across languages"}
	if len(b.real) > 0 {
		kinds = append(kinds, "real one term", "real across")
	}
	for _, kind := range kinds {
		eng, svc, web, err := b.queryLatencies(ctx, kind, queries)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-22s %-17s %-17s %-17s %.2f×, %.2f×\n", kind, eng, svc, web,
			ratio(web.p99, eng.p99), ratio(web.p99, svc.p99))
	}

	pprof.StopCPUProfile() // a no-op without a profile

	lat, err := b.publishLatency(ctx, publishes, load)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "publish → searchable under %d HTTP searchers: p50 %s  p99 %s  max %s over %d publishes (target p99 ≤ 1 s)\n",
		load, ms(lat.p50), ms(lat.p99), ms(lat.max), publishes)

	rss, hwm := procStatus("VmRSS"), procStatus("VmHWM")
	mb := func(kb int64) float64 { return float64(kb) / 1024 }
	size, err := dirSize(filepath.Join(b.dir, "search.bleve"))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "memory:    VmRSS %.0f MB at the end (%.0f MB anonymous, %.0f MB of mapped files); peak %.0f MB while indexing, %.0f MB while serving queries and publishes, at N=%d (target ≤ 200 MB)\n",
		mb(rss), mb(procStatus("RssAnon")), mb(procStatus("RssFile")), mb(ixPeak), mb(hwm), n)
	fmt.Fprintf(w, "index:     %.1f MB on disk for %.1f MB of source text   ratio %.2f× (target ≤ 2.5×)\n",
		float64(size)/1e6, float64(b.textSize)/1e6, float64(size)/float64(b.textSize))
	return nil
}

// seed writes n listings as JSONL through a pipe into the bulk import.
func (b *searchBench) seed(ctx context.Context, n int) (market.ImportReport, error) {
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 1<<16)
		enc := json.NewEncoder(bw)
		for i := range n {
			r := b.listing(i)
			b.textSize += int64(len(r.Title) + len(r.Summary) + len(strings.Join(r.Keywords, " ")))
			if err := enc.Encode(r); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(bw.Flush())
	}()
	rep, err := b.svc.ImportOutcomes(ctx, market.SystemActor, b.org.ID, pr, market.ImportJSONL, market.ImportOptions{Publish: true})
	pr.Close()
	if err == nil && rep.Failed > 0 {
		err = fmt.Errorf("seed: %d records failed: %+v", rep.Failed, rep.Errors[:min(3, len(rep.Errors))])
	}
	return rep, err
}

// listing generates one synthetic outcome: mostly Chinese or mostly English
// text, with a few words of the other language as real listings have.
func (b *searchBench) listing(i int) market.ImportRecord {
	r := b.rng
	zh := r.IntN(2) == 0
	words := func(k int) []string {
		out := make([]string, k)
		for j := range out {
			if (r.IntN(10) < 8) == zh {
				out[j] = benchZH[r.IntN(len(benchZH))]
			} else {
				out[j] = benchEN[r.IntN(len(benchEN))]
			}
		}
		return out
	}
	join := func(ws []string) string {
		if zh {
			var sb strings.Builder
			for j, w := range ws {
				if j > 0 && (w[0] < 0x80 || ws[j-1][0] < 0x80) {
					sb.WriteByte(' ')
				} else if j > 0 && j%5 == 0 {
					sb.WriteString("，")
				}
				sb.WriteString(w)
			}
			return sb.String()
		}
		return strings.Join(ws, " ")
	}
	title := join(words(2 + r.IntN(3)))
	if zh {
		title += benchZHSuffix[r.IntN(len(benchZHSuffix))]
	}
	trl := 1 + r.IntN(9)
	lo := int64(1+r.IntN(200)) * 10_000_00
	modes := []string{market.TransferModes[r.IntN(len(market.TransferModes))]}
	return market.ImportRecord{
		ExternalID:    "BENCH-" + strconv.Itoa(i),
		Title:         title,
		Summary:       join(words(15 + r.IntN(20))),
		Keywords:      words(2 + r.IntN(3)),
		Field:         benchFields[r.IntN(len(benchFields))],
		IPC:           []string{benchIPC[r.IntN(len(benchIPC))]},
		TRL:           &trl,
		TransferModes: modes,
		PriceMin:      lo,
		PriceMax:      lo * int64(1+r.IntN(5)),
	}
}

// documents reads back the indexed documents, for the bare baseline.
func (b *searchBench) documents(ctx context.Context) ([]search.Document, error) {
	var docs []search.Document
	for after := ""; ; {
		var page []market.Outcome
		err := b.svc.Store.View(ctx, func(tx market.Tx) (err error) {
			p, err := tx.ListOutcomes(market.OutcomeFilter{Status: market.ListingPublished, After: after, Limit: market.MaxPageSize})
			page = p.Items
			return err
		})
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return docs, nil
		}
		for i := range page {
			docs = append(docs, search.OutcomeDocument(&page[i], b.org))
		}
		after = page[len(page)-1].ID
	}
}

// bareIndexRate upserts docs straight into a fresh Bleve engine in batches
// of the indexer's size: no database, no events, no reloads.
func bareIndexRate(ctx context.Context, path string, db market.Store, docs []search.Document) (float64, error) {
	e, err := bleve.Open(path, search.StoreSource{Store: db})
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(path)
	defer e.Close()
	start := time.Now()
	for i := 0; i < len(docs); i += search.DefaultIndexBatch {
		if err := e.Upsert(ctx, docs[i:min(len(docs), i+search.DefaultIndexBatch)]...); err != nil {
			return 0, err
		}
	}
	return float64(len(docs)) / time.Since(start).Seconds(), nil
}

// latency summarises durations.
type latency struct{ p50, p99, max time.Duration }

func (l latency) String() string { return ms(l.p50) + " / " + ms(l.p99) }

func summarize(d []time.Duration) latency {
	if len(d) == 0 {
		return latency{}
	}
	slices.Sort(d)
	at := func(p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d))))] }
	return latency{p50: at(0.50), p99: at(0.99), max: d[len(d)-1]}
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) }

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// benchQuery returns the parameters of one query of a kind, and the
// type-ahead prefix for that kind.
func (b *searchBench) benchQuery(kind string) (url.Values, string) {
	r := b.rng
	zhw, enw := benchZH[r.IntN(len(benchZH))], benchEN[r.IntN(len(benchEN))]
	switch kind {
	case "one term":
		if r.IntN(2) == 0 {
			return url.Values{"q": {zhw}}, ""
		}
		return url.Values{"q": {enw}}, ""
	case "two terms zh+en":
		return url.Values{"q": {zhw + " " + enw}}, ""
	case "across languages":
		if r.IntN(2) == 0 {
			return url.Values{"q": {zhw}, "lang": {"en"}}, ""
		}
		return url.Values{"q": {enw}, "lang": {"zh"}}, ""
	case "real one term", "real across":
		var term string
		for term == "" {
			term = titleTerm(b.real[r.IntN(len(b.real))].Title, r)
		}
		v := url.Values{"q": {term}}
		if kind == "real across" {
			v.Set("lang", market.OtherLanguage(market.DetectLanguage(term)))
		}
		return v, ""
	case "type-ahead":
		if r.IntN(2) == 0 {
			return nil, string([]rune(zhw)[:1])
		}
		return nil, enw[:min(3, len(enw))]
	}
	return url.Values{"q": {zhw}, "type": {"outcome"}, "field": {benchFields[r.IntN(len(benchFields))]},
		"trl_min": {"4"}, "transfer_mode": {market.TransferModes[r.IntN(len(market.TransferModes))]}}, ""
}

// queryLatencies times each query three ways, interleaved so that all see
// the same caches: the bare engine, the search service (the ranking
// pipeline the handler calls) and the HTTP API.
func (b *searchBench) queryLatencies(ctx context.Context, kind string, n int) (eng, svc, web latency, err error) {
	service := newSearchService(b.engine)
	var de, ds, dw []time.Duration
	for i := range n + 20 { // the first 20 warm up
		params, prefix := b.benchQuery(kind)
		var te, ts, tw time.Duration
		if kind == "type-ahead" {
			te, err = timed(func() error { _, err := b.engine.Suggest(ctx, prefix, api.DefaultSuggest); return err })
			ts = te
			if err == nil {
				tw, err = timed(func() error { return b.get("/api/v1/search/suggest?" + url.Values{"q": {prefix}}.Encode()) })
			}
		} else {
			var q search.Query
			if q, err = api.ParseSearchQuery(params); err != nil {
				return
			}
			bare := q
			bare.Lang = ""
			te, err = timed(func() error { _, err := b.engine.Search(ctx, bare); return err })
			if err == nil {
				ts, err = timed(func() error { _, err := service.Search(ctx, q); return err })
			}
			if err == nil {
				tw, err = timed(func() error { return b.get("/api/v1/search?" + params.Encode()) })
			}
		}
		if err != nil {
			return
		}
		if i >= 20 {
			de, ds, dw = append(de, te), append(ds, ts), append(dw, tw)
		}
	}
	return summarize(de), summarize(ds), summarize(dw), nil
}

func timed(fn func() error) (time.Duration, error) {
	start := time.Now()
	err := fn()
	return time.Since(start), err
}

// get fetches path from the loopback API and reads the whole body.
func (b *searchBench) get(path string) error { return fetch(b.client, b.baseURL+path) }

// fetch GETs url, reads the whole body and wants 200.
func fetch(client *http.Client, url string) error {
	res, err := client.Get(url)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", url, res.StatusCode)
	}
	return nil
}

// found reports whether a search for text over HTTP returns id.
func (b *searchBench) found(text, id string) (bool, error) {
	res, err := b.client.Get(b.baseURL + "/api/v1/search?" + url.Values{"q": {text}}.Encode())
	if err != nil {
		return false, err
	}
	defer res.Body.Close()
	var r struct {
		Hits []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		return false, err
	}
	for _, h := range r.Hits {
		if h.ID == id {
			return true, nil
		}
	}
	return false, nil
}

// publishLatency publishes outcomes one after another while load searchers
// query the API, and times each from the committed publish until a search
// over HTTP finds it.
func (b *searchBench) publishLatency(ctx context.Context, n, load int) (latency, error) {
	lctx, stopLoad := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var loadErr atomic.Pointer[error]
	for g := range load {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(g), 99))
			for lctx.Err() == nil {
				q := benchZH[r.IntN(len(benchZH))] + " " + benchEN[r.IntN(len(benchEN))]
				if err := b.get("/api/v1/search?" + url.Values{"q": {q}}.Encode()); err != nil && lctx.Err() == nil {
					loadErr.Store(&err)
					return
				}
			}
		}()
	}
	defer func() { stopLoad(); wg.Wait() }()

	var lat []time.Duration
	for i := range n {
		token := "pubmark" + strconv.Itoa(i) + "x"
		o, err := b.svc.CreateOutcome(ctx, b.owner, b.org.ID, market.OutcomeInput{Title: "新发布 " + token, Summary: "benchmark publish"})
		if err == nil {
			o, err = b.svc.TransitionOutcome(ctx, b.owner, o.ID, o.Version, market.SubmitListing, "")
		}
		if err == nil {
			o, err = b.svc.TransitionOutcome(ctx, b.reviewer, o.ID, o.Version, market.PublishListing, "")
		}
		if err != nil {
			return latency{}, err
		}
		committed := time.Now()
		for {
			ok, err := b.found(token, o.ID)
			if err != nil {
				return latency{}, err
			}
			if ok {
				break
			}
			if time.Since(committed) > 30*time.Second {
				return latency{}, fmt.Errorf("publish %d not searchable after 30s", i)
			}
			time.Sleep(time.Millisecond)
		}
		lat = append(lat, time.Since(committed))
	}
	if p := loadErr.Load(); p != nil {
		return latency{}, fmt.Errorf("load searcher: %w", *p)
	}
	return summarize(lat), nil
}

// resetPeak resets the process's peak resident memory (VmHWM) to its
// current resident memory, so that each phase's peak is its own.
func resetPeak() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// procStatus reads a kB figure from /proc/self/status; 0 where there is none.
func procStatus(key string) int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			n += info.Size()
		}
		return err
	})
	return n, err
}

// Word lists for the synthetic listings, written for this benchmark: terms
// of the fields TechBridge lists, so queries hit realistic posting lists.
var benchZH = strings.Fields(`锂电池 正极 负极 电解质 隔膜 固态电池 钠离子 储能 光伏 组件 逆变器 风电 叶片 氢能
燃料电池 电堆 催化剂 膜电极 机器人 视觉 标定 伺服 减速器 传感器 激光雷达 芯片 封装 晶圆 光刻
功率器件 碳化硅 氮化镓 射频 天线 通信 算法 深度学习 大模型 语音识别 图像分割 边缘计算 区块链
数据库 操作系统 工业互联网 数字孪生 石墨烯 碳纤维 复合材料 涂层 合金 陶瓷 高分子 纳米 生物医药
抗体 疫苗 基因编辑 细胞治疗 医疗器械 影像 中药 制剂 农业 育种 种子 灌溉 食品 保鲜 发酵 水处理
反渗透 污水 脱硫 固废 回收 建筑 混凝土 桥梁 隧道 海洋 船舶 矿山 纺织 印染 安全 预警 检测
监测 控制 系统 装置 方法 工艺 平台 模块 优化 高效 低成本 智能 绿色 柔性 可穿戴`)

var benchEN = strings.Fields(`lithium battery cathode anode electrolyte separator solid state sodium storage
photovoltaic module inverter wind turbine blade hydrogen fuel cell stack catalyst membrane robot vision
calibration servo reducer sensor lidar chip packaging wafer lithography power device silicon carbide
gallium nitride radio antenna network algorithm deep learning model speech recognition image segmentation
edge computing blockchain database industrial twin graphene carbon fiber composite coating alloy ceramic
polymer nanoparticle antibody vaccine gene editing cell therapy medical imaging drug formulation crop
breeding seed irrigation food preservation fermentation water treatment osmosis wastewater recycling
concrete bridge tunnel marine vessel mining textile dyeing safety warning detection monitoring control
system apparatus method process platform efficient flexible wearable smart green`)

var benchZHSuffix = []string{"方法", "装置", "系统", "工艺", "材料", "及其制备方法", "技术"}

var benchFields = []string{"energy_storage", "new_energy", "robotics", "ic", "ai", "software", "new_materials",
	"biomedicine", "medical_devices", "agriculture", "food", "environment", "water", "construction", "marine"}

var benchIPC = []string{"H01M 10/0525", "H01M 4/525", "H02J 3/32", "H02S 40/32", "F03D 1/06", "H01M 8/1004",
	"B25J 9/16", "G06T 7/80", "G01S 17/89", "H01L 23/31", "H01L 29/16", "G06N 3/08", "G10L 15/16", "G06F 16/27",
	"C01B 32/184", "C08J 5/04", "C09D 5/08", "A61K 39/00", "C12N 15/90", "A61B 6/03", "A01H 1/02", "A23B 7/00",
	"C02F 1/44", "B01D 53/50", "E01D 19/00", "B63B 1/00", "D06P 1/00", "G08B 21/18"}
