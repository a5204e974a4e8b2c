package search

import (
	"sort"
	"strings"
	"unicode"
)

// NormalizeIPC writes an IPC code the one way the engines index it:
// upper case, single spaces, and a space after the subclass ("h01m10/54"
// becomes "H01M 10/54"), so prefixes typed either way match.
func NormalizeIPC(code string) string {
	code = strings.ToUpper(strings.Join(strings.Fields(code), " "))
	if len(code) > 4 && code[4] != ' ' && isSubclass(code[:4]) {
		code = code[:4] + " " + code[4:]
	}
	return code
}

// IPCClass returns the subclass of an IPC code ("H01M 10/54" → "H01M"), the
// level at which listings are compared and counted.
func IPCClass(code string) string {
	code = NormalizeIPC(code)
	if len(code) >= 4 && isSubclass(code[:4]) {
		return code[:4]
	}
	return code
}

func isSubclass(s string) bool {
	return len(s) == 4 && unicode.IsLetter(rune(s[0])) && unicode.IsDigit(rune(s[1])) &&
		unicode.IsDigit(rune(s[2])) && unicode.IsLetter(rune(s[3]))
}

// ipcClasses returns the distinct subclasses of a document.
func ipcClasses(d Document) []string {
	seen := make(map[string]bool, len(d.IPC))
	var out []string
	for _, c := range d.IPC {
		if c = IPCClass(c); c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// classPrior estimates how likely each class is for the query: the weighted
// share of feedback hits in it.
func classPrior(fb feedback, classesOf func(Document) []string) map[string]float64 {
	prior := map[string]float64{}
	var total float64
	for i, d := range fb.docs {
		total += fb.weights[i]
		for _, c := range classesOf(d) {
			prior[c] += fb.weights[i]
		}
	}
	if total == 0 {
		return nil
	}
	for c := range prior {
		prior[c] /= total
	}
	return prior
}

// agreement is the prior of the likeliest class a document is in: one shared
// class makes a listing relevant, more do not add up.
func agreement(prior map[string]float64, classes []string) float64 {
	best := 0.0
	for _, c := range classes {
		best = max(best, prior[c])
	}
	return best
}
