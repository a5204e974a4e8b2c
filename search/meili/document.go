package meili

import (
	"math"
	"strings"
	"time"
	"unicode"

	"techbridge/search"
)

// row is a listing as stored in Meilisearch: the document's own fields plus
// the derived ones that filters, sorts and facets need.
type row struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	ExternalID string `json:"external_id,omitempty"`
	OrgID      string `json:"org_id"`
	OrgKind    string `json:"org_kind"`
	OrgName    string `json:"org_name,omitempty"`
	OrgNameEN  string `json:"org_name_en,omitempty"`

	Title       string   `json:"title"`
	Summary     string   `json:"summary,omitempty"`
	Description string   `json:"description,omitempty"`
	Keywords    []string `json:"keywords,omitempty"`

	Field         string   `json:"field,omitempty"`
	IPC           []string `json:"ipc,omitempty"`
	TRL           int      `json:"trl,omitempty"`
	ScenarioKind  string   `json:"scenario_kind,omitempty"`
	TransferModes []string `json:"transfer_modes,omitempty"`
	PriceMin      int64    `json:"price_min,omitempty"`
	PriceMax      int64    `json:"price_max,omitempty"`
	Currency      string   `json:"currency,omitempty"`
	Region        string   `json:"region,omitempty"`
	Langs         []string `json:"langs,omitempty"`
	TitleAlt      string   `json:"title_alt,omitempty"`
	SummaryAlt    string   `json:"summary_alt,omitempty"`

	Version     int64     `json:"version"`
	PublishedAt time.Time `json:"published_at"`
	FreshUntil  time.Time `json:"fresh_until,omitzero"`
	Deadline    time.Time `json:"deadline,omitzero"`

	// Derived fields.
	IPCPrefixes []string `json:"ipc_prefixes,omitempty"` // every leading substring of every IPC code
	IPCClass    []string `json:"ipc_class,omitempty"`    // IPC subclasses ("H01M"), for the facet
	PriceLow    *int64   `json:"price_low,omitempty"`    // absent when the listing has no price
	PriceHigh   *int64   `json:"price_high,omitempty"`   // open upper bound stored as MaxInt64
	PublishedMS int64    `json:"published_ms"`           // sortable; Meilisearch sorts numbers, not dates
	CJKGrams    string   `json:"cjk_grams,omitempty"`    // see cjkBigrams
}

func toRow(d search.Document) row {
	r := row{
		ID: d.ID, Kind: d.Kind, ExternalID: d.ExternalID, OrgID: d.OrgID, OrgKind: d.OrgKind, OrgName: d.OrgName, OrgNameEN: d.OrgNameEN,
		Title: d.Title, Summary: d.Summary, Description: d.Description, Keywords: d.Keywords,
		Field: d.Field, IPC: d.IPC, TRL: d.TRL, ScenarioKind: d.ScenarioKind, TransferModes: d.TransferModes,
		PriceMin: d.PriceMin, PriceMax: d.PriceMax, Currency: d.Currency, Region: d.Region, Langs: d.Langs, TitleAlt: d.TitleAlt, SummaryAlt: d.SummaryAlt,
		Version: d.Version, PublishedAt: d.PublishedAt.UTC(), FreshUntil: utc(d.FreshUntil), Deadline: utc(d.Deadline),
		PublishedMS: d.PublishedAt.UnixMilli(),
	}
	seen := map[string]bool{}
	for _, code := range d.IPC {
		code = normalIPC(code)
		for i := range len(code) {
			if p := code[:i+1]; !seen[p] && !strings.HasSuffix(p, " ") {
				seen[p] = true
				r.IPCPrefixes = append(r.IPCPrefixes, p)
			}
		}
		if class := ipcClass(code); class != "" && !seen["class:"+class] {
			seen["class:"+class] = true
			r.IPCClass = append(r.IPCClass, class)
		}
	}
	if d.PriceMin > 0 || d.PriceMax > 0 {
		low, high := d.PriceMin, d.PriceMax
		if high == 0 {
			high = math.MaxInt64
		}
		r.PriceLow, r.PriceHigh = &low, &high
	}
	r.CJKGrams = cjkBigrams(d.Title, d.Summary, d.Description, strings.Join(d.Keywords, " "), d.TitleAlt, d.SummaryAlt)
	return r
}

func (r row) document() search.Document {
	return search.Document{
		ID: r.ID, Kind: r.Kind, ExternalID: r.ExternalID, OrgID: r.OrgID, OrgKind: r.OrgKind, OrgName: r.OrgName, OrgNameEN: r.OrgNameEN,
		Title: r.Title, Summary: r.Summary, Description: r.Description, Keywords: r.Keywords,
		Field: r.Field, IPC: r.IPC, TRL: r.TRL, ScenarioKind: r.ScenarioKind, TransferModes: r.TransferModes,
		PriceMin: r.PriceMin, PriceMax: r.PriceMax, Currency: r.Currency, Region: r.Region, Langs: r.Langs, TitleAlt: r.TitleAlt, SummaryAlt: r.SummaryAlt,
		Version: r.Version, PublishedAt: r.PublishedAt.UTC(), FreshUntil: utc(r.FreshUntil), Deadline: utc(r.Deadline),
	}
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// normalIPC upper-cases a code and collapses runs of spaces, so that "h01m  10/54"
// and "H01M 10/54" share their prefixes.
func normalIPC(code string) string {
	return strings.Join(strings.Fields(strings.ToUpper(code)), " ")
}

// ipcClass returns the subclass of a code: its first four characters ("H01M").
func ipcClass(code string) string {
	code = strings.ReplaceAll(code, " ", "")
	if len(code) < 4 {
		return code
	}
	return code[:4]
}

// cjkBigrams returns every pair of adjacent Han characters in the texts,
// separated by spaces. Meilisearch segments Chinese with jieba and matches
// words by prefix only, so 电池 does not find 锂电池 (meilisearch#2499,
// #4874); indexing the bigrams as words of their own makes any two-character
// word inside a compound findable.
func cjkBigrams(texts ...string) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, text := range texts {
		var prev rune
		for _, r := range text {
			if !unicode.Is(unicode.Han, r) {
				prev = 0
				continue
			}
			if prev != 0 {
				g := string([]rune{prev, r})
				if !seen[g] {
					seen[g] = true
					if b.Len() > 0 {
						b.WriteByte(' ')
					}
					b.WriteString(g)
				}
			}
			prev = r
		}
	}
	return b.String()
}
