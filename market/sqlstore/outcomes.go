package sqlstore

import (
	"database/sql"

	"techbridge/market"
)

const outcomeColumns = `id, org_id, external_id, title, summary, description, keywords, field, ipc, trl, ip_type,
	patent_numbers, legal_status, transfer_modes, price_min, price_max, currency, negotiable, confidentiality,
	fresh_until, status, reject_reason, created_by, created_at, updated_at, published_at, version,
	languages, title_alt, summary_alt`

// outcomeRow is an outcomes row as scanned, apart from the domain type.
type outcomeRow struct {
	market.Outcome
	keywords, ipc, patents, modes, langs string
	published                            sql.NullTime
}

func scanOutcome(row interface{ Scan(...any) error }) (*market.Outcome, error) {
	var r outcomeRow
	o := &r.Outcome
	err := row.Scan(&o.ID, &o.OrgID, &o.ExternalID, &o.Title, &o.Summary, &o.Description, &r.keywords, &o.Field,
		&r.ipc, &o.TRL, &o.IPType, &r.patents, &o.LegalStatus, &r.modes, &o.Price.Min, &o.Price.Max,
		&o.Price.Currency, &o.Price.Negotiable, &o.Confidentiality, &o.FreshUntil, &o.Status, &o.RejectReason,
		&o.CreatedBy, &o.CreatedAt, &o.UpdatedAt, &r.published, &o.Version, &r.langs, &o.TitleAlt, &o.SummaryAlt)
	if err != nil {
		return nil, err
	}
	for _, l := range []struct {
		dst *[]string
		src string
	}{{&o.Keywords, r.keywords}, {&o.IPC, r.ipc}, {&o.PatentNumbers, r.patents}, {&o.TransferModes, r.modes},
		{&o.Languages, r.langs}} {
		if *l.dst, err = listJSON(l.src); err != nil {
			return nil, err
		}
	}
	o.FreshUntil, o.CreatedAt, o.UpdatedAt = o.FreshUntil.UTC(), o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	o.PublishedAt = timePtr(r.published)
	return o, nil
}

func outcomeArgs(o *market.Outcome) []any {
	return []any{o.ID, o.OrgID, o.ExternalID, o.Title, o.Summary, o.Description, jsonList(o.Keywords), o.Field,
		jsonList(o.IPC), o.TRL, o.IPType, jsonList(o.PatentNumbers), o.LegalStatus, jsonList(o.TransferModes),
		o.Price.Min, o.Price.Max, o.Price.Currency, o.Price.Negotiable, o.Confidentiality, o.FreshUntil.UTC(),
		o.Status, o.RejectReason, o.CreatedBy, o.CreatedAt.UTC(), o.UpdatedAt.UTC(), optTime(o.PublishedAt), o.Version,
		jsonList(o.Languages), o.TitleAlt, o.SummaryAlt}
}

// CreateOutcome inserts an outcome; ECONFLICT on a duplicate external id.
func (t *Tx) CreateOutcome(o *market.Outcome) error {
	_, err := t.exec(`INSERT INTO outcomes (`+outcomeColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
		$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)`, outcomeArgs(o)...)
	return err
}

// OutcomeByID loads an outcome.
func (t *Tx) OutcomeByID(id string) (*market.Outcome, error) {
	o, err := scanOutcome(t.queryRow(`SELECT `+outcomeColumns+` FROM outcomes WHERE id = $1`, id))
	return o, notFound(err, "outcome")
}

// OutcomesByIDs loads the outcomes with ids; unknown ids are left out.
func (t *Tx) OutcomesByIDs(ids []string) ([]market.Outcome, error) {
	return byIDs(t, "outcomes", outcomeColumns, ids, scanOutcome)
}

// OutcomeByExternalID loads an organisation's outcome by its reference. The
// redundant non-empty condition lets both engines use the partial unique
// index, which they cannot prove applies to a bound parameter.
func (t *Tx) OutcomeByExternalID(orgID, externalID string) (*market.Outcome, error) {
	o, err := scanOutcome(t.queryRow(`SELECT `+outcomeColumns+` FROM outcomes
		WHERE org_id = $1 AND external_id = $2 AND external_id <> ''`,
		orgID, externalID))
	return o, notFound(err, "outcome")
}

// UpdateOutcome writes o when the stored version is o.Version-1. The owner
// and creation fields never change.
func (t *Tx) UpdateOutcome(o *market.Outcome) error {
	res, err := t.exec(`UPDATE outcomes SET external_id = $1, title = $2, summary = $3, description = $4,
		keywords = $5, field = $6, ipc = $7, trl = $8, ip_type = $9, patent_numbers = $10, legal_status = $11,
		transfer_modes = $12, price_min = $13, price_max = $14, currency = $15, negotiable = $16,
		confidentiality = $17, fresh_until = $18, status = $19, reject_reason = $20, updated_at = $21,
		published_at = $22, version = $23, languages = $26, title_alt = $27, summary_alt = $28
		WHERE id = $24 AND version = $25`,
		o.ExternalID, o.Title, o.Summary, o.Description, jsonList(o.Keywords), o.Field, jsonList(o.IPC), o.TRL,
		o.IPType, jsonList(o.PatentNumbers), o.LegalStatus, jsonList(o.TransferModes), o.Price.Min, o.Price.Max,
		o.Price.Currency, o.Price.Negotiable, o.Confidentiality, o.FreshUntil.UTC(), o.Status, o.RejectReason,
		o.UpdatedAt.UTC(), optTime(o.PublishedAt), o.Version, o.ID, o.Version-1,
		jsonList(o.Languages), o.TitleAlt, o.SummaryAlt)
	if err != nil {
		return err
	}
	return t.expectOne(res, "outcomes", o.ID, "outcome")
}

// outcomeWhere turns a filter into conditions on outcomes o joined with
// their organisation g.
func outcomeWhere(f market.OutcomeFilter) *where {
	w := &where{}
	if f.OrgID != "" {
		w.add("o.org_id = ?", f.OrgID)
	}
	if f.Status != "" {
		w.add("o.status = ?", f.Status)
	}
	w.in("o.status", f.Statuses)
	if f.Field != "" {
		w.add("o.field = ?", f.Field)
	}
	if f.TRLMin > 0 {
		w.add("o.trl >= ?", f.TRLMin)
	}
	if f.TRLMax > 0 {
		w.add("o.trl <= ?", f.TRLMax)
	}
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
	return listPage(t, outcomeList(f, orgs, t.dialect, index), scanOutcome, func(o *market.Outcome) string { return o.ID })
}

// outcomeList is the statement of an outcome list. With a region, orgs are
// its organisations (or more than maxRegionOrgs, then the organisations
// are joined). On SQLite the unary + keeps the org condition a filter, so
// the page is still read in id order from the status index rather than
// gathered from every one of those organisations and sorted; index is the
// price bound's index to read through instead (boundIndex).
func outcomeList(f market.OutcomeFilter, orgs []string, dialect, index string) listQuery {
	w := outcomeWhere(f)
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
	return listQuery{from: from, columns: outcomeListColumns, idCol: "o.id",
		w: w, after: f.After, limit: f.Limit, count: c}
}

// outcomeListColumns are the outcome columns qualified for the list's alias.
var outcomeListColumns = prefixed("o.", outcomeColumns)
