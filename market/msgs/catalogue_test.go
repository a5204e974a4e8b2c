package msgs

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// declaredCodes parses this package's source for the constants of type
// Code: name → value.
func declaredCodes(t *testing.T, dir string) map[string]Code {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Code{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
					continue
				}
				for i, n := range vs.Names {
					v, err := strconv.Unquote(vs.Values[i].(*ast.BasicLit).Value)
					if err != nil {
						t.Fatal(err)
					}
					out[n.Name] = Code(v)
				}
			}
		}
	}
	return out
}

// TestCatalogueComplete fails when a declared code lacks its English or
// Chinese text, when the catalogue holds a code nobody declared, when two
// constants share a code, or when the two languages take different
// arguments.
func TestCatalogueComplete(t *testing.T) {
	declared := declaredCodes(t, ".")
	if len(declared) < 300 {
		t.Fatalf("found only %d declared codes; is the parser looking at codes.go?", len(declared))
	}
	seen := map[Code]string{}
	for name, c := range declared {
		if other, dup := seen[c]; dup {
			t.Errorf("%s and %s both declare code %q", name, other, c)
		}
		seen[c] = name
		tx, ok := catalogue[c]
		switch {
		case !ok:
			t.Errorf("%s (%q) has no catalogue entry", name, c)
		case strings.TrimSpace(tx.en) == "":
			t.Errorf("%s (%q) has no English text", name, c)
		case strings.TrimSpace(tx.zh) == "":
			t.Errorf("%s (%q) has no Chinese text", name, c)
		case !slices.Equal(sorted(verbs(tx.en)), sorted(verbs(tx.zh))):
			t.Errorf("%s: en %q and zh %q take different arguments", name, tx.en, tx.zh)
		}
	}
	for c := range catalogue {
		if _, ok := seen[c]; !ok {
			t.Errorf("catalogue entry %q is not a declared constant", c)
		}
	}
}

func sorted(s []string) []string { slices.Sort(s); return s }

// word is a Localizer for the test: its text depends on the language.
type word struct{ zh, en string }

func (w word) Localize(lang string) string {
	if lang == ZH {
		return w.zh
	}
	return w.en
}

func TestRenderLocalizesArguments(t *testing.T) {
	if got, want := Render(ZH, AtLeastMilestoneAmountN, word{"¥5.00", "CNY 5.00"}), "不能低于里程碑金额 ¥5.00"; got != want {
		t.Errorf("zh: %q, want %q", got, want)
	}
	if got, want := English(AtLeastMilestoneAmountN, word{"¥5.00", "CNY 5.00"}), "must be at least the milestone amount CNY 5.00"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
	if got, want := Render(ZH, LicenceMonths, 1200), "许可期限应为 1 至 1200 个月"; got != want {
		t.Errorf("zh: %q, want %q", got, want)
	}
}

func TestRenderKeepsAnUndeclaredCodeReadable(t *testing.T) {
	// An old-style English format passed as a code still reads, in every
	// language, until TestCallSitesUseDeclaredCodes has it converted.
	if got := Render(ZH, Code("must be at most %d characters"), 5); got != "must be at most 5 characters" {
		t.Errorf("got %q", got)
	}
	if Known(Code("must be at most %d characters")) || !Known(Required) {
		t.Error("Known is wrong")
	}
}
