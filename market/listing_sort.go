package market

import (
	"slices"
	"strings"

	"techbridge/market/msgs"
)

// List orders (OutcomeFilter.Sort, ScenarioFilter.Sort). "" is SortNewest,
// the order of every list before sorts; each other order is read from a
// (status, key, id) index (migration 00020), ties newest first.
const (
	SortNewest      = "newest"
	SortTRLDesc     = "trl_desc"     // outcomes: readiness, highest first
	SortPriceAsc    = "price_asc"    // outcomes: lowest asking price first, negotiable last
	SortPriceDesc   = "price_desc"   // outcomes: highest asking price first, negotiable last
	SortDeadlineAsc = "deadline_asc" // scenarios: soonest deadline first, none last
	SortBudgetDesc  = "budget_desc"  // scenarios: highest budget first, negotiable last
)

// The orders each kind's list takes, the default first.
var (
	OutcomeSorts  = []string{SortNewest, SortTRLDesc, SortPriceAsc, SortPriceDesc}
	ScenarioSorts = []string{SortNewest, SortDeadlineAsc, SortBudgetDesc}
)

// checkSort refuses an order the kind does not take, an offset beyond
// MaxListOffset, and a cursor with an order other than newest: a cursor is
// the last id of a page in id order, so sorted lists are paged by Offset.
func checkSort(sort string, sorts []string, after string, offset int) error {
	if offset < 0 || offset > MaxListOffset {
		return Invalid("offset", msgs.Between, 0, MaxListOffset)
	}
	if sort == "" || sort == SortNewest {
		return nil
	}
	if !slices.Contains(sorts, sort) {
		return Invalid("sort", msgs.OneOf, strings.Join(sorts, ", "))
	}
	if after != "" {
		return Invalid("cursor", msgs.CursorPagesNewestOnly)
	}
	return nil
}
