package meili

import (
	"github.com/meilisearch/meilisearch-go"

	"techbridge/search"
)

// searchable lists the searched attributes, most important first: the
// "attribute" ranking rule ranks a match in the title above one in the
// description. cjk_grams comes last, as it only widens recall.
var searchable = []string{"title", "keywords", "title_alt", "summary", "summary_alt", "description", "org_name", "cjk_grams"}

// filterable lists every attribute a Query filters or counts on; id is here
// so that ExcludeIDs, OnlyIDs and the version read can filter on it.
var filterable = []string{
	"id", "kind", "field", "ipc_prefixes", "ipc_class", "trl", "price_low", "price_high",
	"region", "transfer_modes", "org_kind", "org_id", "langs",
}

// sortable lists the attributes behind Query.Sort.
var sortable = []string{"published_ms", "price_low", "trl"}

// sorts maps Query.Sort to a Meilisearch sort expression.
var sorts = map[string]string{
	"newest":     "published_ms:desc",
	"price_asc":  "price_low:asc",
	"price_desc": "price_low:desc",
	"trl_desc":   "trl:desc",
}

// facets maps Query.Facets names to attributes; the names are the attributes.
var facets = map[string]string{
	"kind": "kind", "field": "field", "trl": "trl", "region": "region",
	"transfer_modes": "transfer_modes", "org_kind": "org_kind", "ipc_class": "ipc_class",
}

// rankingRules puts "sort" first so that an explicit Query.Sort orders all
// matches strictly; without one the rule does nothing and relevance decides.
var rankingRules = []string{"sort", "words", "typo", "proximity", "attribute", "exactness"}

// indexSettings is what Open applies to the index.
func indexSettings() *meilisearch.Settings {
	return &meilisearch.Settings{
		RankingRules:         rankingRules,
		SearchableAttributes: searchable,
		FilterableAttributes: filterable,
		SortableAttributes:   sortable,
		Faceting: &meilisearch.Faceting{
			MaxValuesPerFacet: 100,
			SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeCount},
		},
		// The default 1000 would cut paging short of search.MaxOffset.
		Pagination: &meilisearch.Pagination{MaxTotalHits: search.MaxOffset + search.MaxLimit},
	}
}
