package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"techbridge/market"
)

// runLedger is `techbridge ledger check`: recompute every balance from the
// entries and verify every invariant; it prints OK or each violation and
// fails when there is one.
func runLedger(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return fmt.Errorf("usage: techbridge ledger check [flags]")
	}
	var c config
	fs := flag.NewFlagSet("ledger check", flag.ContinueOnError)
	dataFlags(fs, &c)
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	svc, db, err := c.openService(ctx, c.logger(os.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	return ledgerCheck(ctx, svc, stdout)
}

// ledgerCheck prints each violation (an overflowed balance among them,
// named by its account) and fails when there is one.
func ledgerCheck(ctx context.Context, svc *market.Service, stdout io.Writer) error {
	violations, err := svc.CheckLedger(ctx)
	if err != nil {
		return err
	}
	return report(stdout, "ledger check", violations)
}
