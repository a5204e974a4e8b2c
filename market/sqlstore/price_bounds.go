package sqlstore

import "strings"

// A price (or budget) filter is one range over a normalised bound (see
// migration 00019): top ≥ the wanted minimum, floor ≤ the wanted maximum,
// each the second column of a (status, bound) index. A list is read in id
// order and stops at its limit, which is cheap when many listings pass the
// bound and a walk of every listing when few do; the bound's index is the
// reverse. Neither planner weighs this right (SQLite keeps no statistics on
// ranges; PostgreSQL's cost model walked 31,000 rows for 21 in the bench),
// so a bounded probe (at most sparseBound index entries) decides: fewer
// matches are read through the bound's index and sorted (SQLite INDEXED BY;
// on PostgreSQL a subquery fenced by OFFSET 0), more are met often enough on
// the walk in id order.

// sparseBound is the number of matches of a bound below which a list reads
// them through the bound's index and sorts them.
const sparseBound = 1000

// bound is one range condition on a normalised price column.
type bound struct {
	col   string // price_top, price_floor, budget_top, budget_floor
	op    string // ">=" or "<="
	v     int64
	index string // the (status, col) index
}

// priceBounds returns the bounds of a filter on table's range: kind is
// "price" (outcomes) or "budget" (scenarios); 0 leaves a side open.
func priceBounds(table, kind string, min, max int64) []bound {
	var out []bound
	if min > 0 {
		out = append(out, bound{col: kind + "_top", op: ">=", v: min, index: table + "_" + kind + "_top"})
	}
	if max > 0 {
		out = append(out, bound{col: kind + "_floor", op: "<=", v: max, index: table + "_" + kind + "_floor"})
	}
	return out
}

// boundIndex picks the index a list of one status reads through: the
// bound matching fewest listings when that is under sparseBound, else ""
// (walk in id order). Several statuses or no bound: "".
func (t *Tx) boundIndex(table, status string, bounds []bound) (string, error) {
	if status == "" {
		return "", nil
	}
	best, fewest := "", sparseBound
	for _, b := range bounds {
		var n int
		err := t.queryRow(`SELECT COUNT(*) FROM (SELECT 1 FROM `+table+` WHERE status = $1 AND `+b.col+` `+b.op+` $2 LIMIT $3) p`,
			status, b.v, sparseBound).Scan(&n)
		if err != nil {
			return "", mapErr(err)
		}
		if n < fewest {
			best, fewest = b.index, n
		}
	}
	return best, nil
}

// addBounds adds the bounds' conditions on columns of alias ("o." or "")
// and returns the FROM of table, read through index when one is chosen:
// SQLite names it (INDEXED BY); PostgreSQL gets the listings of status
// within the bound from a subquery that OFFSET 0 keeps from being merged
// into the ordered walk. On SQLite a unary + keeps a bound not chosen a
// filter, so the planner walks in id order.
func addBounds(w *where, table, alias, dialect, status, index string, bounds []bound) string {
	from := table
	if alias != "" {
		from += " " + strings.TrimSuffix(alias, ".")
	}
	for _, b := range bounds {
		col := alias + b.col
		if dialect == SQLite && b.index != index {
			col = "+" + col
		}
		w.add(col+" "+b.op+" ?", b.v)
		if b.index != index || index == "" {
			continue
		}
		if dialect == SQLite {
			from += " INDEXED BY " + index
			continue
		}
		name := strings.TrimSuffix(alias, ".")
		if name == "" {
			name = table
		}
		from = "(SELECT * FROM " + table + " WHERE status = " + w.next(status) + " AND " + b.col + " " + b.op + " " + w.next(b.v) + " OFFSET 0) " + name
	}
	return from
}
