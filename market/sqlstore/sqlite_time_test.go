package sqlstore

import (
	"math/rand/v2"
	"testing"
	"time"
)

// TestParseLiteTimeAgreesWithTheDriver checks the one-pass reader against
// the driver's way (parseLiteTimeDriver: time.Parse layouts in turn) on what
// _time_format=sqlite writes, in any zone and at any precision, and on text
// the fast path leaves to the driver's way.
func TestParseLiteTimeAgreesWithTheDriver(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 12))
	zones := []*time.Location{time.UTC, time.FixedZone("", 8*3600), time.FixedZone("", -(3*3600 + 30*60)), time.FixedZone("", 14*3600)}
	var texts []string
	for range 5000 {
		at := time.Unix(r.Int64N(5e9)-1e9, 0)
		switch r.IntN(4) {
		case 0: // whole seconds: no fraction written
		case 1:
			at = at.Add(time.Duration(r.IntN(1000)) * time.Millisecond)
		default:
			at = at.Add(time.Duration(r.IntN(1e9)))
		}
		texts = append(texts, at.In(zones[r.IntN(len(zones))]).Format(liteTimeLayout))
	}
	texts = append(texts,
		"2026-02-28 23:59:59+00:00", "2024-02-29 12:00:00.000000001-07:00",
		// Left to the driver's way, which reads some and refuses others.
		"2026-12-06 19:20:52.123456789 +0000 UTC", "2026-12-06 19:20:52.5 +0800 CST m=+0.001",
		"2026-12-06T19:20:52Z", "2026-12-06 19:20:52", "2026-12-06 19:20", "2026-12-06",
		"2026-12-06 19:20:52.1234567891+00:00", "2026-12-06 19:20:52.+00:00", "2026-12-06 19:20:52+24:00",
		"2026-02-30 10:00:00+00:00", "2026-13-01 10:00:00+00:00", "2026-12-06 24:00:00+00:00",
		"2026-12-06 19:20:60+00:00", "2026-12-06 19:20:52+00:00 ", "2026-12-06 19:2x:52+00:00", "", "soon")
	for _, s := range texts {
		got, err := parseLiteTime(s)
		want, wantErr := parseLiteTimeDriver(s)
		if (err != nil) != (wantErr != nil) || !got.Equal(want) || got.Location() != time.UTC || got != want {
			t.Fatalf("parseLiteTime(%q) = %v, %v; the driver's way: %v, %v", s, got, err, want, wantErr)
		}
	}
	if _, ok := parseLiteTimeFast(texts[0]); !ok {
		t.Fatalf("the fast path refused %q", texts[0])
	}
}

// BenchmarkParseLiteTime compares the one-pass reader with the driver's way
// on a time as written.
func BenchmarkParseLiteTime(b *testing.B) {
	s := time.Date(2026, 12, 6, 19, 20, 52, 123456789, time.UTC).Format(liteTimeLayout)
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			parseLiteTime(s)
		}
	})
	b.Run("driver", func(b *testing.B) {
		for b.Loop() {
			parseLiteTimeDriver(s)
		}
	})
}
