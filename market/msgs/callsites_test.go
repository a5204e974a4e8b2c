package msgs

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The functions whose argument at the index is a message code. Fields.Add
// is found by its receiver's declared type (fieldsNames).
var codeArgs = map[string][]int{
	"Errorf":       {1}, // market.Errorf(kind, code, args...)
	"Invalid":      {1}, // market.Invalid(field, code, args...)
	"StaleVersion": {0}, // market.StaleVersion(code, args...)
	"Refusal":      {1, 3},
	"refuse":       {2}, // ledger's refuse(kind, field, code, args...)
}

// checkCallSites walks the non-test Go files under root and returns one
// line per call that passes something other than a declared code where a
// code belongs, and per Error or FieldError literal that sets an English
// Message without a code.
func checkCallSites(t *testing.T, root string, declared map[string]Code, used map[string]bool) []string {
	t.Helper()
	byEnglish := map[string]string{}
	for name, c := range declared {
		byEnglish[catalogue[c].en] = name
	}
	// Each package directory's names declared as market.Fields.
	type file struct {
		path string
		f    *ast.File
	}
	dirs := map[string][]file{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); p != root && (n == "testdata" || n == "vendor" || n == "node_modules" || strings.HasPrefix(n, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, ".go.txt") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		dirs[filepath.Dir(p)] = append(dirs[filepath.Dir(p)], file{p, f})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	report := func(n ast.Node, what string, arg ast.Expr) {
		hint := "declare a code in market/msgs (codes.go, catalogue.go) and pass it"
		if lit, ok := arg.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			s, _ := strconv.Unquote(lit.Value)
			if name, ok := byEnglish[s]; ok {
				hint = "use msgs." + name
			}
		}
		pos := fset.Position(n.Pos())
		rel, _ := filepath.Rel(root, pos.Filename)
		bad = append(bad, fmt.Sprintf("%s:%d: %s: %s", rel, pos.Line, what, hint))
	}
	isCode := func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.SelectorExpr:
			pkg, ok := x.X.(*ast.Ident)
			_, declaredName := declared[x.Sel.Name]
			return ok && pkg.Name == "msgs" && declaredName
		case *ast.Ident:
			// A parameter of type msgs.Code, forwarded by a helper whose
			// own callers are checked.
			if x.Obj != nil {
				if fd, ok := x.Obj.Decl.(*ast.Field); ok {
					if sel, ok := fd.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Code" {
						return true
					}
					if id, ok := fd.Type.(*ast.Ident); ok && id.Name == "Code" {
						return true
					}
				}
			}
			_, ok := declared[x.Name]
			return ok
		}
		return false
	}
	for _, files := range dirs {
		fieldsNames := map[string]bool{}
		codeFields := map[string]bool{} // struct fields and variables of type msgs.Code
		for _, fl := range files {
			ast.Inspect(fl.f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.Field:
					if isFieldsType(x.Type) {
						for _, id := range x.Names {
							fieldsNames[id.Name] = true
						}
					}
					if name, recv := callName(x.Type); name == "Code" && recv == "msgs" {
						for _, id := range x.Names {
							// Error.Msg and FieldError.Code are filled by the
							// constructors checked above.
							codeFields[id.Name] = id.Name != "Code" && id.Name != "Msg"
						}
					}
				case *ast.ValueSpec:
					if isFieldsType(x.Type) {
						for _, id := range x.Names {
							fieldsNames[id.Name] = true
						}
					}
				}
				return true
			})
		}
		for _, fl := range files {
			ast.Inspect(fl.f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.SelectorExpr:
					if pkg, ok := x.X.(*ast.Ident); ok && pkg.Name == "msgs" && used != nil {
						used[x.Sel.Name] = true
					}
				case *ast.CallExpr:
					name, recv := callName(x.Fun)
					idx := codeArgs[name]
					if name == "Add" && fieldsNames[recv] {
						idx = []int{1}
					} else if name == "Add" || name == "Errorf" && (recv == "fmt" || recv == "t" || recv == "b") {
						idx = nil
					}
					for _, i := range idx {
						if i >= len(x.Args) {
							continue
						}
						if sel, ok := x.Args[i].(*ast.SelectorExpr); ok && codeFields[sel.Sel.Name] {
							continue // a msgs.Code field, checked where it is filled
						}
						if !isCode(x.Args[i]) {
							report(x, name+" without a declared message code", x.Args[i])
						}
					}
				case *ast.KeyValueExpr:
					// A struct literal filling a msgs.Code field: awardRefusal: msgs.AwardOutcome.
					if k, ok := x.Key.(*ast.Ident); ok && codeFields[k.Name] && !isCode(x.Value) {
						report(x, k.Name+" without a declared message code", x.Value)
					}
				case *ast.CompositeLit:
					typ, _ := callName(x.Type)
					need := map[string]string{"Error": "Msg", "FieldError": "Code"}[typ]
					if need == "" {
						return true
					}
					keys := map[string]bool{}
					for _, el := range x.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok {
								keys[k.Name] = true
							}
						}
					}
					if typ == "Error" && keys["Kind"] { // ledger.Error: Kind, Field, Message, Code
						need = "Code"
					}
					if keys["Message"] && !keys[need] {
						report(x, typ+" literal with an English Message and no "+need, nil)
					}
				}
				return true
			})
		}
	}
	sort.Strings(bad)
	return bad
}

// isFieldsType reports whether a type expression is market.Fields or
// Fields, through a pointer.
func isFieldsType(e ast.Expr) bool {
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	name, _ := callName(e)
	return name == "Fields"
}

// callName returns the called name and, for a selector, the name of what
// it is called on (its last identifier: "errs" in p.errs.Add).
func callName(e ast.Expr) (name, recv string) {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name, ""
	case *ast.SelectorExpr:
		switch r := x.X.(type) {
		case *ast.Ident:
			return x.Sel.Name, r.Name
		case *ast.SelectorExpr:
			return x.Sel.Name, r.Sel.Name
		}
		return x.Sel.Name, ""
	}
	return "", ""
}

func repoRoot(t *testing.T) string {
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// TestCallSitesUseDeclaredCodes fails for every call in the repository that
// still passes English (or anything but a declared code) where a message
// code belongs: Fields.Add, Errorf, Invalid, StaleVersion, Refusal and the
// ledger's refuse. Each line says which constant to use when the English
// is already in the catalogue.
func TestCallSitesUseDeclaredCodes(t *testing.T) {
	declared := declaredCodes(t, ".")
	used := map[string]bool{}
	for _, line := range checkCallSites(t, repoRoot(t), declared, used) {
		t.Error(line)
	}
	for name := range declared {
		if !used[name] {
			t.Errorf("msgs.%s is declared but no code uses it: remove it from codes.go and catalogue.go", name)
		}
	}
}

// TestCallSiteCheckFindsOldStyleCalls runs the check on a file written the
// old way, so the test above cannot pass by finding nothing.
func TestCallSiteCheckFindsOldStyleCalls(t *testing.T) {
	got := checkCallSites(t, filepath.Join("testdata", "oldstyle"), declaredCodes(t, "."), nil)
	want := []string{
		"old.go.txt:12: Add without a declared message code: use msgs.Required",
		"old.go.txt:13: Add without a declared message code: use msgs.AtMostNChars",
		"old.go.txt:14: Add without a declared message code: declare a code in market/msgs (codes.go, catalogue.go) and pass it",
		"old.go.txt:15: Errorf without a declared message code: use msgs.DealXNotFound",
		"old.go.txt:16: Invalid without a declared message code: use msgs.Positive",
		"old.go.txt:17: Error literal with an English Message and no Msg: declare a code in market/msgs (codes.go, catalogue.go) and pass it",
		"old.go.txt:27: refusal without a declared message code: declare a code in market/msgs (codes.go, catalogue.go) and pass it",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
