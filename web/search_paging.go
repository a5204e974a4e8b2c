package web

import (
	"net/url"
	"strconv"
)

// searchSorts are the search page's sort orders, as the search API names
// them; "" is relevance with words and newest without.
var searchSorts = []string{"", "newest", "price_asc", "price_desc", "trl_desc"}

// sortOptions are the sort select's entries; without words the first is
// "newest", since there is no relevance to rank by.
func sortOptions(lang string, words bool) []option {
	out := make([]option, 0, len(searchSorts))
	for _, s := range searchSorts {
		key := "search.sort." + s
		if s == "" {
			if !words {
				continue // "newest" stands for the default
			}
			key = "search.sort.relevance"
		}
		out = append(out, option{Value: s, Label: translate(lang, key)})
	}
	return out
}

// pageLink is one entry of the numbered pager: a page number with its
// link, or a gap ("…") between distant numbers.
type pageLink struct {
	N       int
	Href    string
	Current bool
	Gap     bool
}

// Pager is the numbered pager of the search and browse pages (template
// "pager" in pager_part.html).
type Pager struct {
	Page, Pages        int
	PrevHref, NextHref string
	PageLinks          []pageLink
}

// numberedPager is the pager of page out of pages, its links path with qv
// and page=N.
func numberedPager(path string, qv url.Values, page, pages int) Pager {
	p := Pager{Page: page, Pages: pages, PageLinks: pageLinks(path, qv, page, pages)}
	if page > 1 {
		p.PrevHref = pageHref(path, qv, page-1)
	}
	if page < pages {
		p.NextHref = pageHref(path, qv, page+1)
	}
	return p
}

// pageHref is path with qv and page set.
func pageHref(path string, qv url.Values, page int) string {
	u := cloneValues(qv)
	u.Set("page", strconv.Itoa(page))
	return path + "?" + u.Encode()
}

// pageLinks numbers the pages around page: the first, the last, and two on
// each side of the current one, with gaps between.
func pageLinks(path string, qv url.Values, page, pages int) []pageLink {
	if pages <= 1 {
		return nil
	}
	var out []pageLink
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < page-2 || n > page+2) {
			continue
		}
		if last != 0 && n > last+1 {
			out = append(out, pageLink{Gap: true})
		}
		out = append(out, pageLink{N: n, Href: pageHref(path, qv, n), Current: n == page})
		last = n
	}
	return out
}
