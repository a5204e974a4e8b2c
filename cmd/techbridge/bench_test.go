package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchSearchRunsSmall runs the benchmark command at a tiny size: it
// must seed, index and answer every kind of query; the figures themselves
// are for people, not for assertions.
func TestBenchSearchRunsSmall(t *testing.T) {
	// A set of ten real-looking records stands for the eval dir: ten of the
	// sixty listings, timed both in the market and as a set of their own.
	dir := t.TempDir()
	var set strings.Builder
	for i := range 10 {
		fmt.Fprintf(&set, `{"external_id": "csl-%d", "title": "基于深度学习的锂电池健康状态估计方法研究 %d", "summary": "提出一种估计方法。"}`+"\n", i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "csl_public.jsonl"), []byte(set.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(context.Background(), []string{"bench", "search", "--n", "60", "--queries", "3", "--publishes", "2", "--load", "1", "--eval", dir}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"created 50,", "created 10,", "60 docs)", "one term", "two terms zh+en", "type-ahead", "filtered",
		"across languages", "real one term", "real across", "over 2 publishes", "VmRSS", "source text", "csl_public             10"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
}
