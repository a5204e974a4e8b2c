package meili

import (
	"slices"
	"testing"
)

func TestFragment(t *testing.T) {
	cases := []struct {
		in     string
		radius int
		want   string
	}{
		{"no match here", 5, ""},
		{"a <mark>b</mark> c", 5, "a <mark>b</mark> c"},
		{"0123456789<mark>x</mark>abcdefghij", 3, "…789<mark>x</mark>abc…"},
		// A later match inside the window is kept whole, never cut.
		{"<mark>x</mark>ab<mark>long</mark>cdefgh", 3, "<mark>x</mark>ab<mark>long</mark>…"},
		{"锂电池回收<mark>电池</mark>材料再生技术", 2, "…回收<mark>电池</mark>材料…"},
		{"unbalanced <mark>tag", 50, ""},
	}
	for _, c := range cases {
		if got := fragment(segments(c.in), c.radius); got != c.want {
			t.Errorf("fragment(%q, %d) = %q, want %q", c.in, c.radius, got, c.want)
		}
	}
}

func TestSegments(t *testing.T) {
	got := segments("a<mark>B</mark>c<mark>d</mark>")
	want := []segment{{"a", false}, {"B", true}, {"c", false}, {"d", true}}
	if !slices.Equal(got, want) {
		t.Errorf("segments = %v, want %v", got, want)
	}
}
