package sqlstore

import "context"

// CountQuery runs a recount for the statistics tests: each row is a key
// and a count.
func (db *DB) CountQuery(ctx context.Context, query string) (map[string]int64, error) {
	rows, err := db.read.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] += n
	}
	return out, rows.Err()
}
