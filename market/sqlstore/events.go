package sqlstore

import (
	"techbridge/market"
)

// AppendEvent assigns the next seq and chains the hash. The UPDATE of the
// single event_head row locks it until commit (PostgreSQL) or runs under
// the one write lock (SQLite), so appends are serial and seq is commit order.
func (t *Tx) AppendEvent(e *market.Event) error {
	var prev string
	if err := t.queryRow(`UPDATE event_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash`).Scan(&e.Seq, &prev); err != nil {
		return mapErr(err)
	}
	e.PrevHash = prev
	e.At = e.At.UTC()
	e.Hash = market.ChainHash(*e)
	if _, err := t.exec(`UPDATE event_head SET hash = $1 WHERE id = 1`, e.Hash); err != nil {
		return err
	}
	_, err := t.exec(`INSERT INTO events (seq, type, actor_id, object_type, object_id, payload, at, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		e.Seq, e.Type, e.ActorID, e.ObjectType, e.ObjectID, string(e.Payload), e.At, e.PrevHash, e.Hash)
	return err
}

const eventColumns = "seq, type, actor_id, object_type, object_id, payload, at, prev_hash, hash"

// EventsAfter returns up to limit events after seq, in order.
func (t *Tx) EventsAfter(seq int64, limit int) ([]market.Event, error) {
	return t.events(`SELECT `+eventColumns+` FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`, seq, limit)
}

// ObjectEvents returns an object's events in order.
func (t *Tx) ObjectEvents(objectType, objectID string, limit int) ([]market.Event, error) {
	return t.events(`SELECT `+eventColumns+` FROM events WHERE object_type = $1 AND object_id = $2 ORDER BY seq LIMIT $3`,
		objectType, objectID, limit)
}

// events runs a query selecting eventColumns.
func (t *Tx) events(query string, args ...any) ([]market.Event, error) {
	rows, err := t.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []market.Event
	for rows.Next() {
		var e market.Event
		var payload string
		if err := rows.Scan(&e.Seq, &e.Type, &e.ActorID, &e.ObjectType, &e.ObjectID, &payload, &e.At, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.Payload, e.At = []byte(payload), e.At.UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// LastEventSeq returns the newest seq.
func (t *Tx) LastEventSeq() (int64, error) {
	var seq int64
	err := t.queryRow(`SELECT seq FROM event_head WHERE id = 1`).Scan(&seq)
	return seq, mapErr(err)
}

// Cursor returns a consumer's saved position, 0 if it has none.
func (t *Tx) Cursor(name string) (int64, error) {
	var seq int64
	err := t.queryRow(`SELECT seq FROM cursors WHERE name = $1`, name).Scan(&seq)
	if market.ErrorCode(notFound(err, "cursor")) == market.ENOTFOUND {
		return 0, nil
	}
	return seq, mapErr(err)
}

// SetCursor saves a consumer's position.
func (t *Tx) SetCursor(name string, seq int64) error {
	_, err := t.exec(`INSERT INTO cursors (name, seq) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq`, name, seq)
	return err
}
