// Command techbridge runs the TechBridge technology-transfer market: the
// API and web pages (serve), and the operator's tools (migrate, seed, admin,
// version, and the commands each area adds). main only wires; the work is
// in market, api, web, search and payments.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "techbridge:", err)
		os.Exit(1)
	}
}

// command is one subcommand.
type command struct {
	name, usage string
	run         func(ctx context.Context, args []string, stdout io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "run the API and web pages (the default)", runServe},
		{"migrate", "apply database migrations", runMigrate},
		{"reindex", "rebuild the search index from the database", runReindex},
		{"eval", "eval relevance --file F.jsonl: P@10 and MRR@10 of search on an evaluation set", runEval},
		{"bench", "bench search --n 100000: indexing, query, publish-to-searchable, memory and index-size figures", runBench},
		{"seed", "seed --demo: create the demo market", runSeed},
		{"admin", "admin create --email E --password P [--role admin|reviewer|registrar|finance]", runAdmin},
		{"import", "import outcomes --file F --org NAME [--create-org --kind K] [--publish]", runImport},
		{"audit", "audit verify: check the event log's hash chain", runAudit},
		{"ledger", "ledger check: recompute every balance and verify the ledger's invariants", runLedger},
		{"payments", "payments reconcile: compare the ledger with the payment provider's records", runPayments},
		{"backup", "backup --to FILE: an online copy of the database (SQLite VACUUM INTO; pg_dump on PostgreSQL)", runBackup},
		{"restore", "restore --from FILE: check a backup (audit verify, ledger check), put it in place, rebuild the search index", runRestore},
		{"version", "print the version", runVersion},
	}
}

// run dispatches to a subcommand; with none, it serves.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	name := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args, stdout)
		}
	}
	if name == "help" {
		fmt.Fprintln(stdout, "usage: techbridge <command> [flags]\n\ncommands:")
		for _, c := range commands() {
			fmt.Fprintf(stdout, "  %-10s %s\n", c.name, c.usage)
		}
		return nil
	}
	return fmt.Errorf("unknown command %q (try: techbridge help)", name)
}

func runVersion(_ context.Context, _ []string, stdout io.Writer) error {
	fmt.Fprintln(stdout, "techbridge", version)
	return nil
}
