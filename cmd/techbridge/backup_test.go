package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// countOutcomes counts published outcomes through a fresh store.
func countAccounts(t *testing.T, dbURL, dir string) int {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dbURL, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.DB().QueryRow(`SELECT COUNT(*) FROM accounts`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// backupRoundTrip seeds the demo market, backs it up, changes the
// database, restores, and checks the change is gone, the checks ran and
// the search index was rebuilt from the restored data.
func backupRoundTrip(t *testing.T, dbURL string) {
	ctx := context.Background()
	dir := t.TempDir()
	flags := []string{"--data-dir", dir, "--database-url", dbURL}
	var out strings.Builder
	if err := run(ctx, append([]string{"seed", "--demo"}, flags...), &out); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "techbridge.backup")
	if err := run(ctx, append([]string{"backup", "--to", file}, flags...), &out); err != nil {
		t.Fatalf("backup: %v\n%s", err, out.String())
	}
	before := countAccounts(t, dbURL, dir)
	if err := run(ctx, append([]string{"admin", "create", "--email", "after-backup@example.cn", "--password", "long enough secret"}, flags...), &out); err != nil {
		t.Fatal(err)
	}
	if countAccounts(t, dbURL, dir) != before+1 {
		t.Fatal("the change after the backup did not land")
	}
	out.Reset()
	if err := run(ctx, append([]string{"restore", "--from", file}, flags...), &out); err != nil {
		t.Fatalf("restore: %v\n%s", err, out.String())
	}
	o := out.String()
	if !strings.Contains(o, "event log intact") || !strings.Contains(o, "ledger check: OK") || !strings.Contains(o, "search index rebuilt with") {
		t.Fatalf("restore output:\n%s", o)
	}
	if strings.Contains(o, "rebuilt with 0 listings") {
		t.Fatalf("the rebuilt index is empty:\n%s", o)
	}
	if n := countAccounts(t, dbURL, dir); n != before {
		t.Fatalf("accounts after restore: %d, want %d as backed up", n, before)
	}
}

// TestBackupRestoreSQLite: an online SQLite backup restores to the state
// it was taken in, after audit verify and ledger check on the copy.
func TestBackupRestoreSQLite(t *testing.T) { backupRoundTrip(t, "") }

// TestBackupRestorePostgres: the same through pg_dump and pg_restore.
func TestBackupRestorePostgres(t *testing.T) { backupRoundTrip(t, sqltest.PostgresSchemaURL(t)) }

// TestRestoreRefusesATamperedBackup: a backup whose event log does not
// verify is not put in place.
func TestRestoreRefusesATamperedBackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out strings.Builder
	if err := run(ctx, []string{"seed", "--demo", "--data-dir", dir}, &out); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "b.db")
	if err := run(ctx, []string{"backup", "--to", file, "--data-dir", dir}, &out); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE events SET payload = '{"tampered":true}' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	live, _ := os.ReadFile(filepath.Join(dir, "techbridge.db"))
	err = run(ctx, []string{"restore", "--from", file, "--data-dir", dir}, &out)
	if err == nil || !strings.Contains(err.Error(), "fails its checks") {
		t.Fatalf("tampered restore: %v", err)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, "techbridge.db")); string(now) != string(live) {
		t.Fatal("a refused restore changed the database")
	}
}
