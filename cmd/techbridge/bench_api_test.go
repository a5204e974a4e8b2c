package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"techbridge/market/sqlstore/sqltest"
)

func TestStatCPUReadsProcStat(t *testing.T) {
	// A command name may hold spaces and parentheses; the times follow the
	// last closing parenthesis: the process's own, then its reaped
	// children's (a server's exited workers), which the sum keeps.
	line := []byte("4242 (postgres: a (b) c) S 1 4242 4242 0 -1 4194560 2360 0 0 0 37 12 5 3 20 0 1 0 1234 1000 100 0\n")
	comm, ticks, ok := statCPU(line)
	if !ok || comm != "postgres: a (b) c" || ticks != 57 {
		t.Fatalf("statCPU = %q, %d, %t; want the comm, 37+12+5+3 ticks, true", comm, ticks, ok)
	}
	if _, _, ok := statCPU([]byte("4242 (short) S 1 2 3 4 5 6 7 8 9 10 11 12 13")); ok {
		t.Fatal("a line without the time fields was read")
	}
}

// TestBenchAPIRunsSmall runs bench api's first row at a tiny size on both
// engines: on SQLite the database's CPU is the process's own; on a
// PostgreSQL server on this machine the row also gives the server's CPU per
// request and the ratio with it. The figures are for people, not asserted.
func TestBenchAPIRunsSmall(t *testing.T) {
	args := []string{"--n", "300", "--only", "healthz", "--requests", "300", "--rounds", "1", "--flood-addrs", "10"}
	run := func(extra ...string) string {
		var out bytes.Buffer
		if err := runBenchAPI(context.Background(), append(append([]string{}, args...), extra...), &out); err != nil {
			t.Fatalf("bench api: %v\n%s", err, out.String())
		}
		return out.String()
	}
	healthz := func(out string) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "| P1 `GET /healthz`") {
				return l
			}
		}
		t.Fatalf("no healthz row:\n%s", out)
		return ""
	}
	if row := healthz(run()); !strings.HasSuffix(row, "| in process |") {
		t.Errorf("SQLite row: %s", row)
	}
	url := sqltest.PostgresSchemaURL(t)
	if _, ok := postgresCPU(); !ok {
		t.Skip("no PostgreSQL server processes on this machine to read")
	}
	if row := healthz(run("--postgres", url)); !regexp.MustCompile(`\| [0-9.]+ \([0-9.]+×\) \|$`).MatchString(row) {
		t.Errorf("PostgreSQL row has no database server CPU: %s", row)
	}
	// A second run on the same database says it is not empty (it crashed
	// on the first bench account's nil).
	var out bytes.Buffer
	if err := runBenchAPI(context.Background(), append(append([]string{}, args...), "--postgres", url), &out); err == nil || !strings.Contains(err.Error(), "needs an empty database") {
		t.Errorf("bench api on a used database: %v", err)
	}
}

// TestBenchAPIUncachedRowsReadTheDatabase: the rows named uncached are
// checked to be answered by the database, not the response cache (the
// bench counts the cache's hits and stops at one). The detail row reads
// bare ids (the API refuses a query it does not read), so it needs more
// listings than the cache keeps: in a market of 300 it says so at once
// (it ran, and 600 of its 900 reads were the cache's, before its URLs had
// a query of their own) and runs with the cache off; at 5,000 its 6,000
// reads go round the ids once more and still each miss.
func TestBenchAPIUncachedRowsReadTheDatabase(t *testing.T) {
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := runBenchAPI(context.Background(), append([]string{"--rounds", "2", "--flood-addrs", "10"}, args...), &out)
		return out.String(), err
	}
	if out, err := run("--n", "300", "--only", "outcomes/{id}", "--requests", "900"); err == nil || !strings.Contains(err.Error(), "--n 4097 or more, or --cache-ttl 0") {
		t.Errorf("detail row in a market smaller than the cache: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"--n", "300", "--only", "outcomes/{id}", "--requests", "900", "--cache-ttl", "0"},
		{"--n", "300", "--only", "cursor", "--requests", "900"},
		{"--n", "5000", "--only", "outcomes/{id}", "--requests", "3000"},
	} {
		out, err := run(args...)
		if err != nil {
			t.Fatalf("bench api %v: %v\n%s", args, err, out)
		}
		if !strings.Contains(out, "uncached) |") {
			t.Errorf("bench api %v: no uncached row:\n%s", args, out)
		}
	}
}
