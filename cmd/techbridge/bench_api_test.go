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
// checked to be answered by the database, not the response cache, and in a
// market of 300 listings, 900 detail reads over two rounds ask for each id
// six times: each must still miss (the bench counts the cache's hits).
func TestBenchAPIUncachedRowsReadTheDatabase(t *testing.T) {
	for _, row := range []string{"outcomes/{id}", "cursor"} {
		var out bytes.Buffer
		args := []string{"--n", "300", "--only", row, "--requests", "900", "--rounds", "2", "--flood-addrs", "10"}
		if err := runBenchAPI(context.Background(), args, &out); err != nil {
			t.Fatalf("bench api --only %s: %v\n%s", row, err, out.String())
		}
		if !strings.Contains(out.String(), "uncached) |") {
			t.Errorf("no %s row:\n%s", row, out.String())
		}
	}
}
