package meili

import (
	"strconv"
	"strings"
	"techbridge/market/msgs"

	"techbridge/market"
	"techbridge/search"
)

// quote renders a value as a double-quoted filter string. Since Meilisearch
// 1.4 a backslash must be escaped as well as the quote.
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func quoteAll(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = quote(v)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func num(n int64) string { return strconv.FormatInt(n, 10) }

// filter renders the Query's constraints as one Meilisearch filter
// expression, its conditions joined by AND; "" means no constraint.
func filter(q search.Query) string {
	var c []string
	eq := func(attr, value string) {
		if value != "" {
			c = append(c, attr+" = "+quote(value))
		}
	}
	if len(q.Kinds) > 0 {
		c = append(c, "kind IN "+quoteAll(q.Kinds))
	}
	eq("field", q.Field)
	if p := normalIPC(q.IPCPrefix); p != "" {
		c = append(c, "ipc_prefixes = "+quote(p))
	}
	if len(q.IPCClasses) > 0 {
		classes := make([]string, len(q.IPCClasses))
		for i, c := range q.IPCClasses {
			classes[i] = ipcClass(normalIPC(c))
		}
		c = append(c, "ipc_class IN "+quoteAll(classes))
	}
	if q.TRLMin > 0 {
		c = append(c, "trl >= "+num(int64(q.TRLMin)))
	}
	if q.TRLMax > 0 {
		c = append(c, "trl <= "+num(int64(q.TRLMax)))
	}
	// Ranges overlap when each starts before the other ends.
	if q.PriceMin > 0 {
		c = append(c, "price_high >= "+num(q.PriceMin))
	}
	if q.PriceMax > 0 {
		c = append(c, "price_low <= "+num(q.PriceMax))
	}
	eq("region", q.Region)
	eq("transfer_modes", q.TransferMode)
	eq("org_kind", q.OrgKind)
	eq("org_id", q.OrgID)
	eq("langs", q.Lang)
	if len(q.ExcludeIDs) > 0 {
		c = append(c, "id NOT IN "+quoteAll(q.ExcludeIDs))
	}
	if len(q.OnlyIDs) > 0 {
		c = append(c, "id IN "+quoteAll(q.OnlyIDs))
	}
	return strings.Join(c, " AND ")
}

// page returns the clamped offset and limit of a query.
func page(q search.Query) (offset, limit int) {
	offset, limit = q.Offset, q.Limit
	switch {
	case limit <= 0:
		limit = search.DefaultLimit
	case limit > search.MaxLimit:
		limit = search.MaxLimit
	}
	offset = max(0, min(offset, search.MaxOffset))
	return offset, limit
}

// sortAndFacets translates Query.Sort and Query.Facets, rejecting unknown names.
func sortAndFacets(q search.Query) (sort []string, attrs []string, err error) {
	var f market.Fields
	if q.Sort != "" {
		s, ok := sorts[q.Sort]
		if !ok {
			f.Add("sort", msgs.UnknownSortX, q.Sort)
		}
		sort = []string{s}
	}
	for _, name := range q.Facets {
		a, ok := facets[name]
		if !ok {
			f.Add("facets", msgs.UnknownFacetX, name)
			continue
		}
		attrs = append(attrs, a)
	}
	if err := f.Err(); err != nil {
		return nil, nil, err
	}
	return sort, attrs, nil
}
