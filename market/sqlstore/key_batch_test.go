package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRows is a table of rows by key that counts the statements read from it.
type fakeRows struct {
	mu      sync.Mutex
	batches [][]string
	gate    chan struct{} // when set, every read waits for it
	fail    error
}

func (f *fakeRows) fetch(ctx context.Context, keys []string, found func(string, any)) error {
	if f.gate != nil {
		<-f.gate
	}
	f.mu.Lock()
	f.batches = append(f.batches, slices.Clone(keys))
	f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	for _, k := range keys {
		if k != "missing" {
			v := "row " + k
			found(k, &v)
		}
	}
	return ctx.Err()
}

func cloneString(v any) any { s := *v.(*string); return &s }

// TestKeyBatcherBatchesWhileBusy: a lone read runs at once and alone; reads
// arriving while maxRunning are at the database wait and are read together
// in one statement (a key asked twice once), each caller getting its own row
// (a copy for the second caller of a key), a missing key sql.ErrNoRows.
func TestKeyBatcherBatchesWhileBusy(t *testing.T) {
	f := &fakeRows{}
	b := &keyBatcher{keyBatching: keyBatching{maxRunning: 1, maxBatch: 8}, fetch: f.fetch, clone: cloneString}
	ctx := context.Background()
	v, err := b.get(ctx, "a")
	if err != nil || *v.(*string) != "row a" {
		t.Fatalf("lone read: %v, %v", v, err)
	}

	f.gate = make(chan struct{})
	first := make(chan error)
	go func() { _, err := b.get(ctx, "first"); first <- err }()
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.running == 1 })
	keys := []string{"b", "c", "b", "missing"}
	type answer struct {
		v   *string
		err error
	}
	answers := make([]answer, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := b.get(ctx, k)
			s, _ := v.(*string)
			answers[i] = answer{s, err}
		}()
	}
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return len(b.pending) == len(keys) })
	close(f.gate)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i, k := range keys {
		a := answers[i]
		if k == "missing" {
			if !errors.Is(a.err, sql.ErrNoRows) {
				t.Errorf("missing key: %v, %v", a.v, a.err)
			}
			continue
		}
		if a.err != nil || a.v == nil || *a.v != "row "+k {
			t.Errorf("key %s: %v, %v", k, a.v, a.err)
		}
	}
	if answers[0].v == answers[2].v {
		t.Error("two callers of one key share a row")
	}
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.running == 0 && len(b.pending) == 0 })
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.batches) != 3 || len(f.batches[2]) != 3 {
		t.Fatalf("statements %v, want a, first, then b, c and missing in one", f.batches)
	}
}

// TestKeyBatcherCallerLeaves: a waiting caller whose context ends returns
// its context's error at once (a watching batcher: PostgreSQL's); the reads
// of others go on.
func TestKeyBatcherCallerLeaves(t *testing.T) {
	f := &fakeRows{gate: make(chan struct{})}
	b := &keyBatcher{keyBatching: keyBatching{maxRunning: 1, maxBatch: 8, watch: true}, fetch: f.fetch, clone: cloneString}
	first := make(chan error)
	go func() { _, err := b.get(context.Background(), "first"); first <- err }()
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.running == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := b.get(ctx, "impatient"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("left: %v", err)
	}
	close(f.gate)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.running == 0 })
	f.mu.Lock()
	defer f.mu.Unlock()
	if fmt.Sprint(f.batches) != "[[first]]" {
		t.Fatalf("statements %v: the gone caller's key was read", f.batches)
	}
}

// TestKeyBatcherUnwatchedCallerIsLeftOut: on a batcher that does not watch
// (SQLite's), a queued caller whose context ends waits for its batch, which
// leaves its key out, and gets its context's error.
func TestKeyBatcherUnwatchedCallerIsLeftOut(t *testing.T) {
	f := &fakeRows{gate: make(chan struct{})}
	b := &keyBatcher{keyBatching: keyBatching{maxRunning: 1, maxBatch: 8}, fetch: f.fetch, clone: cloneString}
	first := make(chan error)
	go func() { _, err := b.get(context.Background(), "first"); first <- err }()
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.running == 1 })
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error)
	go func() { _, err := b.get(ctx, "gone"); gone <- err }()
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return len(b.pending) == 1 })
	cancel()
	select {
	case err := <-gone:
		t.Fatalf("an unwatched caller left before its batch: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	close(f.gate)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Fatalf("gone: %v, want its context's error", err)
	}
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.running == 0 })
	f.mu.Lock()
	defer f.mu.Unlock()
	if fmt.Sprint(f.batches) != "[[first]]" {
		t.Fatalf("statements %v: the gone caller's key was read", f.batches)
	}
}

// TestKeyBatcherFailure: a failed statement is every caller's error.
func TestKeyBatcherFailure(t *testing.T) {
	boom := errors.New("connection refused")
	b := &keyBatcher{keyBatching: keyBatching{maxRunning: 1, maxBatch: 8}, fetch: (&fakeRows{fail: boom}).fetch, clone: cloneString}
	if v, err := b.get(context.Background(), "a"); !errors.Is(err, boom) || v != nil {
		t.Fatalf("got %v, %v", v, err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 2000 {
		if cond() {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("condition never held")
}

// TestKeyBatcherPanicIsAnError: a read that panics answers its callers with
// an error and frees its slot, so the callers queued meanwhile and later
// reads of the table are read (a panic used to keep the slot, so every
// later read waited for its deadline).
func TestKeyBatcherPanicIsAnError(t *testing.T) {
	gate := make(chan struct{})
	var calls int
	var mu sync.Mutex
	fetch := func(ctx context.Context, keys []string, found func(string, any)) error {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			<-gate
			panic("a bug in a column's scan")
		}
		for _, k := range keys {
			v := "row " + k
			found(k, &v)
		}
		return nil
	}
	b := &keyBatcher{keyBatching: keyBatching{maxRunning: 1, maxBatch: 8}, fetch: fetch, clone: cloneString}
	first := make(chan error)
	go func() { _, err := b.get(context.Background(), "first"); first <- err }()
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.running == 1 })
	queued := make(chan error)
	go func() { _, err := b.get(context.Background(), "queued"); queued <- err }()
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return len(b.pending) == 1 })
	close(gate)
	if err := <-first; err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("first: %v, want the panic as an error", err)
	}
	if err := <-queued; err != nil {
		t.Fatalf("queued behind the panic: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if v, err := b.get(ctx, "later"); err != nil || *v.(*string) != "row later" {
		t.Fatalf("a read after the panic: %v, %v", v, err)
	}
}

// TestKeyBatcherGathersBeforeALoneRead: a lone read first runs gather (a
// store's yields to the goroutines ready to run) and reads the keys of the
// callers that queued meanwhile in its own statement.
func TestKeyBatcherGathersBeforeALoneRead(t *testing.T) {
	f := &fakeRows{}
	b := &keyBatcher{keyBatching: keyBatching{maxRunning: 1, maxBatch: 8}, fetch: f.fetch, clone: cloneString}
	queued := make(chan struct{})
	b.gather = func() {
		<-queued // the callers below reach the batcher while the lone read yields
	}
	results := make(chan string, 3)
	get := func(key string) {
		v, err := b.get(context.Background(), key)
		if err != nil {
			t.Error(err)
			results <- ""
			return
		}
		results <- *v.(*string)
	}
	go get("a")
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return b.running == 1 })
	go get("b")
	go get("c")
	waitFor(t, func() bool { b.mu.Lock(); defer b.mu.Unlock(); return len(b.pending) == 2 })
	close(queued)
	var got []string
	for range 3 {
		got = append(got, <-results)
	}
	slices.Sort(got)
	if fmt.Sprint(got) != "[row a row b row c]" {
		t.Fatalf("rows %v", got)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.batches) != 1 || len(f.batches[0]) != 3 {
		t.Fatalf("statements %v, want one of the three keys", f.batches)
	}
}
