package search

import (
	"hash/maphash"
	"strconv"

	lru "github.com/hashicorp/golang-lru/v2"
)

// Cutting a listing's text into weighted terms is most of what the
// feedback pass and the match reasons cost beyond the engine (a patent
// abstract is a thousand characters), and the same listings come back
// query after query. termCache keeps the terms of recently seen listings,
// keyed by id, version and a hash of the very text cut, so a teaser and
// the full listing, or an edit, never share an entry. Callers must not
// change the returned map.
var termCache = newDocTermsCache(2048)

type docTermsCache struct {
	seed maphash.Seed
	lru  *lru.Cache[string, map[string]float64]
}

func newDocTermsCache(size int) *docTermsCache {
	c, _ := lru.New[string, map[string]float64](size) // only a size ≤ 0 fails
	return &docTermsCache{seed: maphash.MakeSeed(), lru: c}
}

// terms returns cut(d), from the cache when d is a stored listing seen
// before; subjects without an id (a described need) are cut every time.
func (c *docTermsCache) terms(d Document, cut func(Document) map[string]float64) map[string]float64 {
	if d.ID == "" {
		return cut(d)
	}
	var h maphash.Hash
	h.SetSeed(c.seed)
	for _, f := range feedbackFields {
		h.WriteString(f.text(d))
		h.WriteByte(0)
	}
	key := d.ID + "@" + strconv.FormatInt(d.Version, 10) + "#" + strconv.FormatUint(h.Sum64(), 36)
	if tf, ok := c.lru.Get(key); ok {
		return tf
	}
	tf := cut(d)
	c.lru.Add(key, tf)
	return tf
}
