package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"techbridge/search"
)

// runBackup is `techbridge backup --to FILE`: on SQLite a consistent
// online copy (VACUUM INTO; serve may keep running); on PostgreSQL
// pg_dump's custom format when pg_dump is installed, else guidance.
func runBackup(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	dataFlags(fs, &c)
	to := fs.String("to", "", "file to write the backup to (must not exist)")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("usage: techbridge backup --to FILE")
	}
	if _, err := os.Stat(*to); err == nil {
		return fmt.Errorf("backup: %s exists; choose a new file", *to)
	}
	if c.DatabaseURL != "" {
		return pgTool(ctx, stdout, "pg_dump", c.DatabaseURL, "--format=custom", "--no-owner", "--file", *to)
	}
	db, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.BackupSQLite(ctx, *to); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fi, err := os.Stat(*to)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up the SQLite database to %s (%d bytes) in %s\n", *to, fi.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}

// runRestore is `techbridge restore --from FILE`: it checks the backup
// (audit verify and ledger check on the restored copy), puts it in place
// (SQLite: the old file is kept beside it; PostgreSQL: pg_restore --clean)
// and rebuilds the search index from it. serve must be stopped: the data
// dir's lock is taken.
func runRestore(ctx context.Context, args []string, stdout io.Writer) error {
	var c config
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	dataFlags(fs, &c)
	searchFlags(fs, &c)
	from := fs.String("from", "", "backup file written by techbridge backup")
	if err := parse(fs, args, stdout); err != nil {
		return err
	}
	if *from == "" {
		return errors.New("usage: techbridge restore --from FILE")
	}
	if _, err := os.Stat(*from); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return err
	}
	unlock, err := lockDataDir(c.DataDir)
	if err != nil {
		return fmt.Errorf("restore: stop serve first: %w", err)
	}
	defer unlock()
	if c.DatabaseURL != "" {
		if err := pgTool(ctx, stdout, "pg_restore", c.DatabaseURL, "--clean", "--if-exists", "--no-owner", *from); err != nil {
			return err
		}
		if err := checkRestored(ctx, c, stdout); err != nil {
			return fmt.Errorf("restore: the restored database fails its checks: %w", err)
		}
	} else {
		// Check a copy first; only a sound backup replaces the database.
		staging, err := os.MkdirTemp(c.DataDir, "restore-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(staging)
		if err := copyFile(*from, filepath.Join(staging, "techbridge.db")); err != nil {
			return err
		}
		sc := c
		sc.DataDir = staging
		if err := checkRestored(ctx, sc, stdout); err != nil {
			return fmt.Errorf("restore: %s fails its checks; the database was left as it was: %w", *from, err)
		}
		live := filepath.Join(c.DataDir, "techbridge.db")
		if _, err := os.Stat(live); err == nil {
			kept := live + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
			if err := os.Rename(live, kept); err != nil {
				return err
			}
			for _, side := range []string{"-wal", "-shm"} {
				os.Rename(live+side, kept+side)
			}
			fmt.Fprintf(stdout, "the previous database is kept as %s\n", kept)
		}
		if err := os.Rename(filepath.Join(staging, "techbridge.db"), live); err != nil {
			return err
		}
	}
	return rebuildIndex(ctx, c, stdout)
}

// checkRestored runs audit verify and ledger check on the database c
// names (migrated first: a backup may predate the newest migrations).
func checkRestored(ctx context.Context, c config, stdout io.Writer) error {
	svc, db, err := c.openService(ctx, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := verifyEventLog(ctx, db, auditPage)
	if err != nil {
		return err
	}
	if res.Broken != 0 {
		return fmt.Errorf("event log broken at seq %d (%s)", res.Broken, res.Reason)
	}
	fmt.Fprintf(stdout, "audit verify: event log intact, %d events\n", res.Checked)
	violations, err := svc.CheckLedger(ctx)
	if err != nil {
		return err
	}
	return report(stdout, "ledger check", violations)
}

// rebuildIndex drops this data dir's index and cursor and indexes the
// restored database afresh.
func rebuildIndex(ctx context.Context, c config, stdout io.Writer) error {
	if c.MeiliURL == "" {
		os.RemoveAll(filepath.Join(c.DataDir, "search.bleve"))
		os.Remove(filepath.Join(c.DataDir, "search.cursor"))
	}
	n, _, err := reindexListings(ctx, c, slog.New(slog.DiscardHandler), 2*search.DefaultLeaseTTL)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored; search index rebuilt with %d listings\n", n)
	return nil
}

// pgTool runs pg_dump or pg_restore against databaseURL. A search_path
// in the URL (a schema, as the tests use) becomes the tool's --schema
// (libpq URLs do not take it).
func pgTool(ctx context.Context, stdout io.Writer, tool, databaseURL string, args ...string) error {
	path, err := exec.LookPath(tool)
	if err != nil {
		return fmt.Errorf("%s is not installed. Back up PostgreSQL with its own tools: "+
			"pg_dump --format=custom --file FILE \"$TECHBRIDGE_DATABASE_URL\", restore with "+
			"pg_restore --clean --if-exists -d \"$TECHBRIDGE_DATABASE_URL\" FILE, then run techbridge audit verify, "+
			"techbridge ledger check and techbridge reindex", tool)
	}
	u, err := url.Parse(databaseURL)
	if err != nil {
		return err
	}
	q := u.Query()
	if s := q.Get("search_path"); s != "" {
		args = append([]string{"--schema", s}, args...)
		q.Del("search_path")
		u.RawQuery = q.Encode()
	}
	args = append([]string{"--dbname", u.String()}, args...)
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdout, cmd.Stderr = stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", tool, err)
	}
	fmt.Fprintf(stdout, "%s done\n", tool)
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
