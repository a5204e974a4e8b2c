package market

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// Event is one recorded state change. The log is at once the audit trail
// (hash-chained: each Hash covers the previous one) and the outbox that the
// search indexer and notifications follow by Seq.
type Event struct {
	Seq        int64 // 1, 2, 3 … in commit order; assigned by the store
	Type       string
	ActorID    string // account id; "" for the system
	ObjectType string
	ObjectID   string
	Payload    json.RawMessage
	At         time.Time
	PrevHash   string
	Hash       string
}

// NewEvent builds an event for the store to append; payload is marshalled to
// JSON and At is truncated to microseconds, the precision both engines keep.
func NewEvent(typ, actorID, objectType, objectID string, payload any, at time.Time) Event {
	raw, err := json.Marshal(payload)
	if err != nil || payload == nil {
		raw = []byte("{}")
	}
	return Event{Type: typ, ActorID: actorID, ObjectType: objectType, ObjectID: objectID,
		Payload: raw, At: at.UTC().Truncate(time.Microsecond)}
}

// ChainHash returns the hash of e given its Seq and PrevHash: SHA-256 over the
// previous hash and every field, each length-prefixed so no two events collide.
func ChainHash(e Event) string {
	h := sha256.New()
	for _, s := range []string{e.PrevHash, strconv.FormatInt(e.Seq, 10), e.Type, e.ActorID,
		e.ObjectType, e.ObjectID, e.At.UTC().Format(time.RFC3339Nano), string(e.Payload)} {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// VerifyChain checks that events, given in Seq order starting after a head
// with hash prev and seq prevSeq, continue the chain. It returns the first
// broken event's Seq, or 0 when all are intact.
func VerifyChain(prevSeq int64, prev string, events []Event) int64 {
	for _, e := range events {
		if e.Seq != prevSeq+1 || e.PrevHash != prev || ChainHash(e) != e.Hash {
			return e.Seq
		}
		prevSeq, prev = e.Seq, e.Hash
	}
	return 0
}
