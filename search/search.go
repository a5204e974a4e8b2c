// Package search holds what TechBridge searches (documents), how it is asked
// (queries), what comes back (results with highlights and facets), ranking and
// matching with reasons, and the indexer that follows the market's event log.
// Engines live in sub-packages: search/bleve (embedded default) and
// search/meili (Meilisearch); they import this package, never each other.
package search

import (
	"context"
	"time"
)

// Document kinds.
const (
	KindOutcome  = "outcome"
	KindScenario = "scenario"
)

// Document is one published listing as the engines index it. Only published
// listings become documents; a confidential outcome is indexed by its public
// teaser only (Description left empty).
type Document struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"` // KindOutcome or KindScenario
	ExternalID string `json:"external_id,omitempty"`
	OrgID      string `json:"org_id"`
	OrgKind    string `json:"org_kind"` // university, institute, enterprise, intermediary, public_body
	OrgName    string `json:"org_name,omitempty"`
	// OrgNameEN is the organisation's English name, "" when it has none;
	// pages show it to English readers (OrgNameIn).
	OrgNameEN string `json:"org_name_en,omitempty"`

	Title       string   `json:"title"`
	Summary     string   `json:"summary,omitempty"`
	Description string   `json:"description,omitempty"`
	Keywords    []string `json:"keywords,omitempty"`

	Field         string   `json:"field,omitempty"`          // technology field code
	IPC           []string `json:"ipc,omitempty"`            // e.g. "H01M 10/54" or "H01M"
	TRL           int      `json:"trl,omitempty"`            // outcome TRL; scenario minimum TRL
	ScenarioKind  string   `json:"scenario_kind,omitempty"`  // demand, scenario, challenge
	TransferModes []string `json:"transfer_modes,omitempty"` // outcomes only
	PriceMin      int64    `json:"price_min,omitempty"`      // asking price or budget, minor units
	PriceMax      int64    `json:"price_max,omitempty"`
	Currency      string   `json:"currency,omitempty"`
	Region        string   `json:"region,omitempty"`
	// Langs are the languages the listing is written in ("zh", "en"); a
	// bilingual listing has both. Query.Lang filters on them.
	Langs []string `json:"langs,omitempty"`
	// TitleAlt and SummaryAlt are a bilingual listing's title and summary
	// in its other language; they are searched like the rest of its text.
	TitleAlt   string `json:"title_alt,omitempty"`
	SummaryAlt string `json:"summary_alt,omitempty"`

	Version     int64     `json:"version"` // listing version; an older one never replaces a newer one
	PublishedAt time.Time `json:"published_at"`
	FreshUntil  time.Time `json:"fresh_until,omitempty"`
	Deadline    time.Time `json:"deadline,omitempty"` // scenarios
}

// Query is a search request. Zero values mean "no constraint".
type Query struct {
	Text string

	Kinds     []string // KindOutcome, KindScenario
	Field     string
	IPCPrefix string // matches any IPC code starting with it ("H01M", "H01M 10")
	// IPCClasses matches a document in any of these IPC subclasses ("H01M");
	// the cross-lingual bridge asks for the classes it inferred.
	IPCClasses   []string
	TRLMin       int
	TRLMax       int
	PriceMin     int64 // documents whose price range overlaps [PriceMin, PriceMax]
	PriceMax     int64
	Region       string
	TransferMode string
	OrgKind      string
	OrgID        string
	// Lang ("zh" or "en") returns only listings written in that language.
	// When the query text is in the other language, the ranking pipeline
	// bridges to it (see Service).
	Lang       string
	ExcludeIDs []string
	// OnlyIDs, when set, restricts the answer to these documents: the
	// ranking pipeline re-ranks its candidate pool with it.
	OnlyIDs []string

	Sort   string // "" (relevance), "newest", "price_asc", "price_desc", "trl_desc"
	Offset int
	Limit  int // clamped to MaxLimit; 0 means DefaultLimit

	Facets    []string // fields to count: "kind", "field", "trl", "region", "transfer_modes", "org_kind", "ipc_class"
	Highlight bool

	// Expansion holds weighted terms that the ranking pipeline (Service) adds
	// to Text, e.g. from pseudo-relevance feedback: a document containing them
	// scores higher and may match on them alone. Highlights and Hit.Terms
	// still follow Text only. An engine that cannot weight terms may ignore it.
	Expansion []WeightedTerm
}

// WeightedTerm is one query term with its weight relative to a word of
// Query.Text, which weighs 1.
type WeightedTerm struct {
	Term   string
	Weight float64
}

// Paging limits.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	MaxOffset    = 10000
)

// Hit is one document found, with its score and highlighted fragments.
type Hit struct {
	Document
	Score      float64             `json:"score"`
	Highlights map[string][]string `json:"highlights,omitempty"` // field -> fragments with <mark>…</mark>
	// Terms lists the query terms that matched this document (for match reasons).
	Terms []string `json:"terms,omitempty"`
	// Bridge is set on a hit in another language than the query's: it says
	// what brought it (see Service).
	Bridge *Bridge `json:"bridge,omitempty"`
	// Related is set on a hit that holds no word of the query and was
	// brought by the latent pass (Service): its terms nearest the query's
	// topic in the market's latent semantic space.
	Related []string `json:"related,omitempty"`
}

// Bridge explains a hit found across languages: the query's likely IPC
// subclasses, inferred from its best hits in its own language, that the hit
// is in.
type Bridge struct {
	From    string   `json:"from"`    // the query's language
	Classes []string `json:"classes"` // bridged subclasses the hit is in, likeliest first
	// Chance is the estimated chance that the hit shares a class with the
	// query: 1 − Π(1 − prior) over its bridged classes.
	Chance float64 `json:"chance"`
	// Terms are the query's terms whose dictionary rendering the hit holds
	// (search/cedict).
	Terms []Translation `json:"terms,omitempty"`
}

// FacetValue is one value of a facet and how many documents have it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Result is the answer to a Query.
type Result struct {
	Total int `json:"total"`
	// Estimated: Total is the engine's estimate (Meilisearch's
	// estimatedTotalHits), not an exact count; pages say "about".
	Estimated bool                    `json:"-"`
	Hits      []Hit                   `json:"hits"`
	Facets    map[string][]FacetValue `json:"facets,omitempty"`
}

// Engine is a full-text index of documents. Implementations must be safe for
// concurrent use.
type Engine interface {
	// Upsert adds or replaces documents; a document whose Version is lower
	// than the indexed one is ignored.
	Upsert(ctx context.Context, docs ...Document) error
	// Delete removes documents by id; unknown ids are not an error.
	Delete(ctx context.Context, ids ...string) error
	// Search answers a query.
	Search(ctx context.Context, q Query) (Result, error)
	// Suggest returns up to limit titles or keywords that complete prefix.
	Suggest(ctx context.Context, prefix string, limit int) ([]string, error)
	// Count returns the number of indexed documents.
	Count(ctx context.Context) (int, error)
	// Reset removes every document (used by reindex).
	Reset(ctx context.Context) error
	// Name names the engine for /readyz ("bleve", "meilisearch").
	Name() string
	Close() error
}

// OrgNameIn is the listing's organisation name in lang ("zh" or "en"),
// falling back to the other language when it has none there.
func (d Document) OrgNameIn(lang string) string {
	if lang == "en" && d.OrgNameEN != "" {
		return d.OrgNameEN
	}
	return d.OrgName
}
