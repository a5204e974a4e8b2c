// Package migrations holds the versioned SQL schema, embedded in the binary.
// A file NNNNN_name.sql is shared by both engines; NNNNN_name.sqlite.sql and
// NNNNN_name.postgres.sql carry what only one engine understands (triggers,
// types), and each engine skips the other's files.
package migrations

import (
	"embed"
	"io/fs"
	"strings"
)

//go:embed *.sql
var files embed.FS

// FS returns every migration file.
func FS() fs.FS { return files }

// ExcludedFor returns the file names the dialect ("sqlite" or "postgres")
// must skip.
func ExcludedFor(dialect string) []string {
	other := ".postgres.sql"
	if dialect == "postgres" {
		other = ".sqlite.sql"
	}
	entries, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), other) {
			out = append(out, e.Name())
		}
	}
	return out
}
