package sqlstore

import (
	"time"
)

// TakeLease inserts the lease or takes it over when it has expired or is
// already the holder's. The condition sits in the upsert itself, so two
// instances racing for an expired lease cannot both win: PostgreSQL locks
// the conflicting row and re-checks the WHERE, SQLite has one writer.
func (t *Tx) TakeLease(name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	nowMS := now.UnixMilli()
	res, err := t.exec(`INSERT INTO leases (name, holder, expires_ms) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
		WHERE leases.holder = excluded.holder OR leases.expires_ms <= $4`,
		name, holder, nowMS+ttl.Milliseconds(), nowMS)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseLease expires the holder's lease at once, so the next instance need
// not wait out its period.
func (t *Tx) ReleaseLease(name, holder string) error {
	_, err := t.exec(`DELETE FROM leases WHERE name = $1 AND holder = $2`, name, holder)
	return err
}
