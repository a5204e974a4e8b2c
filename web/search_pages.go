package web

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"techbridge/market"
	"techbridge/market/ledger"
	"techbridge/search"
)

// searchPageSize is how many hits a search page shows.
const searchPageSize = 20

// searchFacets are the facets the search page counts, in display order.
var searchFacets = []string{"kind", "field", "trl", "org_kind", "region"}

// searchParams maps a facet to the query parameter that filters by it.
var searchParams = map[string]string{"kind": "type", "field": "field", "trl": "trl", "org_kind": "org_kind", "region": "region"}

// searchPageData is what templates/search.html draws.
type searchPageData struct {
	Q, Type, Field, TRL, OrgKind, Region string
	ListingLang                          string // lang: listings in zh or en only, "" for both
	Fields                               []option
	TRLs                                 []string
	Searched                             bool // a query or a filter was given
	Total                                int
	Estimated                            bool   // Total is an estimate: "about N results"
	Sort                                 string // "" (relevance, or newest without words) or one of searchSorts
	Sorts                                []option
	Hits                                 []hitView
	Facets                               []facetView
	Error                                string
	Pager
}

// option is one entry of a select.
type option struct{ Value, Label string }

// hitView is one search hit as the page shows it.
type hitView struct {
	ID, Kind, KindLabel, Href, MatchHref, MatchLabel string
	Title                                            template.HTML // highlighted
	Snippet                                          template.HTML
	Facts                                            []string
}

// facetView is one facet with its values as filter links.
type facetView struct {
	Label  string
	Values []facetValueView
}

type facetValueView struct {
	Label, Href string
	Count       int
	Active      bool
}

// searchPage is the search page: a query box with filters, facets as
// links, highlighted hits and pages, all through the ranking Service.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, v *visit) error {
	qv := r.URL.Query()
	d := searchPageData{Q: strings.TrimSpace(qv.Get("q")), Type: qv.Get("type"), Field: qv.Get("field"),
		TRL: qv.Get("trl"), OrgKind: qv.Get("org_kind"), Region: strings.TrimSpace(qv.Get("region")),
		Fields: fieldOptions(v.Lang), TRLs: strings.Fields("1 2 3 4 5 6 7 8 9")}
	page := 1
	if s.matcher == nil || s.matcher.Search == nil {
		s.renderError(w, v, http.StatusServiceUnavailable, "search.unavailable.title", "search.unavailable.body")
		return nil
	}
	if l := qv.Get("lang"); market.ValidLanguage(l) {
		d.ListingLang = l
	}
	q := search.Query{Text: d.Q, Field: d.Field, Region: d.Region, OrgKind: d.OrgKind, Limit: searchPageSize,
		Facets: searchFacets, Highlight: true, Lang: d.ListingLang}
	if d.Type == search.KindOutcome || d.Type == search.KindScenario {
		q.Kinds = []string{d.Type}
	}
	if n, err := strconv.Atoi(d.TRL); err == nil && n >= 1 && n <= 9 {
		q.TRLMin, q.TRLMax = n, n
	}
	if n, err := strconv.Atoi(qv.Get("page")); err == nil && n > 1 {
		page = min(n, search.MaxOffset/searchPageSize)
	}
	q.Offset = (page - 1) * searchPageSize
	d.Sorts = sortOptions(v.Lang, d.Q != "")
	if s := qv.Get("sort"); slices.ContainsFunc(d.Sorts, func(o option) bool { return o.Value == s }) {
		d.Sort = s
	}
	q.Sort = d.Sort
	if q.Text == "" && q.Sort == "" {
		q.Sort = "newest" // without words there is no relevance to rank by
	}
	d.Searched = d.Q != "" || d.Type != "" || d.Field != "" || d.TRL != "" || d.OrgKind != "" || d.Region != "" || d.ListingLang != ""
	res, err := s.matcher.Search.Search(r.Context(), q)
	if market.ErrorCode(err) == market.EINVALID {
		d.Error = translate(v.Lang, "search.error.invalid")
		s.render(w, v, http.StatusBadRequest, "search", d)
		return nil
	} else if err != nil {
		return err
	}
	d.Total, d.Estimated = res.Total, res.Estimated
	for _, h := range res.Hits {
		d.Hits = append(d.Hits, toHitView(v.Lang, h))
	}
	d.Facets = facetViews(v.Lang, qv, res.Facets)
	d.Pager = numberedPager("/search", qv, page, max(1, (min(res.Total, search.MaxOffset)+searchPageSize-1)/searchPageSize))
	s.render(w, v, http.StatusOK, "search", d)
	return nil
}

func cloneValues(qv url.Values) url.Values {
	u := url.Values{}
	for k, vs := range qv {
		u[k] = append([]string(nil), vs...)
	}
	return u
}

// facetViews turns facet counts into links that set (or, when set, clear)
// their filter and go back to the first page.
func facetViews(lang string, qv url.Values, facets map[string][]search.FacetValue) []facetView {
	var out []facetView
	for _, name := range searchFacets {
		vals := facets[name]
		if len(vals) == 0 {
			continue
		}
		param := searchParams[name]
		fv := facetView{Label: translate(lang, "search.facet."+name)}
		for _, val := range vals[:min(len(vals), 8)] {
			u := cloneValues(qv)
			u.Del("page")
			active := qv.Get(param) == val.Value
			if active {
				u.Del(param)
			} else {
				u.Set(param, val.Value)
			}
			fv.Values = append(fv.Values, facetValueView{Label: facetLabel(lang, name, val.Value),
				Href: "/search?" + u.Encode(), Count: val.Count, Active: active})
		}
		out = append(out, fv)
	}
	return out
}

// facetLabel names a facet value in lang.
func facetLabel(lang, facet, value string) string {
	switch facet {
	case "kind":
		return translate(lang, "search.kind."+value)
	case "field":
		return fieldName(lang, value)
	case "org_kind":
		return translate(lang, "org.kind."+value)
	case "trl":
		return "TRL " + value
	}
	return value
}

// fieldName is a technology field's name in lang, its code when unknown.
func fieldName(lang, code string) string {
	f, ok := market.FieldByCode(code)
	if !ok {
		return code
	}
	if lang == langEN {
		return f.NameEN
	}
	return f.NameZH
}

func fieldOptions(lang string) []option {
	out := make([]option, 0, len(market.TechFields))
	for _, f := range market.TechFields {
		out = append(out, option{Value: f.Code, Label: fieldName(lang, f.Code)})
	}
	return out
}

// toHitView prepares a hit: highlighted title and snippet, its facts, and
// links to the listing and to its matches.
func toHitView(lang string, h search.Hit) hitView {
	hv := hitView{ID: h.ID, Kind: h.Kind, KindLabel: translate(lang, "search.kind."+h.Kind),
		Href: "/" + h.Kind + "s/" + url.PathEscape(h.ID), MatchHref: "/" + h.Kind + "s/" + url.PathEscape(h.ID) + "/matches",
		MatchLabel: translate(lang, "search.hit.matches."+h.Kind)}
	hv.Title = template.HTML(html.EscapeString(h.Title))
	if t := h.Highlights["title"]; len(t) > 0 {
		hv.Title = markedHTML(t[0])
	}
	switch {
	case len(h.Highlights["summary"]) > 0:
		hv.Snippet = markedHTML(h.Highlights["summary"][0])
	case len(h.Highlights["description"]) > 0:
		hv.Snippet = markedHTML(h.Highlights["description"][0])
	default:
		hv.Snippet = template.HTML(html.EscapeString(firstRunes(firstNonBlank(h.Summary, h.Description), 160)))
	}
	hv.Facts = listingFacts(lang, h.Document)
	if h.Bridge != nil {
		// A hit in the other language holds none of the query's words: say
		// which of the query's likely classes or translated terms brought it.
		var why []string
		if len(h.Bridge.Terms) > 0 {
			var terms []string
			for _, tr := range h.Bridge.Terms {
				terms = append(terms, tr.From+" = "+tr.To)
			}
			why = append(why, fmt.Sprintf(translate(lang, "search.hit.bridge.terms"), strings.Join(terms, ", ")))
		}
		if len(h.Bridge.Classes) > 0 {
			why = append(why, fmt.Sprintf(translate(lang, "search.hit.bridge"), strings.Join(h.Bridge.Classes, ", ")))
		}
		hv.Facts = append(why, hv.Facts...)
	}
	if len(h.Related) > 0 {
		// A hit of the query's topic without its words (the latent pass):
		// say which of its terms relate it.
		hv.Facts = append([]string{fmt.Sprintf(translate(lang, "search.hit.related"), strings.Join(h.Related, ", "))}, hv.Facts...)
	}
	return hv
}

// listingFacts are the short facts shown under a listing: organisation,
// field, TRL, price or budget, region.
func listingFacts(lang string, d search.Document) []string {
	var out []string
	if name := d.OrgNameIn(lang); name != "" {
		out = append(out, name)
	}
	if d.Field != "" {
		out = append(out, fieldName(lang, d.Field))
	}
	if d.TRL > 0 {
		key := "search.fact.trl"
		if d.Kind == search.KindScenario {
			key = "search.fact.min_trl"
		}
		out = append(out, fmt.Sprintf(translate(lang, key), d.TRL))
	}
	if d.PriceMax > 0 || d.PriceMin > 0 {
		key := "search.fact.price"
		if d.Kind == search.KindScenario {
			key = "search.fact.budget"
		}
		out = append(out, fmt.Sprintf(translate(lang, key), moneyRange(d.PriceMin, d.PriceMax, d.Currency, lang)))
	}
	if d.Region != "" {
		out = append(out, d.Region)
	}
	return out
}

// markedHTML re-renders an engine's highlight fragment so that only <mark>
// tags survive, balanced: every piece between them is unescaped and escaped
// again, whatever the engine did.
func markedHTML(fragment string) template.HTML {
	var b strings.Builder
	open, at := false, 0
	text := func(s string) { b.WriteString(html.EscapeString(html.UnescapeString(s))) }
	for _, m := range markTag.FindAllStringIndex(fragment, -1) {
		text(fragment[at:m[0]])
		at = m[1]
		closing := fragment[m[0]+1] == '/'
		if closing == open {
			b.WriteString(fragment[m[0]:m[1]])
			open = !open
		}
	}
	text(fragment[at:])
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

var markTag = regexp.MustCompile(`</?mark>`)

func firstNonBlank(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// moneyRange shows a price or budget range in the page's one format for
// its language (ledger.FormatRange: zh "¥800,000.00–1,500,000.00", en
// "CNY 800,000.00–1,500,000.00"); a range with one bound shows that bound.
func moneyRange(lo, hi int64, currency, lang string) string {
	switch {
	case lo > 0 && hi > 0:
		return ledger.FormatRange(lo, hi, currency, lang)
	case hi > 0:
		return money(hi, currency, lang)
	}
	return money(lo, currency, lang)
}
