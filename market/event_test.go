package market

import (
	"testing"
	"time"
)

func chain(n int) []Event {
	var evs []Event
	prev := ""
	for i := 1; i <= n; i++ {
		e := NewEvent("t", "a", "o", "id", map[string]int{"i": i}, time.Date(2026, 1, 1, 0, 0, i, 1234, time.UTC))
		e.Seq, e.PrevHash = int64(i), prev
		e.Hash = ChainHash(e)
		prev = e.Hash
		evs = append(evs, e)
	}
	return evs
}

func TestVerifyChain(t *testing.T) {
	if got := VerifyChain(0, "", chain(5)); got != 0 {
		t.Fatalf("intact chain reported broken at %d", got)
	}
	evs := chain(5)
	evs[2].Payload = []byte(`{"i":99}`)
	if got := VerifyChain(0, "", evs); got != 3 {
		t.Fatalf("edited payload: broken at %d, want 3", got)
	}
	evs = chain(5)
	evs = append(evs[:1], evs[2:]...) // a deleted event
	if got := VerifyChain(0, "", evs); got != 3 {
		t.Fatalf("deleted event: broken at %d, want 3", got)
	}
	evs = chain(5)
	evs[4].Hash = ChainHash(evs[4]) + "0"
	if got := VerifyChain(0, "", evs); got != 5 {
		t.Fatalf("bad hash: broken at %d, want 5", got)
	}
}

func TestNewEventTruncatesTime(t *testing.T) {
	e := NewEvent("t", "", "o", "1", nil, time.Date(2026, 1, 1, 0, 0, 0, 1999, time.FixedZone("x", 3600)))
	if e.At.Nanosecond() != 1000 || e.At.Location() != time.UTC {
		t.Fatalf("At = %v", e.At)
	}
	if string(e.Payload) != "{}" {
		t.Fatalf("nil payload = %s", e.Payload)
	}
}
