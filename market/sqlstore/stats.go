package sqlstore

import (
	"strings"
	"time"

	"techbridge/market"
	"techbridge/market/msgs"
)

// StatsAdvance moves the statistics cursor only from where the caller
// found it: the upsert's condition is re-checked under the row lock
// (PostgreSQL) or the one writer (SQLite), so of two runs over the same
// batch one commits and the other rolls back.
func (t *Tx) StatsAdvance(from, to int64) error {
	res, err := t.exec(`INSERT INTO cursors (name, seq) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET seq = excluded.seq WHERE cursors.seq = $3`, market.StatsCursor, to, from)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		if err != nil {
			return err
		}
		return market.Errorf(market.ECONFLICT, msgs.StatsCursorMoved, from)
	}
	return nil
}

// StatsAdd adds each delta to its row, creating it at zero first.
func (t *Tx) StatsAdd(ds []market.StatDelta) error {
	for _, d := range ds {
		if _, err := t.exec(`INSERT INTO stats_daily (metric, dim, field, region, day, bucket, n, amount, income)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (metric, dim, field, region, day, bucket) DO UPDATE SET
			n = stats_daily.n + excluded.n, amount = stats_daily.amount + excluded.amount, income = stats_daily.income + excluded.income`,
			d.Metric, d.Dim, d.Field, d.Region, d.Day.UTC(), d.Bucket, d.N, d.Amount, d.Income); err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO stats_totals (metric, dim, field, region, bucket, n, amount, income)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (metric, dim, field, region, bucket) DO UPDATE SET
			n = stats_totals.n + excluded.n, amount = stats_totals.amount + excluded.amount, income = stats_totals.income + excluded.income`,
			d.Metric, d.Dim, d.Field, d.Region, d.Bucket, d.N, d.Amount, d.Income); err != nil {
			return err
		}
	}
	return nil
}

// StatsFunnelAdd adds each delta to its funnel row.
func (t *Tx) StatsFunnelAdd(ds []market.FunnelDelta) error {
	for _, d := range ds {
		if _, err := t.exec(`INSERT INTO stats_funnel (scope, scope_id, day, step, n) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (scope, scope_id, day, step) DO UPDATE SET n = stats_funnel.n + excluded.n`,
			d.Scope, d.ScopeID, d.Day.UTC(), d.Step, d.N); err != nil {
			return err
		}
	}
	return nil
}

// StatsListing returns what was counted for a listing; nil when nothing.
func (t *Tx) StatsListing(id string) (*market.StatListing, error) {
	var l market.StatListing
	var live, challenge, answered int
	err := t.queryRow(`SELECT id, kind, org_id, live, field, region, trl, ip_type, challenge, answered
		FROM stats_listings WHERE id = $1`, id).Scan(&l.ID, &l.Kind, &l.OrgID, &live, &l.Field, &l.Region, &l.TRL, &l.IP, &challenge, &answered)
	if market.ErrorCode(notFound(err, "stats listing")) == market.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, mapErr(err)
	}
	l.Live, l.Challenge = live == 1, challenge == 1
	l.Answered, l.Awarded = answered&1 != 0, answered&2 != 0
	return &l, nil
}

// PutStatsListing writes what was counted for a listing.
func (t *Tx) PutStatsListing(l market.StatListing) error {
	answered := 0
	if l.Answered {
		answered |= 1
	}
	if l.Awarded {
		answered |= 2
	}
	_, err := t.exec(`INSERT INTO stats_listings (id, kind, org_id, live, field, region, trl, ip_type, challenge, answered)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, org_id = excluded.org_id, live = excluded.live,
		field = excluded.field, region = excluded.region, trl = excluded.trl, ip_type = excluded.ip_type,
		challenge = excluded.challenge, answered = excluded.answered`,
		l.ID, l.Kind, l.OrgID, b2i(l.Live), l.Field, l.Region, l.TRL, l.IP, b2i(l.Challenge), answered)
	return err
}

// StatsDeal returns what was counted for a deal; nil when nothing.
func (t *Tx) StatsDeal(id string) (*market.StatDeal, error) {
	var d market.StatDeal
	var reached string
	var registered int
	err := t.queryRow(`SELECT id, listing_id, owner_org, broker_org, field, region, state, reached, registered
		FROM stats_deals WHERE id = $1`, id).Scan(&d.ID, &d.ListingID, &d.OwnerOrg, &d.BrokerOrg, &d.Field, &d.Region, &d.State, &reached, &registered)
	if market.ErrorCode(notFound(err, "stats deal")) == market.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, mapErr(err)
	}
	if reached != "" {
		d.Reached = strings.Split(reached, ",")
	}
	d.Registered = registered == 1
	return &d, nil
}

// PutStatsDeal writes what was counted for a deal.
func (t *Tx) PutStatsDeal(d market.StatDeal) error {
	_, err := t.exec(`INSERT INTO stats_deals (id, listing_id, owner_org, broker_org, field, region, state, reached, registered)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (id) DO UPDATE SET listing_id = excluded.listing_id, owner_org = excluded.owner_org,
		broker_org = excluded.broker_org, field = excluded.field, region = excluded.region, state = excluded.state,
		reached = excluded.reached, registered = excluded.registered`,
		d.ID, d.ListingID, d.OwnerOrg, d.BrokerOrg, d.Field, d.Region, d.State, strings.Join(d.Reached, ","), b2i(d.Registered))
	return err
}

// statRange is the day condition of a query: from (zero = the beginning)
// to before `to`.
func statRange(q market.StatQuery) (time.Time, time.Time) {
	from := q.From
	if from.IsZero() {
		from = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return from.UTC(), q.To.UTC()
}

// StatsSum sums a slice's rows per bucket, by the primary key's prefix.
func (t *Tx) StatsSum(q market.StatQuery) ([]market.StatRow, error) {
	from, to := statRange(q)
	query := `SELECT bucket, SUM(n), SUM(amount), SUM(income) FROM stats_daily
		WHERE metric = $1 AND dim = $2 AND field = $3 AND region = $4 AND day >= $5 AND day < $6
		GROUP BY bucket ORDER BY bucket`
	args := []any{q.Metric, q.Dim, q.Field, q.Region, from, to}
	if q.Total {
		query = `SELECT bucket, n, amount, income FROM stats_totals
			WHERE metric = $1 AND dim = $2 AND field = $3 AND region = $4 ORDER BY bucket`
		args = args[:4]
	}
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.StatRow
	for rows.Next() {
		var r market.StatRow
		if err := rows.Scan(&r.Bucket, &r.N, &r.Amount, &r.Income); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// StatsSeries sums a slice's rows per day, of one bucket or all.
func (t *Tx) StatsSeries(q market.StatQuery, bucket string) ([]market.StatPoint, error) {
	from, to := statRange(q)
	rows, err := t.query(`SELECT day, SUM(n), SUM(amount), SUM(income) FROM stats_daily
		WHERE metric = $1 AND dim = $2 AND field = $3 AND region = $4 AND day >= $5 AND day < $6
		AND ($7 = '' OR bucket = $7) GROUP BY day ORDER BY day`, q.Metric, q.Dim, q.Field, q.Region, from, to, bucket)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.StatPoint
	for rows.Next() {
		var p market.StatPoint
		if err := rows.Scan(&p.Day, &p.N, &p.Amount, &p.Income); err != nil {
			return nil, mapErr(err)
		}
		p.Day = p.Day.UTC()
		out = append(out, p)
	}
	return out, mapErr(rows.Err())
}

// StatsFunnel sums one scope's steps over [from, to).
func (t *Tx) StatsFunnel(scope, scopeID string, from, to time.Time) (map[string]int64, error) {
	from, to = statRange(market.StatQuery{From: from, To: to})
	rows, err := t.query(`SELECT step, SUM(n) FROM stats_funnel
		WHERE scope = $1 AND scope_id = $2 AND day >= $3 AND day < $4 GROUP BY step`, scope, scopeID, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var step string
		var n int64
		if err := rows.Scan(&step, &n); err != nil {
			return nil, mapErr(err)
		}
		out[step] = n
	}
	return out, mapErr(rows.Err())
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
