package main

import (
	"context"
	"strings"
	"testing"
)

// TestBenchSearchRunsSmall runs the benchmark command at a tiny size: it
// must seed, index and answer every kind of query; the figures themselves
// are for people, not for assertions.
func TestBenchSearchRunsSmall(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"bench", "search", "--n", "60", "--queries", "3", "--publishes", "2", "--load", "1"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"created 60,", "60 docs)", "one term", "two terms zh+en", "type-ahead", "filtered",
		"over 2 publishes", "VmRSS", "source text"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
}
