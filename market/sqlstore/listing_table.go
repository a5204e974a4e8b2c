package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"techbridge/market"
)

// col is one column of a listing table bound to a field of one listing: a
// plain pointer (*string, *int, *int64, *bool), or an adapter for what the
// column stores differently (JSON lists, UTC times, nullable times).
type col struct {
	name string
	ptr  any
}

// colValue is what a write stores for a bound field.
type colValue interface{ value() any }

// utcCol is a timestamp written and read as UTC.
type utcCol struct{ p *time.Time }

func (c utcCol) value() any { return c.p.UTC() }
func (c utcCol) Scan(src any) error {
	if s, ok := src.(string); ok { // SQLite's text, selected by liteTime
		t, err := parseLiteTime(s)
		*c.p = t
		return err
	}
	var n sql.NullTime
	err := n.Scan(src)
	*c.p = n.Time.UTC()
	return err
}

// optUTCCol is a nullable timestamp.
type optUTCCol struct{ p **time.Time }

func (c optUTCCol) value() any { return optTime(*c.p) }
func (c optUTCCol) Scan(src any) error {
	if s, ok := src.(string); ok { // SQLite's text, selected by liteTime
		t, err := parseLiteTime(s)
		*c.p = &t
		return err
	}
	var n sql.NullTime
	err := n.Scan(src)
	*c.p = timePtr(n)
	return err
}

// listCol is a string list kept as JSON text (see jsonList).
type listCol struct{ p *[]string }

func (c listCol) value() any { return jsonList(*c.p) }
func (c listCol) Scan(src any) error {
	var s sql.NullString
	if err := s.Scan(src); err != nil {
		return err
	}
	var err error
	*c.p, err = listJSON(s.String)
	return err
}

func (c col) value() any {
	switch p := c.ptr.(type) {
	case colValue:
		return p.value()
	case *string:
		return *p
	case *int:
		return *p
	case *int64:
		return *p
	case *bool:
		return *p
	}
	panic(fmt.Sprintf("sqlstore: column %s has no value for %T", c.name, c.ptr))
}

// metaCols appends to cs the columns every listing table has, bound to
// market.ListingMeta.
func metaCols(cs []col, m *market.ListingMeta) []col {
	return append(cs, col{"id", &m.ID}, col{"org_id", &m.OrgID}, col{"status", &m.Status}, col{"reject_reason", &m.RejectReason},
		col{"created_by", &m.CreatedBy}, col{"created_at", utcCol{&m.CreatedAt}}, col{"updated_at", utcCol{&m.UpdatedAt}},
		col{"published_at", optUTCCol{&m.PublishedAt}}, col{"version", &m.Version})
}

// maxListingCols is room for every column of a listing kind.
const maxListingCols = 40

// bilingualCols appends to cs the language columns of both kinds.
func bilingualCols(cs []col, b *market.Bilingual) []col {
	return append(cs, col{"languages", listCol{&b.Languages}}, col{"title_alt", &b.TitleAlt}, col{"summary_alt", &b.SummaryAlt})
}

// scanBindings are a row scan's column bindings and Scan's destinations,
// reused across scans: a row's read built both anew, about 2 KB a row, a
// fifth of what a detail answer allocated.
type scanBindings struct {
	cols []col
	dst  []any
}

var scanBindingsPool = sync.Pool{New: func() any {
	return &scanBindings{cols: make([]col, 0, maxListingCols), dst: make([]any, 0, maxListingCols)}
}}

// fixedCols are set on insert and never updated.
var fixedCols = map[string]bool{"id": true, "org_id": true, "created_by": true, "created_at": true}

// listingTable is the one store path of every listing kind: insert, load,
// optimistic update and lists, from the kind's column bindings.
type listingTable[T any, P interface {
	*T
	Meta() *market.ListingMeta
}] struct {
	table, noun string
	cols        func([]col, P) []col // appends the kind's columns bound to a listing
	columns     string               // the column list, in cols order
	// insertSQL, selectSQL and updateSQL are fixed per kind, so prepared
	// statements are reused; liteSelectSQL is selectSQL for SQLite, its
	// times read as text (sqlite_time.go).
	insertSQL, selectSQL, liteSelectSQL, updateSQL string
	// anySQL (PostgreSQL) and liteInSQL (SQLite, by number of marks) read
	// rows by a list of ids (eachByID).
	anySQL    string
	liteInSQL map[int]string
	timeCols  map[string]bool // the columns SQLite reads as text (liteTime)
}

// columnList is k.columns qualified by alias ("o." or ""), for a list's
// statement; lite reads the times as text, as the detail read does: in an
// uncached page of 21 outcomes the driver's own parse of the 84 times was
// an eighth of the request's CPU (bench api's profile).
func (k *listingTable[T, P]) columnList(alias string, lite bool) string {
	names := strings.Split(k.columns, ", ")
	for i, n := range names {
		names[i] = alias + n
		if lite && k.timeCols[n] {
			names[i] = liteTime(alias + n)
		}
	}
	return strings.Join(names, ", ")
}

// dialectColumns is a list's column list on each engine, built once.
type dialectColumns struct{ postgres, sqlite string }

// listColumns is the column list of a list under alias on each engine.
func (k *listingTable[T, P]) listColumns(alias string) dialectColumns {
	return dialectColumns{postgres: k.columnList(alias, false), sqlite: k.columnList(alias, true)}
}

// of is the column list for dialect.
func (d dialectColumns) of(dialect string) string {
	if dialect == SQLite {
		return d.sqlite
	}
	return d.postgres
}

func newListingTable[T any, P interface {
	*T
	Meta() *market.ListingMeta
}](table, noun string, cols func([]col, P) []col) *listingTable[T, P] {
	var names, marks, sets []string
	timeCols := map[string]bool{}
	for i, c := range cols(nil, P(new(T))) {
		names, marks = append(names, c.name), append(marks, fmt.Sprintf("$%d", i+1))
		switch c.ptr.(type) {
		case utcCol, optUTCCol:
			timeCols[c.name] = true
		}
		if !fixedCols[c.name] {
			sets = append(sets, fmt.Sprintf("%s = $%d", c.name, len(sets)+1))
		}
	}
	k := &listingTable[T, P]{table: table, noun: noun, cols: cols, columns: strings.Join(names, ", "), timeCols: timeCols}
	k.insertSQL = `INSERT INTO ` + table + ` (` + k.columns + `) VALUES (` + strings.Join(marks, ", ") + `)`
	k.selectSQL = `SELECT ` + k.columns + ` FROM ` + table + ` WHERE id = $1`
	liteColumns := k.columnList("", true)
	k.liteSelectSQL = `SELECT ` + liteColumns + ` FROM ` + table + ` WHERE id = $1`
	k.anySQL = `SELECT ` + k.columns + ` FROM ` + table + ` WHERE id = ANY($1)`
	k.liteInSQL = map[int]string{}
	for n := 2; n <= maxCachedStmtArgs; n *= 2 {
		marks := make([]string, n)
		for i := range marks {
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
		k.liteInSQL[n] = `SELECT ` + liteColumns + ` FROM ` + table + ` WHERE id IN (` + strings.Join(marks, ", ") + `)`
	}
	k.updateSQL = `UPDATE ` + table + ` SET ` + strings.Join(sets, ", ") +
		fmt.Sprintf(` WHERE id = $%d AND version = $%d`, len(sets)+1, len(sets)+2)
	return k
}

// scan reads one row of k.columns.
func (k *listingTable[T, P]) scan(row scanner) (*T, error) {
	x := new(T)
	b := scanBindingsPool.Get().(*scanBindings)
	b.cols = k.cols(b.cols[:0], P(x))
	for _, c := range b.cols {
		b.dst = append(b.dst, c.ptr)
	}
	err := row.Scan(b.dst...)
	clear(b.cols) // the bindings point into x: drop them before the pool keeps them
	clear(b.dst)
	b.cols, b.dst = b.cols[:0], b.dst[:0]
	scanBindingsPool.Put(b)
	if err != nil {
		return nil, err
	}
	return x, nil
}

func (k *listingTable[T, P]) insert(t *Tx, x P) error {
	cs := k.cols(nil, x)
	args := make([]any, len(cs))
	for i, c := range cs {
		args[i] = c.value()
	}
	_, err := t.exec(k.insertSQL, args...)
	return err
}

func (k *listingTable[T, P]) byID(t *Tx, id string) (*T, error) {
	if t.keys != nil {
		x, err := t.keys.of(k.table, func() (keyFetch, func(any) any) { return k.fetcher(t), k.clone }).get(t.ctx, id)
		if err != nil {
			return nil, notFound(err, k.noun)
		}
		return x.(*T), nil
	}
	x, err := k.scan(t.keyRow(k.selectFor(t.dialect), id))
	return x, notFound(err, k.noun)
}

func (k *listingTable[T, P]) selectFor(dialect string) string {
	if dialect == SQLite {
		return k.liteSelectSQL
	}
	return k.selectSQL
}

// clone copies a row for a keyBatcher's second caller of one id.
func (k *listingTable[T, P]) clone(x any) any { c := *x.(*T); return &c }

// fetcher reads rows of k by id on t's pool (the store's readers, the same
// for every read) for a keyBatcher: one by its select, several by byIDs.
func (k *listingTable[T, P]) fetcher(t *Tx) keyFetch {
	pool, stmts, dialect := t.pool, t.stmts, t.dialect
	return func(ctx context.Context, ids []string, found func(string, any)) error {
		t := &Tx{ctx: ctx, pool: pool, stmts: stmts, dialect: dialect}
		if len(ids) == 1 {
			x, err := k.scan(t.keyRow(k.selectFor(dialect), ids[0]))
			if err == nil {
				found(ids[0], x)
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			return nil
		}
		if dialect == SQLite {
			// A few key lookups in a local file: unwatched, as keyRow's.
			if err := ctx.Err(); err != nil {
				return err
			}
			t.ctx = context.WithoutCancel(ctx)
		}
		return k.eachByID(t, ids, func(x *T) { found(P(x).Meta().ID, x) })
	}
}

func (k *listingTable[T, P]) byIDs(t *Tx, ids []string) ([]T, error) {
	var out []T
	err := k.eachByID(t, ids, func(x *T) { out = append(out, *x) })
	return out, err
}

// eachByID reads the rows of ids, in no order, and passes each to fn: on
// PostgreSQL by one array parameter, on SQLite by lists of up to
// maxCachedStmtArgs marks padded to a power of two with the first id, so a
// few statements, each prepared once per reader, serve every count.
func (k *listingTable[T, P]) eachByID(t *Tx, ids []string, fn func(*T)) error {
	for len(ids) > 0 {
		var q string
		var args []any
		if t.dialect == SQLite {
			part := ids[:min(len(ids), maxCachedStmtArgs)]
			ids = ids[len(part):]
			n := 2
			for n < len(part) {
				n *= 2
			}
			args = make([]any, n)
			for i := range args {
				args[i] = part[0]
				if i < len(part) {
					args[i] = part[i]
				}
			}
			q = k.liteInSQL[n]
		} else {
			q, args, ids = k.anySQL, []any{ids}, nil
		}
		if err := k.eachRow(t, q, args, fn); err != nil {
			return err
		}
	}
	return nil
}

// eachRow runs q and passes each row, scanned, to fn.
func (k *listingTable[T, P]) eachRow(t *Tx, q string, args []any, fn func(*T)) error {
	rows, err := t.query(q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		x, err := k.scan(rows)
		if err != nil {
			return err
		}
		fn(x)
	}
	return rows.Err()
}

// update writes x when the stored version is x's Version-1; the owner and
// creation columns never change.
func (k *listingTable[T, P]) update(t *Tx, x P) error {
	var args []any
	for _, c := range k.cols(nil, x) {
		if !fixedCols[c.name] {
			args = append(args, c.value())
		}
	}
	m := x.Meta()
	res, err := t.exec(k.updateSQL, append(args, m.ID, m.Version-1)...)
	if err != nil {
		return err
	}
	return t.expectOne(res, k.table, m.ID, k.noun)
}

// list returns one page of q (whose columns are k's) newest first.
func (k *listingTable[T, P]) list(t *Tx, q listQuery) (market.Page[T], error) {
	return listPage(t, q, k.scan, func(x *T) string { return P(x).Meta().ID })
}

// listingConds are the list filters both kinds share.
type listingConds struct {
	org, status string
	statuses    []string
	field       string
	trlCol      string // trl, or min_trl for scenarios
	trlMin      int
	trlMax      int
	// walk keeps the field a filter on SQLite (unary +), so a sorted list
	// is read in its order index rather than gathered by field and sorted;
	// trlWalk does the same for the TRL range, which the (status, trl, id)
	// index would otherwise serve as a range and then sort.
	walk, trlWalk bool
	// statusWritten writes a known status into the statement (PostgreSQL),
	// so each status has a statement and a cached plan of its own: nearly
	// every listing is published, and a generic plan kept for published
	// pages walked every listing in id order for the review queue's few
	// pending ones (11 ms at 20k, growing with the market).
	statusWritten bool
}

// writtenStatuses are statuses as SQL literals, when the statement writes
// them in (statusWritten) and every one is a known listing status (nothing
// else is ever written into a statement); false for none.
func (c listingConds) writtenStatuses(statuses ...string) (string, bool) {
	if !c.statusWritten || len(statuses) == 0 {
		return "", false
	}
	quoted := make([]string, len(statuses))
	for i, st := range statuses {
		if !slices.Contains(market.ListingStatuses, st) {
			return "", false
		}
		quoted[i] = "'" + st + "'"
	}
	return strings.Join(quoted, ", "), true
}

// listOrders are the ORDER BY of each sort but newest on columns of alias
// ("o." or ""), each read from a (status, key, id) index of migration
// 00020: negotiable ones last in price_asc (their floor is 0), scenarios
// without a deadline last in deadline_asc on both engines.
func listOrders(alias string) map[string]string {
	a := alias
	return map[string]string{
		market.SortTRLDesc:     a + "trl DESC, " + a + "id DESC",
		market.SortPriceAsc:    a + "negotiable, " + a + "price_floor, " + a + "id DESC",
		market.SortPriceDesc:   a + "price_floor DESC, " + a + "id DESC",
		market.SortDeadlineAsc: "(" + a + "deadline IS NULL), " + a + "deadline, " + a + "id DESC",
		market.SortBudgetDesc:  a + "budget_floor DESC, " + a + "id DESC",
	}
}

var outcomeOrders, scenarioOrders = listOrders("o."), listOrders("")

// commonWhere adds the shared conditions on columns of alias ("o." or "");
// the price or budget range is addBounds' (price_bounds.go).
func commonWhere(w *where, alias string, c listingConds) {
	if c.org != "" {
		w.add(alias+"org_id = ?", c.org)
	}
	if c.status != "" {
		if lit, ok := c.writtenStatuses(c.status); ok {
			w.add(alias + "status = " + lit)
		} else {
			w.add(alias+"status = ?", c.status)
		}
	}
	if lits, ok := c.writtenStatuses(c.statuses...); ok {
		w.add(alias + "status IN (" + lits + ")")
	} else {
		w.in(alias+"status", c.statuses)
	}
	if c.field != "" {
		col := alias + "field"
		if c.walk {
			col = "+" + col
		}
		w.add(col+" = ?", c.field)
	}
	trl := alias + c.trlCol
	if c.trlWalk {
		trl = "+" + trl
	}
	if c.trlMin > 0 {
		w.add(trl+" >= ?", c.trlMin)
	}
	if c.trlMax > 0 {
		w.add(trl+" <= ?", c.trlMax)
	}
}
