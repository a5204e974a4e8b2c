package searchtest

import (
	"fmt"
	"reflect"
	"sync"
	"testing"

	"techbridge/search"
)

func testUpsertThenFind(t *testing.T, e search.Engine) {
	docs := Fixtures()
	mustUpsert(t, e, docs...)
	if n := mustCount(t, e); n != len(docs) {
		t.Fatalf("Count = %d, want %d", n, len(docs))
	}
	for _, want := range docs {
		h, ok := find(t, e, want.ID)
		if !ok {
			t.Errorf("%s not found after Upsert", want.ID)
			continue
		}
		if !sameDocument(h.Document, want) {
			t.Errorf("%s round trip:\n got %+v\nwant %+v", want.ID, h.Document, want)
		}
	}
}

// sameDocument compares documents with times compared as instants.
func sameDocument(a, b search.Document) bool {
	for _, d := range []*search.Document{&a, &b} {
		d.PublishedAt = d.PublishedAt.UTC()
		d.FreshUntil = d.FreshUntil.UTC()
		d.Deadline = d.Deadline.UTC()
		if len(d.Keywords) == 0 {
			d.Keywords = nil
		}
		if len(d.IPC) == 0 {
			d.IPC = nil
		}
		if len(d.TransferModes) == 0 {
			d.TransferModes = nil
		}
	}
	return reflect.DeepEqual(a, b)
}

func testUpsertReplaces(t *testing.T, e search.Engine) {
	docs := Fixtures()
	mustUpsert(t, e, docs...)
	changed := docs[1]
	changed.Title = "Sulfide electrolyte for solid-state cells"
	changed.Version = 2
	mustUpsert(t, e, changed)
	if n := mustCount(t, e); n != len(docs) {
		t.Errorf("Count after replace = %d, want %d", n, len(docs))
	}
	h, ok := find(t, e, changed.ID)
	if !ok || h.Title != changed.Title {
		t.Errorf("after replace: found=%v title=%q, want %q", ok, h.Title, changed.Title)
	}
	// The new title's words find it.
	res := mustSearch(t, e, search.Query{Text: "cells"})
	wantSome(t, "new text", res, []string{changed.ID}, nil)
}

func testVersionGuard(t *testing.T, e search.Engine) {
	doc := Fixtures()[2]
	at := func(v int64, title string) search.Document {
		d := doc
		d.Version, d.Title = v, title
		return d
	}
	title := func() string {
		t.Helper()
		h, ok := find(t, e, doc.ID)
		if !ok {
			t.Fatalf("%s not found", doc.ID)
		}
		return h.Title
	}
	mustUpsert(t, e, at(5, "v5"))
	mustUpsert(t, e, at(3, "v3"))
	if got := title(); got != "v5" {
		t.Errorf("older version replaced newer: title %q, want v5", got)
	}
	mustUpsert(t, e, at(5, "v5 again"))
	if got := title(); got != "v5 again" {
		t.Errorf("equal version must replace: title %q, want %q", got, "v5 again")
	}
	mustUpsert(t, e, at(7, "v7"))
	if got := title(); got != "v7" {
		t.Errorf("newer version ignored: title %q, want v7", got)
	}
	// Within one call the highest version wins, whatever the order.
	mustUpsert(t, e, at(9, "v9"), at(8, "v8"))
	if got := title(); got != "v9" {
		t.Errorf("same batch: title %q, want v9", got)
	}
	if n := mustCount(t, e); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}
}

func testDelete(t *testing.T, e search.Engine) {
	docs := Fixtures()
	mustUpsert(t, e, docs...)
	if err := e.Delete(ctx(t), IDSolidState, IDSmartFarm, "no-such-id"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if err := e.Delete(ctx(t)); err != nil {
		t.Fatalf("Delete(): %v", err)
	}
	if n := mustCount(t, e); n != len(docs)-2 {
		t.Errorf("Count = %d, want %d", n, len(docs)-2)
	}
	res := mustSearch(t, e, search.Query{})
	wantSet(t, "after delete", res, IDLiRecycle, IDCropDrone, IDBatteryNeed)
	res = mustSearch(t, e, search.Query{Text: "electrolyte"})
	wantSome(t, "deleted text", res, nil, []string{IDSolidState})
}

func testCountAndReset(t *testing.T, e search.Engine) {
	if n := mustCount(t, e); n != 0 {
		t.Fatalf("new engine Count = %d, want 0", n)
	}
	docs := Fixtures()
	docs[0].Version = 5
	mustUpsert(t, e, docs...)
	if err := e.Reset(ctx(t)); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if n := mustCount(t, e); n != 0 {
		t.Errorf("Count after Reset = %d, want 0", n)
	}
	wantSet(t, "after Reset", mustSearch(t, e, search.Query{}))
	// The engine stays usable, and versions are forgotten with the documents.
	d := Fixtures()[0] // version 1, lower than the 5 indexed before Reset
	mustUpsert(t, e, d)
	if n := mustCount(t, e); n != 1 {
		t.Errorf("Count after re-add = %d, want 1", n)
	}
}

func testConcurrentUpserts(t *testing.T, e search.Engine) {
	const workers, each = 4, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			docs := Bulk(workers * each)[w*each : (w+1)*each]
			for _, d := range docs {
				if err := e.Upsert(ctx(t), d); err != nil {
					errs <- fmt.Errorf("worker %d: %w", w, err)
					return
				}
				if _, err := e.Search(ctx(t), search.Query{Text: "bulk"}); err != nil {
					errs <- fmt.Errorf("worker %d search: %w", w, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := mustCount(t, e); n != workers*each {
		t.Errorf("Count = %d, want %d", n, workers*each)
	}
}
