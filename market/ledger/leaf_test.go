package ledger

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLedgerIsALeaf: the money package imports nothing of the project
// (market, payments, adapters), so every layer can compute money with it.
func TestLedgerIsALeaf(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue // external tests may drive the domain
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			// market/msgs, the message catalogue, is a leaf too.
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(p, "techbridge/") && p != "techbridge/market/msgs" {
				t.Errorf("%s imports %s", f, p)
			}
		}
	}
}
