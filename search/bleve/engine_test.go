package bleve

import (
	"html"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"techbridge/market"
	"techbridge/search"
)

func doc(id, title, summary string, keywords ...string) search.Document {
	return search.Document{ID: id, Kind: search.KindOutcome, OrgID: "org", OrgKind: "university",
		Title: title, Summary: summary, Keywords: keywords, Version: 1}
}

func hitIDs(res search.Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}

func TestOnDiskIndexSurvivesReopenAndReset(t *testing.T) {
	path := filepath.Join(t.TempDir(), "idx")
	d := doc("a", "锂电池回收", "")
	d.Version = 5
	src := sourceOf(d)
	e, err := Open(path, src)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Upsert(t.Context(), d); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if e, err = Open(path, src); err != nil {
		t.Fatal(err)
	}
	defer func() { e.Close() }()
	old := d
	old.Version, old.Title = 3, "旧标题"
	if err := e.Upsert(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	res, err := e.Search(t.Context(), search.Query{Text: "电池"})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Title != "锂电池回收" {
		t.Fatalf("after reopen: %+v, %v; want the version 5 document", res.Hits, err)
	}
	if res, err := e.Search(t.Context(), search.Query{Text: "旧标题"}); err != nil || len(res.Hits) != 0 {
		t.Fatalf("the older version's words are searchable: %+v, %v", res.Hits, err)
	}
	if err := e.Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n, err := e.Count(t.Context()); err != nil || n != 0 {
		t.Errorf("Count after Reset = %d, %v; want 0", n, err)
	}
	if err := e.Upsert(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.Count(t.Context()); n != 1 {
		t.Errorf("Count after re-adding an old version to a reset index = %d, want 1", n)
	}
}

func TestChineseWordInsideCompound(t *testing.T) {
	e := mustOpen(t)
	defer e.Close()
	docs := []search.Document{
		doc("li", "锂电池正极材料回收", "废旧锂电池拆解"),
		doc("straw", "秸秆回收利用", "农作物秸秆还田"),
	}
	if err := e.Upsert(t.Context(), docs...); err != nil {
		t.Fatal(err)
	}
	res, err := e.Search(t.Context(), search.Query{Text: "电池", Highlight: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); !slices.Equal(got, []string{"li"}) {
		t.Fatalf("电池 found %v, want [li]", got)
	}
	if got := res.Hits[0].Highlights["title"]; len(got) != 1 || got[0] != "锂<mark>电池</mark>正极材料回收" {
		t.Errorf("title highlight %q", got)
	}
	res, _ = e.Search(t.Context(), search.Query{Text: "锂电池", Highlight: true})
	if got := res.Hits[0].Highlights["title"]; len(got) != 1 || got[0] != "<mark>锂电池</mark>正极材料回收" {
		t.Errorf("overlapping bigrams must merge into one mark: %q", got)
	}
	if got := res.Hits[0].Terms; !slices.Equal(got, []string{"锂电池"}) {
		t.Errorf("Terms = %q, want [锂电池]", got)
	}
}

func TestHighlightsEscapeAndCutLongText(t *testing.T) {
	e := mustOpen(t)
	defer e.Close()
	long := strings.Repeat("filler words here. ", 30) + "A <b>battery</b> & more. " +
		strings.Repeat("padding text again. ", 30) + "Second battery mention."
	if err := e.Upsert(t.Context(), doc("x", "Batteries & <cells>", long)); err != nil {
		t.Fatal(err)
	}
	res, err := e.Search(t.Context(), search.Query{Text: "battery", Highlight: true})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	h := res.Hits[0].Highlights
	if got := h["title"]; len(got) != 1 || got[0] != "<mark>Batteries</mark> &amp; &lt;cells&gt;" {
		t.Errorf("title %q: want the stemmed match marked and the rest escaped", got)
	}
	sum := h["summary"]
	if len(sum) != 2 {
		t.Fatalf("summary fragments %q, want 2 (one per distant mention)", sum)
	}
	if !strings.Contains(sum[0], "&lt;b&gt;<mark>battery</mark>&lt;/b&gt;") || !strings.HasPrefix(sum[0], "…") {
		t.Errorf("first fragment %q", sum[0])
	}
	plain := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(sum[0]))
	if n := len([]rune(plain)); n > fragmentLen+2 {
		t.Errorf("fragment of %d runes of text, want at most %d", n, fragmentLen+2)
	}
	if !slices.Contains(res.Hits[0].Terms, "battery") || !slices.Contains(res.Hits[0].Terms, "batteries") {
		t.Errorf("Terms %q, want both inflections", res.Hits[0].Terms)
	}
	res, _ = e.Search(t.Context(), search.Query{Text: "battery"})
	if res.Hits[0].Highlights != nil {
		t.Errorf("highlights without asking: %v", res.Hits[0].Highlights)
	}
}

func TestInvalidSortAndFacet(t *testing.T) {
	e := mustOpen(t)
	defer e.Close()
	for _, q := range []search.Query{{Sort: "oldest"}, {Facets: []string{"colour"}}} {
		_, err := e.Search(t.Context(), q)
		if market.ErrorCode(err) != market.EINVALID {
			t.Errorf("%+v: err %v, want EINVALID", q, err)
		}
	}
}

func TestExpansionTermsWidenAndWeighLess(t *testing.T) {
	e := mustOpen(t)
	defer e.Close()
	docs := []search.Document{
		doc("word", "battery pack", "thermal design"),
		doc("exp", "cathode powder", "thermal design"),
		doc("none", "crop drone", "spraying"),
	}
	if err := e.Upsert(t.Context(), docs...); err != nil {
		t.Fatal(err)
	}
	q := search.Query{Text: "battery", Expansion: []search.WeightedTerm{{Term: "cathode", Weight: 0.3}}}
	res, err := e.Search(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); !slices.Equal(got, []string{"word", "exp"}) {
		t.Fatalf("got %v, want [word exp]: the expansion term finds exp, and weighs less than a query word", got)
	}
	if len(res.Hits[1].Terms) != 0 {
		t.Errorf("Terms of exp = %q: expansion terms are not the user's words", res.Hits[1].Terms)
	}
}

func TestSuggestFrequentFirstAndFullWidth(t *testing.T) {
	e := mustOpen(t)
	defer e.Close()
	docs := []search.Document{
		doc("a", "Lithium extraction from brine", "", "lithium battery"),
		doc("b", "Solid electrolyte", "", "lithium battery", "electrolyte"),
		doc("c", "Lithium-sulfur cells", ""),
	}
	if err := e.Upsert(t.Context(), docs...); err != nil {
		t.Fatal(err)
	}
	got, err := e.Suggest(t.Context(), "ＬＩＴＨ", 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"lithium battery", "Lithium-sulfur cells", "Lithium extraction from brine"}
	if !slices.Equal(got, want) {
		t.Errorf("Suggest = %q, want %q (shared keyword first, then shorter)", got, want)
	}
}

// Single Han characters weigh in the score but never make a hit on their
// own: a search for 电池 does not return a listing about 电机 that shares
// only the character 电 (issue 17: results without the query's word).
func TestCharactersScoreButDoNotMatchAlone(t *testing.T) {
	e, err := openWith("", nil, defaultAnalysis)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	docs := []search.Document{
		doc("motor", "电机控制器", "永磁同步电机"),
		doc("cell", "固态电池电解质", ""),
		doc("pack", "储能池组与电源", ""), // 池 and 电 apart: no 电池
	}
	if err := e.Upsert(t.Context(), docs...); err != nil {
		t.Fatal(err)
	}
	for _, q := range []search.Query{{Text: "电池"}, {Text: "电池", Facets: []string{"kind"}}} {
		res, err := e.Search(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if got := hitIDs(res); !slices.Equal(got, []string{"cell"}) || res.Total != 1 {
			t.Errorf("%+v: hits %v total %d, want only cell", q, got, res.Total)
		}
		if q.Facets != nil && (len(res.Facets["kind"]) != 1 || res.Facets["kind"][0].Count != 1) {
			t.Errorf("kind facet %+v, want one outcome", res.Facets["kind"])
		}
	}
	// With a word in common, the characters add: 电池 and 池 rank the
	// document holding both above one holding the word only.
	res, err := e.Search(t.Context(), search.Query{Text: "电池 储能"})
	if err != nil || len(res.Hits) != 2 {
		t.Fatalf("hits %v, %v", hitIDs(res), err)
	}
}
