package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// The stats bench seeds signed deals through the service, so it breaks when
// signing gains a rule (it did: registration answers and party profiles).
func TestBenchStatsRunsAtASmallSize(t *testing.T) {
	var out bytes.Buffer
	if err := runBenchStats(context.Background(), []string{"--n", "200", "--deals", "40", "--requests", "3"}, &out); err != nil {
		t.Fatalf("bench stats: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "commission statistics page") {
		t.Fatalf("bench stats printed no dashboard rows:\n%s", out.String())
	}
}
