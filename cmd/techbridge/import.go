package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"techbridge/market"
)

// runImport handles "import outcomes": an admin's bulk upsert straight into
// the database, as the system actor.
func runImport(ctx context.Context, args []string, stdout io.Writer) error {
	const usage = "usage: techbridge import outcomes --file F --org NAME [--create-org --kind university] [--publish] [--format jsonl|csv]"
	if len(args) == 0 || args[0] != "outcomes" {
		return errors.New(usage)
	}
	var c config
	fs := flag.NewFlagSet("import outcomes", flag.ContinueOnError)
	dataFlags(fs, &c)
	file := fs.String("file", "", "JSONL or CSV file to import")
	orgName := fs.String("org", "", "organisation id, or its exact Chinese or English name")
	createOrg := fs.Bool("create-org", false, "create the organisation (verified, placeholder credit code) when no organisation has that name")
	kind := fs.String("kind", market.OrgUniversity, "kind of an organisation made by --create-org")
	publish := fs.Bool("publish", false, "publish the outcomes at once instead of leaving drafts for review")
	format := fs.String("format", "", "jsonl or csv; default from the file extension")
	batch := fs.Int("batch", market.DefaultImportBatch, "records per transaction")
	if err := parse(fs, args[1:], stdout); err != nil {
		return err
	}
	if *file == "" || *orgName == "" {
		return errors.New(usage)
	}
	if *format == "" {
		*format = market.ImportJSONL
		if strings.EqualFold(filepath.Ext(*file), ".csv") {
			*format = market.ImportCSV
		}
	}
	f, err := os.Open(*file)
	if err != nil {
		return err
	}
	defer f.Close()
	svc, db, err := c.openService(ctx, c.logger(os.Stderr))
	if err != nil {
		return err
	}
	defer db.Close()
	org, created, err := svc.ImportOrganization(ctx, market.SystemActor, *orgName, *kind, *createOrg)
	if err != nil {
		return cliError(err)
	}
	if created {
		fmt.Fprintf(stdout, "created organisation %s %q (%s) with placeholder credit code %s\n", org.ID, org.NameZH, org.Kind, org.CreditCode)
	}
	start := time.Now()
	rep, err := svc.ImportOutcomes(ctx, market.SystemActor, org.ID, f, *format, market.ImportOptions{Publish: *publish, BatchSize: *batch})
	elapsed := time.Since(start)
	printImportErrors(stdout, rep)
	if err != nil {
		fmt.Fprintf(stdout, "stopped: %s (committed so far: %s)\n", market.ErrorMessage(err), rep)
		return cliError(err)
	}
	rate := float64(rep.Created+rep.Updated+rep.Unchanged+rep.Failed) / elapsed.Seconds()
	fmt.Fprintf(stdout, "%s into %s in %s (%.0f records/s)\n", rep, org.NameZH, elapsed.Round(time.Millisecond), rate)
	return nil
}

// printImportErrors lists the failed lines, one per line, as file:line.
func printImportErrors(w io.Writer, rep market.ImportReport) {
	for _, e := range rep.Errors {
		fmt.Fprintf(w, "line %d", e.Line)
		if e.ExternalID != "" {
			fmt.Fprintf(w, " (%s)", e.ExternalID)
		}
		fmt.Fprintf(w, ": %s", e.Message)
		for _, fe := range e.Fields {
			fmt.Fprintf(w, "; %s: %s", fe.Field, fe.Message)
		}
		fmt.Fprintln(w)
	}
	if rep.Failed > len(rep.Errors) {
		fmt.Fprintf(w, "… and %d more failed lines\n", rep.Failed-len(rep.Errors))
	}
}
