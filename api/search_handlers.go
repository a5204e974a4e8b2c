package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"techbridge/market/msgs"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"techbridge/market"
	"techbridge/search"
)

// Search is public: the index holds published listings only, and
// confidential outcomes by their teaser, so every caller sees the same
// catalogue and no per-caller filtering is needed.

// MaxSearchText bounds q, in characters.
const MaxSearchText = 500

// searchParams are the query parameters GET /api/v1/search accepts; any
// other is refused by name, so a typo does not silently widen a search.
var searchParams = []string{"q", "type", "field", "ipc", "trl_min", "trl_max", "price_min", "price_max",
	"region", "transfer_mode", "org_kind", "sort", "limit", "offset", "lang"}

// searchSorts are the accepted sort orders; "" and "relevance" rank by score.
var searchSorts = []string{"", "relevance", "newest", "price_asc", "price_desc", "trl_desc"}

// searchFacets maps the engines' facet names to the filter parameters they
// count, so a client can feed a facet value straight back as a filter.
var searchFacets = map[string]string{
	"kind":           "type",
	"field":          "field",
	"trl":            "trl",
	"region":         "region",
	"transfer_modes": "transfer_mode",
	"org_kind":       "org_kind",
	"ipc_class":      "ipc",
}

// ParseSearchQuery reads the search API's query parameters into a
// search.Query, naming every bad parameter. It is the one parser of search
// requests: the API and the evaluation command share it.
func ParseSearchQuery(v url.Values) (search.Query, error) {
	var f market.Fields
	refuseUnknownParams(&f, v, searchParams)
	q := search.Query{Text: strings.TrimSpace(v.Get("q")), Highlight: true}
	if utf8.RuneCountInString(q.Text) > MaxSearchText {
		f.Add("q", msgs.AtMostNChars, MaxSearchText)
	}
	switch t := v.Get("type"); t {
	case "":
	case search.KindOutcome, search.KindScenario:
		q.Kinds = []string{t}
	default:
		f.Add("type", msgs.OutcomeOrScenario)
	}
	if q.Field = v.Get("field"); q.Field != "" && !market.ValidField(q.Field) {
		f.Add("field", msgs.UnknownFieldCodeXSeeGET, q.Field)
	}
	if ipc := strings.TrimSpace(v.Get("ipc")); ipc != "" {
		if len(ipc) > 20 || !ipcPrefixOK(ipc) {
			f.Add("ipc", msgs.StartIPCCodeSuchAsH01M)
		}
		q.IPCPrefix = search.NormalizeIPC(ipc)
	}
	q.TRLMin = intParam(&f, v, "trl_min", 1, 9)
	q.TRLMax = intParam(&f, v, "trl_max", 1, 9)
	if q.TRLMin > 0 && q.TRLMax > 0 && q.TRLMin > q.TRLMax {
		f.Add("trl_min", msgs.NotExceedTrlMax)
	}
	q.PriceMin = int64Param(&f, v, "price_min")
	q.PriceMax = int64Param(&f, v, "price_max")
	if q.PriceMin > 0 && q.PriceMax > 0 && q.PriceMin > q.PriceMax {
		f.Add("price_min", msgs.NotExceedPriceMax)
	}
	if q.Region = strings.TrimSpace(v.Get("region")); utf8.RuneCountInString(q.Region) > market.MaxRegion {
		f.Add("region", msgs.AtMostNChars, market.MaxRegion)
	}
	if q.TransferMode = v.Get("transfer_mode"); q.TransferMode != "" && !slices.Contains(market.TransferModes, q.TransferMode) {
		f.Add("transfer_mode", msgs.OneOf, strings.Join(market.TransferModes, ", "))
	}
	if q.OrgKind = v.Get("org_kind"); q.OrgKind != "" && !slices.Contains(market.OrgKinds, q.OrgKind) {
		f.Add("org_kind", msgs.OneOf, strings.Join(market.OrgKinds, ", "))
	}
	// lang returns only listings written in that language; a query in the
	// other language is bridged to them (search.Service).
	if q.Lang = v.Get("lang"); q.Lang != "" && !market.ValidLanguage(q.Lang) {
		f.Add("lang", msgs.ZhOrEn)
	}
	if q.Sort = v.Get("sort"); !slices.Contains(searchSorts, q.Sort) {
		f.Add("sort", msgs.OneRelevanceNewestPriceAscPrice)
	} else if q.Sort == "relevance" {
		q.Sort = ""
	}
	if v.Has("limit") {
		// Larger pages are clamped like every list's; nonsense is refused.
		if q.Limit = intParam(&f, v, "limit", 1, 1<<30); q.Limit > search.MaxLimit {
			q.Limit = search.MaxLimit
		}
	}
	q.Offset = intParam(&f, v, "offset", 0, search.MaxOffset)
	for name := range searchFacets {
		q.Facets = append(q.Facets, name)
	}
	slices.Sort(q.Facets)
	return q, f.Err()
}

// ipcPrefixOK accepts what may start an IPC code: letters, digits, spaces
// and the group slash.
func ipcPrefixOK(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == ' ' || r == '/') {
			return false
		}
	}
	return true
}

// intParam reads an optional integer parameter within [lo, hi]; 0 when absent.
func intParam(f *market.Fields, v url.Values, name string, lo, hi int) int {
	s := v.Get(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Add(name, msgs.Integer)
		return 0
	}
	if n < lo || n > hi {
		if hi == 1<<30 {
			f.Add(name, msgs.AtLeastN, lo)
		} else {
			f.Add(name, msgs.Between, lo, hi)
		}
		return 0
	}
	return n
}

// int64Param reads an optional non-negative amount in minor units.
func int64Param(f *market.Fields, v url.Values, name string) int64 {
	s := v.Get(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		f.Add(name, msgs.NonNegativeIntegerAmountInMinor)
		return 0
	}
	return n
}

// searchHit is one hit as the API shows it.
type searchHit struct {
	ID            string              `json:"id"`
	Type          string              `json:"type"`
	ExternalID    string              `json:"external_id,omitempty"`
	Title         string              `json:"title"`
	Summary       string              `json:"summary,omitempty"`
	Score         float64             `json:"score"`
	Highlights    map[string][]string `json:"highlights,omitempty"`
	OrgID         string              `json:"org_id"`
	OrgName       string              `json:"org_name,omitempty"`
	OrgKind       string              `json:"org_kind,omitempty"`
	Field         string              `json:"field,omitempty"`
	IPC           []string            `json:"ipc,omitempty"`
	TRL           int                 `json:"trl,omitempty"`
	ScenarioKind  string              `json:"scenario_kind,omitempty"`
	TransferModes []string            `json:"transfer_modes,omitempty"`
	PriceMin      int64               `json:"price_min,omitempty"`
	PriceMax      int64               `json:"price_max,omitempty"`
	Currency      string              `json:"currency,omitempty"`
	Region        string              `json:"region,omitempty"`
	Langs         []string            `json:"langs,omitempty"`
	Bridge        *search.Bridge      `json:"bridge,omitempty"`  // why a hit in another language than the query's matched
	Related       []string            `json:"related,omitempty"` // a hit without the query's words: its terms nearest the query's topic
	// The times are RFC 3339 strings in UTC, as time.Time writes itself
	// in JSON, formatted here rather than by each time's MarshalJSON
	// (TestSearchHitTimesAreTheTimesJSON).
	PublishedAt string `json:"published_at,omitempty"`
	Deadline    string `json:"deadline,omitempty"`
}

type searchFacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

type searchResponse struct {
	Total  int                           `json:"total"`
	Hits   []searchHit                   `json:"hits"`
	Facets map[string][]searchFacetValue `json:"facets"`
}

func toSearchHit(h search.Hit) searchHit {
	out := searchHit{ID: h.ID, Type: h.Kind, ExternalID: h.ExternalID, Title: h.Title, Summary: h.Summary,
		Score: h.Score, Highlights: h.Highlights, OrgID: h.OrgID, OrgName: h.OrgName, OrgKind: h.OrgKind,
		Field: h.Field, IPC: h.IPC, TRL: h.TRL, ScenarioKind: h.ScenarioKind, TransferModes: h.TransferModes,
		PriceMin: h.PriceMin, PriceMax: h.PriceMax, Currency: h.Currency, Region: h.Region,
		Langs: h.Langs, Bridge: h.Bridge, Related: h.Related}
	if !h.PublishedAt.IsZero() {
		out.PublishedAt = jsonTime(h.PublishedAt.UTC())
	}
	if !h.Deadline.IsZero() {
		out.Deadline = jsonTime(h.Deadline.UTC())
	}
	return out
}

func toSearchResponse(r search.Result) searchResponse {
	out := searchResponse{Total: r.Total, Hits: make([]searchHit, 0, len(r.Hits)), Facets: map[string][]searchFacetValue{}}
	for _, h := range r.Hits {
		out.Hits = append(out.Hits, toSearchHit(h))
	}
	for name, vals := range r.Facets {
		key, ok := searchFacets[name]
		if !ok {
			key = name
		}
		fv := make([]searchFacetValue, 0, len(vals))
		for _, v := range vals {
			fv = append(fv, searchFacetValue{Value: v.Value, Count: v.Count})
		}
		out.Facets[key] = fv
	}
	return out
}

// search answers GET /api/v1/search.
func (s *Server) search(c *gin.Context) {
	q, err := ParseSearchQuery(c.Request.URL.Query())
	if err != nil {
		s.writeError(c, err)
		return
	}
	if s.Search == nil {
		s.writeError(c, market.Errorf(market.ENOTIMPLEMENTED, msgs.SearchNotConfigured))
		return
	}
	res, err := s.Search.Search(c.Request.Context(), q)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeJSON(c, http.StatusOK, toSearchResponse(res))
}

// Suggestion limits.
const (
	DefaultSuggest = 10
	MaxSuggest     = 20
)

type suggestResponse struct {
	Suggestions []string `json:"suggestions"`
}

// suggest answers GET /api/v1/search/suggest: titles and keywords that
// complete q, for type-ahead.
func (s *Server) suggest(c *gin.Context) {
	var f market.Fields
	for k := range c.Request.URL.Query() {
		if k != "q" && k != "limit" {
			f.Add(k, msgs.UnknownParameterAcceptedQLimit)
		}
	}
	prefix := strings.TrimSpace(c.Query("q"))
	if utf8.RuneCountInString(prefix) > 100 {
		f.Add("q", msgs.AtMost100Chars)
	}
	limit := DefaultSuggest
	if c.Query("limit") != "" {
		limit = min(intParam(&f, c.Request.URL.Query(), "limit", 1, 1<<30), MaxSuggest)
	}
	if err := f.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	if s.Search == nil {
		s.writeError(c, market.Errorf(market.ENOTIMPLEMENTED, msgs.SearchNotConfigured))
		return
	}
	out := suggestResponse{Suggestions: []string{}}
	if prefix != "" {
		got, err := s.Search.Engine.Suggest(c.Request.Context(), prefix, limit)
		if err != nil {
			s.writeError(c, err)
			return
		}
		out.Suggestions = append(out.Suggestions, got...)
	}
	c.JSON(http.StatusOK, out)
}
