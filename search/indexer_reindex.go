package search

import (
	"context"
	"fmt"
	"time"

	"techbridge/market"
)

// Reindex rebuilds the index from the database: it takes the lease
// (waiting up to wait for another instance to give it up or let it
// expire), empties the engine, writes every published listing and sets the
// cursor to the log position read before the listings, so events committed
// meanwhile are indexed again by the next catch-up rather than lost. It
// returns the number of documents written.
func (ix *Indexer) Reindex(ctx context.Context, wait time.Duration) (int, error) {
	ix.init()
	defer ix.release()
	deadline := ix.Now().Add(wait)
	for {
		ok, err := ix.lease(ctx)
		if err != nil {
			return 0, err
		}
		if ok {
			break
		}
		if ix.Now().After(deadline) {
			return 0, fmt.Errorf("search reindex: another instance holds the indexer lease; stop it or retry later")
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(time.Second):
		}
	}
	var seq int64
	if err := ix.Store.View(ctx, func(tx market.Tx) (err error) {
		seq, err = tx.LastEventSeq()
		return err
	}); err != nil {
		return 0, err
	}
	if err := ix.Engine.Reset(ctx); err != nil {
		return 0, fmt.Errorf("search reindex: reset: %w", err)
	}
	n := 0
	var buf []Document
	flush := func() error {
		if ok, err := ix.lease(ctx); err != nil {
			return err
		} else if !ok {
			return ErrLeaseLost
		}
		n += len(buf)
		err := contained(func() error { return ix.Engine.Upsert(ctx, buf...) })
		buf = buf[:0]
		return err
	}
	err := ix.eachPublished(ctx, func(docs []Document) error {
		if buf = append(buf, docs...); len(buf) >= ix.Batch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return n, fmt.Errorf("search reindex: %w", err)
	}
	return n, ix.saveCursor(ctx, seq)
}

// eachPublished passes every published listing, as documents, one page at a
// time: outcomes, then scenarios.
func (ix *Indexer) eachPublished(ctx context.Context, fn func([]Document) error) error {
	outcomes := func(tx market.Tx, after string) ([]market.Outcome, error) {
		page, err := tx.ListOutcomes(market.OutcomeFilter{Status: market.ListingPublished, After: after, Limit: market.MaxPageSize})
		return page.Items, err
	}
	scenarios := func(tx market.Tx, after string) ([]market.Scenario, error) {
		page, err := tx.ListScenarios(market.ScenarioFilter{Status: market.ListingPublished, After: after, Limit: market.MaxPageSize})
		return page.Items, err
	}
	if err := eachPublishedOf(ctx, ix.Store, outcomes, OutcomeDocument, fn); err != nil {
		return err
	}
	return eachPublishedOf(ctx, ix.Store, scenarios, ScenarioDocument, fn)
}

// eachPublishedOf pages through one kind's published listings (list reads
// the page after an id) and passes each page as documents.
func eachPublishedOf[T any, P interface {
	*T
	Meta() *market.ListingMeta
}](ctx context.Context, store market.Store, list func(market.Tx, string) ([]T, error), doc func(P, *market.Organization) Document, fn func([]Document) error) error {
	for after := ""; ; {
		var docs []Document
		err := store.View(ctx, func(tx market.Tx) error {
			items, err := list(tx, after)
			if err != nil {
				return err
			}
			orgs := orgCache{tx: tx, m: map[string]*market.Organization{}}
			for i := range items {
				org, err := orgs.get(P(&items[i]).Meta().OrgID)
				if err != nil {
					return err
				}
				docs = append(docs, doc(&items[i], org))
			}
			return nil
		})
		if err != nil {
			return err
		}
		if len(docs) == 0 {
			return nil
		}
		if err := fn(docs); err != nil {
			return err
		}
		after = docs[len(docs)-1].ID
	}
}

// RebuildIfLost reindexes when the engine is empty although the cursor
// says events were indexed: the index was deleted, or dropped on open
// because its layout changed. Otherwise the indexer would carry on from
// the cursor and never bring the lost documents back. It reports whether
// it rebuilt.
func (ix *Indexer) RebuildIfLost(ctx context.Context, wait time.Duration) (bool, error) {
	ix.init()
	n, err := ix.Engine.Count(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	cur, err := ix.Position(ctx)
	if err != nil || cur == 0 {
		return false, err
	}
	written, err := ix.Reindex(ctx, wait)
	if err == nil {
		ix.Log.Info("search index was empty behind its cursor; rebuilt from the database", "documents", written, "cursor", cur)
	}
	return err == nil, err
}
