package sqlstore

import (
	"techbridge/market"
)

// outcomeTable binds the outcomes table to market.Outcome.
var outcomeTable = newListingTable("outcomes", "outcome", func(cs []col, o *market.Outcome) []col {
	cs = append(metaCols(cs, &o.ListingMeta), []col{{"external_id", &o.ExternalID}, {"title", &o.Title},
		{"summary", &o.Summary}, {"description", &o.Description}, {"keywords", listCol{&o.Keywords}},
		{"field", &o.Field}, {"ipc", listCol{&o.IPC}}, {"trl", &o.TRL}, {"ip_type", &o.IPType},
		{"patent_numbers", listCol{&o.PatentNumbers}}, {"legal_status", &o.LegalStatus},
		{"transfer_modes", listCol{&o.TransferModes}}, {"price_min", &o.Price.Min}, {"price_max", &o.Price.Max},
		{"currency", &o.Price.Currency}, {"negotiable", &o.Price.Negotiable}, {"confidentiality", &o.Confidentiality},
		{"fresh_until", utcCol{&o.FreshUntil}}}...)
	return bilingualCols(cs, &o.Bilingual)
})

// CreateOutcome inserts an outcome; ECONFLICT on a duplicate external id.
func (t *Tx) CreateOutcome(o *market.Outcome) error { return outcomeTable.insert(t, o) }

// OutcomeByID loads an outcome.
func (t *Tx) OutcomeByID(id string) (*market.Outcome, error) { return outcomeTable.byID(t, id) }

// OutcomesByIDs loads the outcomes with ids; unknown ids are left out.
func (t *Tx) OutcomesByIDs(ids []string) ([]market.Outcome, error) { return outcomeTable.byIDs(t, ids) }

// OutcomeByExternalID loads an organisation's outcome by its reference. The
// redundant non-empty condition lets both engines use the partial unique
// index, which they cannot prove applies to a bound parameter.
func (t *Tx) OutcomeByExternalID(orgID, externalID string) (*market.Outcome, error) {
	o, err := outcomeTable.scan(t.queryRow(`SELECT `+outcomeTable.columns+` FROM outcomes
		WHERE org_id = $1 AND external_id = $2 AND external_id <> ''`,
		orgID, externalID))
	return o, notFound(err, "outcome")
}

// UpdateOutcome writes o when the stored version is o.Version-1.
func (t *Tx) UpdateOutcome(o *market.Outcome) error { return outcomeTable.update(t, o) }

// outcomeWhere turns a filter into conditions on outcomes o joined with
// their organisation g.
func outcomeWhere(f market.OutcomeFilter, dialect string) *where {
	w := &where{}
	commonWhere(w, "o.", listingConds{org: f.OrgID, status: f.Status, statuses: f.Statuses, field: f.Field,
		trlCol: "trl", trlMin: f.TRLMin, trlMax: f.TRLMax, walk: dialect == SQLite && outcomeOrders[f.Sort] != "",
		trlWalk: dialect == SQLite && f.Sort != market.SortTRLDesc, statusWritten: dialect == Postgres})
	return w
}

// maxRegionOrgs bounds the organisations a region filter names by id;
// a broader prefix joins the organisations instead.
const maxRegionOrgs = 500

// ListOutcomes returns a page, newest first, with the kept total when one
// covers the filter (see market.Page). A region filter first finds the
// organisations of the region (a small table): none means an empty page
// without reading outcomes, which a walk of every listing would otherwise
// take to prove; a few are named by id, and their kept counts give the total.
func (t *Tx) ListOutcomes(f market.OutcomeFilter) (market.Page[market.Outcome], error) {
	var orgs []string
	if f.Region != "" {
		rows, err := t.query(`SELECT id FROM organizations WHERE region LIKE $1 ESCAPE '\' LIMIT $2`, likePrefix(f.Region), maxRegionOrgs+1)
		if err != nil {
			return market.Page[market.Outcome]{}, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return market.Page[market.Outcome]{}, err
			}
			orgs = append(orgs, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return market.Page[market.Outcome]{}, err
		}
		if len(orgs) == 0 {
			return market.Page[market.Outcome]{Counted: true}, nil
		}
	}
	index, err := t.boundIndex("outcomes", f.Status, priceBounds("outcomes", "price", f.PriceMin, f.PriceMax))
	if err != nil {
		return market.Page[market.Outcome]{}, err
	}
	return outcomeTable.list(t, outcomeList(f, orgs, t.dialect, index))
}

// outcomeList is the statement of an outcome list. With a region, orgs are
// its organisations (or more than maxRegionOrgs, then the organisations
// are joined). On SQLite the unary + keeps the org condition a filter, so
// the page is still read in id order from the status index rather than
// gathered from every one of those organisations and sorted; index is the
// price bound's index to read through instead (boundIndex).
func outcomeList(f market.OutcomeFilter, orgs []string, dialect, index string) listQuery {
	w := outcomeWhere(f, dialect)
	// A range overlaps [PriceMin, PriceMax] unless it ends below the one or
	// starts above the other (price_top and price_floor, migration 00019).
	from := addBounds(w, "outcomes", "o.", dialect, f.Status, index, priceBounds("outcomes", "price", f.PriceMin, f.PriceMax))
	other := f.PriceMin > 0 || f.PriceMax > 0
	orgDim := one(f.OrgID)
	switch {
	case f.Region == "":
	case len(orgs) > maxRegionOrgs:
		from += " JOIN organizations g ON g.id = o.org_id"
		w.add(`g.region LIKE ? ESCAPE '\'`, likePrefix(f.Region))
		other = true
	default:
		col := "o.org_id"
		if dialect == SQLite {
			col = "+o.org_id"
		}
		w.in(col, orgs)
		if f.OrgID != "" {
			other = true
		}
		orgDim = orgs
	}
	c := coverage("outcome", statusList(f.Status, f.Statuses), other, map[string][]string{
		"field": one(f.Field), "trl": trlVals(f.TRLMin, f.TRLMax), "org": orgDim})
	return listQuery{from: from, columns: outcomeListColumns.of(dialect), idCol: "o.id", order: outcomeOrders[f.Sort],
		w: w, after: f.After, offset: f.Offset, limit: f.Limit, count: c,
		valuePlanned: f.TRLMin > 0 || f.TRLMax > 0 || f.PriceMin > 0 || f.PriceMax > 0 || f.Region != ""}
}

// outcomeListColumns are the outcome columns qualified for the list's alias.
var outcomeListColumns = outcomeTable.listColumns("o.")
