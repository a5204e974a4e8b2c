package sqlstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"techbridge/market"
)

// where builds a WHERE clause with $n placeholders from conditions written
// with "?" for their one argument, so list filters stay plain SQL.
type where struct {
	conds []string
	args  []any
}

// add appends cond, replacing its "?" marks with the next placeholders,
// one argument per mark.
func (w *where) add(cond string, args ...any) {
	for _, a := range args {
		w.args = append(w.args, a)
		cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(w.args)), 1)
	}
	w.conds = append(w.conds, cond)
}

// in appends "col IN (…)" for a non-empty set.
func (w *where) in(col string, vals []string) {
	if len(vals) == 0 {
		return
	}
	marks := make([]string, len(vals))
	args := make([]any, len(vals))
	for i, v := range vals {
		marks[i], args[i] = "?", v
	}
	w.add(col+" IN ("+strings.Join(marks, ", ")+")", args...)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// next returns the placeholder for one more argument, appended to args.
func (w *where) next(arg any) string {
	w.args = append(w.args, arg)
	return fmt.Sprintf("$%d", len(w.args))
}

// likePrefix escapes s for a LIKE prefix match with ESCAPE '\'.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

// jsonList encodes a string list for a TEXT column; nil is "[]".
func jsonList(xs []string) string {
	if len(xs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

// listJSON decodes a TEXT column written by jsonList.
func listJSON(s string) ([]string, error) {
	if xs, ok := plainList(s); ok {
		return xs, nil
	}
	var xs []string
	if err := json.Unmarshal([]byte(s), &xs); err != nil {
		return nil, fmt.Errorf("decode list %q: %w", s, err)
	}
	return xs, nil
}

// plainList reads a list jsonList wrote whose strings hold no escapes
// (keywords, IPC codes, patent numbers: nearly all), without the
// reflection of encoding/json: a page of 20 listings reads 100 of them.
// ok is false for anything else, which json.Unmarshal then reads.
func plainList(s string) (xs []string, ok bool) {
	if s == "[]" {
		return nil, true
	}
	if len(s) < 4 || s[0] != '[' || s[len(s)-1] != ']' || strings.IndexByte(s, '\\') >= 0 {
		return nil, false
	}
	for i := 1; ; {
		if s[i] != '"' {
			return nil, false
		}
		end := strings.IndexByte(s[i+1:], '"')
		if end < 0 {
			return nil, false
		}
		xs = append(xs, s[i+1:i+1+end])
		i += end + 2
		switch {
		case i == len(s)-1 && s[i] == ']':
			return xs, true
		case i < len(s)-1 && s[i] == ',':
			i++
		default:
			return nil, false
		}
	}
}

// counted names the kept counts (listing_counts) that add up to a list's
// total: the listing kind, the statuses (nil = all) and one dimension with
// its values (dim "" = every listing of the statuses). A nil *counted means
// no kept count covers the filter.
type counted struct {
	kind     string
	statuses []string
	dim      string
	vals     []string
}

// coverage picks the one dimension a filter constrains, given each
// dimension's values (nil = unconstrained); more than one, or a filter no
// count is kept for (other), leaves the total uncounted.
func coverage(kind string, statuses []string, other bool, dims map[string][]string) *counted {
	if other {
		return nil
	}
	c := &counted{kind: kind, statuses: statuses, vals: []string{""}}
	for dim, vals := range dims {
		if vals == nil {
			continue
		}
		if c.dim != "" {
			return nil
		}
		c.dim, c.vals = dim, vals
	}
	return c
}

// trlVals lists the TRLs from lo to hi (0 = open) as count values; nil
// when neither end is set.
func trlVals(lo, hi int) []string {
	if lo <= 0 && hi <= 0 {
		return nil
	}
	if hi <= 0 || hi > 9 {
		hi = 9
	}
	lo = max(lo, 1)
	var out []string
	for v := lo; v <= hi; v++ {
		out = append(out, strconv.Itoa(v))
	}
	return out
}

// one wraps a single value as a dimension's values; "" = unconstrained.
func one(v string) []string {
	if v == "" {
		return nil
	}
	return []string{v}
}

// statusList is a filter's statuses: its one status, its set, or nil (all).
func statusList(status string, statuses []string) []string {
	if status != "" {
		return []string{status}
	}
	return statuses
}

// expr returns a scalar subquery summing the kept counts, its arguments
// appended to w; selected beside the page it costs no second round trip.
func (c *counted) expr(w *where) string {
	cond := "kind = " + w.next(c.kind) + " AND dim = " + w.next(c.dim)
	marks := make([]string, len(c.vals))
	for i, v := range c.vals {
		marks[i] = w.next(v)
	}
	cond += " AND val IN (" + strings.Join(marks, ", ") + ")"
	if len(c.statuses) > 0 {
		marks = make([]string, len(c.statuses))
		for i, v := range c.statuses {
			marks[i] = w.next(v)
		}
		cond += " AND status IN (" + strings.Join(marks, ", ") + ")"
	}
	return "(SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM listing_counts WHERE " + cond + ")"
}

// listQuery is one page of a listing list: newest first by id, keyset
// paged (or, for numbered pages, offset rows skipped, at most
// market.MaxListOffset), one row past the limit read to know whether more
// follow. A sorted list (order) is paged by offset only.
type listQuery struct {
	from, columns, idCol string
	order                string // ORDER BY of a sort other than newest ("" = idCol DESC); never with after
	w                    *where
	after                string
	offset               int
	limit                int
	count                *counted
	// valuePlanned: the best plan depends on the filter's values (a range
	// of TRL or price, a region), so PostgreSQL must plan each page for
	// them: a generic plan walks every listing in id order to find a rare
	// price (0.1 ms with its values, 5–39 ms by the generic plan at 20k).
	valuePlanned bool
}

// build returns the page's one statement on dialect and its arguments.
// On PostgreSQL a list whose plan does not depend on its values gets the
// limit written into the statement: with LIMIT as a parameter its generic
// plan is priced for a tenth of the table, so the plan cache never keeps
// one and plans every page afresh (about 0.1 ms, most of an uncached
// page's database CPU); a value-planned list keeps the parameter, and so
// its plan per page. SQLite plans once per prepared statement either way,
// and a literal would multiply them.
func (q listQuery) build(dialect string) (string, []any) {
	w := q.w
	cols := q.columns
	if q.count != nil {
		cols += ", " + q.count.expr(w)
	}
	order := q.order
	if order == "" {
		order = q.idCol + " DESC"
		if q.after != "" {
			w.add(q.idCol+" < ?", q.after)
		}
	}
	var lim string
	if dialect == Postgres && !q.valuePlanned {
		lim = strconv.Itoa(market.ClampLimit(q.limit) + 1) // an int of ours, 2 to 101
	} else {
		lim = w.next(market.ClampLimit(q.limit) + 1)
	}
	if off := min(max(q.offset, 0), market.MaxListOffset); off > 0 {
		lim += " OFFSET " + w.next(off)
	}
	return `SELECT ` + cols + ` FROM ` + q.from + w.sql() + ` ORDER BY ` + order + ` LIMIT ` + lim, w.args
}

// extraScan scans a row's columns and then extra destinations (the total).
type extraScan struct {
	row   scanner
	extra []any
}

func (e extraScan) Scan(dest ...any) error { return e.row.Scan(append(dest, e.extra...)...) }

// listPage runs q as one statement and returns the page; the total comes
// with the rows (0 rows with no cursor means 0), and only a page past the
// end of a counted list asks for it alone.
func listPage[T any](t *Tx, q listQuery, scan func(row scanner) (*T, error), id func(*T) string) (market.Page[T], error) {
	var page market.Page[T]
	limit := market.ClampLimit(q.limit)
	query, args := q.build(t.dialect)
	rows, err := t.query(query, args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	var total int64
	row := scanner(rows)
	if q.count != nil {
		row = extraScan{row: rows, extra: []any{&total}}
	}
	page.Items = make([]T, 0, limit+1) // the page and the row telling whether there is more
	for rows.Next() {
		v, err := scan(row)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, *v)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	rows.Close()
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.HasMore = true
		if q.order == "" { // a cursor is an id in id order; sorted lists page by offset
			page.NextCursor = id(&page.Items[limit-1])
		}
	}
	if q.count != nil {
		page.Counted = true
		if len(page.Items) == 0 && (q.after != "" || q.offset > 0) {
			cw := &where{}
			err = t.queryRow(`SELECT `+q.count.expr(cw), cw.args...).Scan(&total)
			if err != nil {
				return page, mapErr(err)
			}
		}
		page.Total = int(total)
	}
	return page, nil
}
