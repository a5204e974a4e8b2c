package sqlstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
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

// idList returns "$1, $2, …" for ids and the ids as arguments.
func idList(ids []string) (string, []any) {
	var b strings.Builder
	args := make([]any, len(ids))
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i+1))
		args[i] = id
	}
	return b.String(), args
}

// byIDs runs one SELECT of columns from table per chunk of ids and scans
// each row; chunks keep the statement under every engine's parameter limit.
func byIDs[T any](t *Tx, table, columns string, ids []string, scan func(row interface{ Scan(...any) error }) (*T, error)) ([]T, error) {
	const chunk = 500
	var out []T
	for len(ids) > 0 {
		part := ids[:min(chunk, len(ids))]
		ids = ids[len(part):]
		marks, args := idList(part)
		rows, err := t.query(`SELECT `+columns+` FROM `+table+` WHERE id IN (`+marks+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			v, err := scan(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, *v)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// prefixed qualifies each column of a column list with a table alias.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
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
	var xs []string
	if err := json.Unmarshal([]byte(s), &xs); err != nil {
		return nil, fmt.Errorf("decode list %q: %w", s, err)
	}
	return xs, nil
}

// count runs a COUNT(*) over table with the filter's conditions.
func (t *Tx) count(from string, w *where) (int, error) {
	var n int
	err := t.queryRow(`SELECT COUNT(*) FROM `+from+w.sql(), w.args...).Scan(&n)
	return n, mapErr(err)
}
