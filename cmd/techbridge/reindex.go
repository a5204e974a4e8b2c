package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"techbridge/api"
	"techbridge/market"
	"techbridge/search"
	"techbridge/search/bleve"
	"techbridge/search/meili"
)

// meiliIndexPrefix prefixes the Meilisearch index uid, so one server can
// host other applications' indexes beside TechBridge's.
const meiliIndexPrefix = "techbridge_"

// openSearch opens the configured engine: Meilisearch when a URL is set,
// else the Bleve index in <data-dir>/search.bleve, whose hits read their
// documents from db.
func (c *config) openSearch(ctx context.Context, db market.Store) (search.Engine, error) {
	if c.MeiliURL != "" {
		return meili.Open(ctx, c.MeiliURL, c.MeiliKey, meiliIndexPrefix)
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, err
	}
	return bleve.Open(filepath.Join(c.DataDir, "search.bleve"), search.StoreSource{Store: db})
}

// localCursor is where an embedded index keeps its position in the event
// log: beside the index, since the index is this instance's alone. A
// shared engine (Meilisearch) has none and uses the shared cursor row.
func (c *config) localCursor() search.LocalCursor {
	if c.MeiliURL != "" {
		return nil
	}
	return search.CursorFile{Path: filepath.Join(c.DataDir, "search.cursor")}
}

// searchWiring is how serve runs its indexer; the zero value is one
// shared-cursor indexer under a new holder id (bench).
type searchWiring struct {
	Local      search.LocalCursor // per-instance index position; nil = shared cursor and lease
	Holder     string             // lease holder id, stable per data dir
	MaxBacklog int64              // /readyz fails beyond this many unindexed events; 0 = never
}

// searchFlags registers the engine settings of commands that index.
func searchFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.MeiliURL, "meili-url", env("TECHBRIDGE_MEILI_URL", ""), "Meilisearch URL; empty = embedded Bleve index (TECHBRIDGE_MEILI_URL)")
	fs.StringVar(&c.MeiliKey, "meili-key", env("TECHBRIDGE_MEILI_KEY", ""), "Meilisearch API key (TECHBRIDGE_MEILI_KEY)")
}

// wireSearch connects search to the API: the search service, the backlog
// and engine checks of /readyz, and a store that nudges the indexer after
// every commit. It starts the indexer and returns the function that stops
// it (before the engine and the store close).
func wireSearch(ctx context.Context, svc *market.Service, apiSrv *api.Server, engine search.Engine, log *slog.Logger, w searchWiring) (ix *search.Indexer, stop func()) {
	ix = &search.Indexer{Store: svc.Store, Engine: engine, Log: log, Local: w.Local, Holder: w.Holder}
	svc.Store = search.NudgeOnCommit(svc.Store, ix)
	apiSrv.Search = newSearchService(engine)
	apiSrv.SearchBacklog = ix.Backlog
	apiSrv.MaxSearchBacklog = w.MaxBacklog
	apiSrv.Checks = append(apiSrv.Checks,
		api.Check{Name: "search", Ping: func(ctx context.Context) error {
			if _, err := engine.Count(ctx); err != nil {
				return fmt.Errorf("%s: %w", engine.Name(), err)
			}
			return nil
		}},
		api.Check{Name: "search_indexer", Ping: func(context.Context) error { return ix.Err() }},
	)
	ictx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := ix.RebuildIfLost(ictx, 0); err != nil {
			log.Warn("search: could not rebuild an empty index; run techbridge reindex", "err", err)
		}
		ix.Run(ictx)
	}()
	return ix, func() {
		cancel()
		<-done
	}
}

// newSearchService is the one search path behind the API, shared by serve,
// eval and bench so that what is measured is what is served.
func newSearchService(engine search.Engine) *search.Service {
	return &search.Service{Engine: engine}
}

func runReindex(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	dataFlags(fs, &c)
	searchFlags(fs, &c)
	wait := fs.Duration("wait", 2*search.DefaultLeaseTTL, "how long to wait for a running instance's indexer lease to expire")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	log := c.logger(os.Stderr)
	if c.MeiliURL == "" {
		// The embedded index is the data dir's: refuse at once while a
		// server holds it rather than wait on the index's own lock.
		if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
			return err
		}
		unlock, err := lockDataDir(c.DataDir)
		if err != nil {
			return err
		}
		defer unlock()
	}
	start := time.Now()
	n, engineName, err := reindexListings(ctx, c, log, *wait)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reindexed %d published listings into %s in %s\n", n, engineName, time.Since(start).Round(time.Millisecond))
	return nil
}

// reindexListings indexes every published listing afresh under the
// indexer's lease (waiting up to wait for a running one), then the events
// committed meanwhile; reindex and restore both use it.
func reindexListings(ctx context.Context, c config, log *slog.Logger, wait time.Duration) (int, string, error) {
	db, err := c.openStore(ctx)
	if err != nil {
		return 0, "", err
	}
	defer db.Close()
	engine, err := c.openSearch(ctx, db)
	if err != nil {
		return 0, "", err
	}
	defer engine.Close()
	ix := &search.Indexer{Store: db, Engine: engine, Log: log, Local: c.localCursor()}
	n, err := ix.Reindex(ctx, wait)
	if err != nil {
		return 0, "", err
	}
	// Events committed while the listings were read are indexed now.
	if _, err := ix.CatchUp(ctx); err != nil {
		return 0, "", err
	}
	return n, engine.Name(), nil
}
