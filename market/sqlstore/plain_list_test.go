package sqlstore

import (
	"encoding/json"
	"slices"
	"testing"
)

// TestPlainListReadsWhatJSONListWrote: the fast path reads back every list
// jsonList writes, exactly as encoding/json does, and hands anything with
// an escape (or malformed) to it.
func TestPlainListReadsWhatJSONListWrote(t *testing.T) {
	for _, xs := range [][]string{nil, {"电池"}, {"a,b", "c"}, {"H01M 10/54", "H01M"}, {""}, {"", "x"},
		{`say "hi"`}, {`back\slash`}, {"<tag> & more"}, {"tab\there"}, {"]", "[", ","}} {
		s := jsonList(xs)
		got, err := listJSON(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		var want []string
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) || len(got) != len(xs) {
			t.Errorf("%q: %q, want %q", s, got, want)
		}
	}
	for _, bad := range []string{`["a"`, `["a" "b"]`, `["a",]`, `[1]`, `["a"]x`, `{"a":1}`} {
		if _, ok := plainList(bad); ok {
			t.Errorf("%q read as a plain list", bad)
		}
	}
}
