package bleve

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/single"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// Analyzer and field names of the index. Every query names its fields: the
// mapping has no _all field, so a fieldless query would find nothing.
const (
	textAnalyzer    = "tb_text"    // CJK bigrams + lower-cased (stemmed) Latin words
	suggestAnalyzer = "tb_suggest" // whole value, lower-cased, for type-ahead prefixes
	charAnalyzer    = "tb_chars"   // single Han characters (the body's, see hanChars)

	fieldSuggest = "suggest" // starts of titles and keywords (suggestRunes), for type-ahead
	fieldBody    = "body"    // all text of a listing as one field
	fieldChars   = "chars"   // the Han characters of the body, one term each
	fieldIPC     = "ipc"
	fieldIPCCls  = "ipc_class"
	fieldTRLKey  = "trl_key" // TRL as a keyword: filter, facet and sort
	fieldPubKey  = "pub_key" // publication time as a fixed-width keyword, for sort
	fieldMinKey  = "min_key" // lower price as a fixed-width keyword: range filter and sort
	fieldMaxKey  = "max_key" // upper price, likewise
	fieldVersion = "version" // stored only, for the version guard
	fieldLang    = "lang"    // languages of the listing ("zh", "en"): filter and facet
)

// Index size, measured on 20k synthetic listings as bytes on disk over the
// bytes of their title, keywords and summary (`techbridge bench search
// --n 20000` went from 9.0× to 3.7×, then 2.1×): a stored copy of the
// document cost 2.7× as JSON with long keys and zero times and still 1.6×
// compact and deflated, numbers 2.3× (Bleve indexes 16 prefix-coded terms
// per number and keeps all of them as doc values). So no document is stored
// (hits read theirs from a search.Source), TRL, prices and the publication
// time are fixed-width keywords (one term each, ranges over term order), the
// version is stored but not indexed, doc values are kept only for facets and
// sorts, and keyword fields keep no frequencies or norms (they filter, they
// never score).

// textFields are the full-text fields queries search, with their boosts.
// Measured on the public relevance sets (eval_test.go), one field holding
// all of a listing's text beats separate title/keyword/summary fields with
// title boosts of 0.3 to 3: with titles as queries, boosting titles rewards
// wording over topic (csl P@10 0.187 vs 0.150–0.175, uspto 0.333 vs
// 0.279–0.326). Titles and keywords weigh more inside the body instead
// (analysisOptions.TitleRepeat, as BM25F weighs fields): counting them twice
// was neutral on the sets (csl +0.001, uspto -0.003) and favours titles for
// the short queries buyers type.
var textFields = []struct {
	Name  string
	Boost float64
}{
	{fieldBody, 1},
}

// facetFields maps a facet name of search.Query to its indexed field.
var facetFields = map[string]string{
	"kind":           "kind",
	"field":          "field",
	"trl":            fieldTRLKey,
	"region":         "region",
	"transfer_modes": "transfer_modes",
	"org_kind":       "org_kind",
	"ipc_class":      fieldIPCCls,
}

// analysisOptions are the measured choices of text analysis (see the
// package doc); they live in a struct so the evaluation can compare them.
type analysisOptions struct {
	Stem        bool    // Snowball-stem Latin words
	TitleRepeat int     // times the title and keywords are counted in the body
	CharWeight  float64 // weight of a query's single Han characters (fieldChars) beside its bigrams; 0: not indexed
}

// Single characters: CJK bigrams alone miss what a one-character word says
// (药, 鱼, 菌) and a term written with a different neighbour; counting each
// Han character too, at the weight of a bigram, raised the ranking pipeline
// under protocol v2 (disk index) from P@10 0.166 to 0.173 on csl (MRR 0.410
// to 0.427) and 0.349 to 0.363 on cnpat (MRR 0.474 to 0.482); the engine
// alone from 0.156 to 0.162 and 0.239 to 0.248. They go into a field of
// their own so that highlights and the matched terms of reasons stay words,
// not letters, and they only add to a listing that matches a word.
var defaultAnalysis = analysisOptions{Stem: true, TitleRepeat: 2, CharWeight: 1}

func newMapping(opt analysisOptions) (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	im.ScoringModel = index.BM25Scoring
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	tokenizer, filters := unicode.Name, []string{cjk.WidthName, lowercase.Name, cjk.BigramName}
	if opt.Stem {
		filters = append(filters, en.SnowballStemmerName)
	}
	if err := im.AddCustomAnalyzer(textAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     tokenizer,
		"token_filters": filters,
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(suggestAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     single.Name,
		"token_filters": []string{cjk.WidthName, lowercase.Name},
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(charAnalyzer, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name, // one token per Han character
		"token_filters": []string{cjk.WidthName},
	}); err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = keyword.Name

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fieldBody, textField(textAnalyzer))
	if opt.CharWeight > 0 {
		dm.AddFieldMappingsAt(fieldChars, textField(charAnalyzer))
	}
	sg := textField(suggestAnalyzer)
	sg.SkipFreqNorm = true // prefix lookups are not scored
	dm.AddFieldMappingsAt(fieldSuggest, sg)
	// Facet and sort fields need doc values; the others only filter.
	for _, name := range []string{"kind", "org_kind", "field", fieldIPCCls, fieldTRLKey,
		"transfer_modes", "region", fieldPubKey, fieldMinKey, fieldMaxKey} {
		dm.AddFieldMappingsAt(name, keywordField(true))
	}
	for _, name := range []string{"org_id", fieldIPC, fieldLang} {
		dm.AddFieldMappingsAt(name, keywordField(false))
	}
	ver := bleve.NewNumericFieldMapping()
	ver.Index, ver.Store, ver.DocValues, ver.IncludeInAll = false, true, false, false
	dm.AddFieldMappingsAt(fieldVersion, ver)
	im.DefaultMapping = dm
	return im, nil
}

// textField is searched, never stored nor used for sorting; highlights are
// computed from the document text (highlight.go), so no term vectors are kept.
func textField(analyzer string) *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = analyzer
	f.Store = false
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	f.DocValues = false
	return f
}

// keywordField is matched exactly; with docValues it is also counted in
// facets and sorted on.
func keywordField(docValues bool) *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.Store = false
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	f.DocValues = docValues
	f.SkipFreqNorm = true
	return f
}
