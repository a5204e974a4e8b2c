package search

import (
	"hash/maphash"
	"strconv"
	"sync"

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

// RankDoc is what the ranking pipeline reads of a candidate: its feedback
// terms (docTerms), technology field and IPC codes. A PoolEngine keeps the
// RankDocs of recent candidates (RankDocCache), so a query reads from the
// store only the listings ranked for the first time and the page it returns
// (a pool is a hundred listings, a page twenty).
type RankDoc struct {
	field   string
	ipc     []string
	classes []string // ipcClasses
	vec     termVec  // cutDocTerms
}

// NewRankDoc cuts d into what ranking reads of it.
func NewRankDoc(d Document) *RankDoc {
	return &RankDoc{field: d.Field, ipc: d.IPC, classes: ipcClasses(d), vec: newTermVec(cutDocTerms(d))}
}

// Field is the technology field of the listing.
func (rd *RankDoc) Field() string { return rd.field }

// RankDocCache keeps RankDocs by id for an engine, which forgets an id
// whenever it indexes or deletes it, so an entry is always of the indexed
// listing. Safe for concurrent use.
type RankDocCache struct {
	mu  sync.Mutex
	gen uint64 // counts Forget and Purge calls
	lru *lru.Cache[string, *RankDoc]
}

// NewRankDocCache keeps up to size RankDocs.
func NewRankDocCache(size int) *RankDocCache {
	c, _ := lru.New[string, *RankDoc](size) // only a size ≤ 0 fails
	return &RankDocCache{lru: c}
}

// Get returns the RankDocs of ids held and the ids missing, with the
// generation to pass to Fill once the missing documents are read.
func (c *RankDocCache) Get(ids []string) (found map[string]*RankDoc, missing []string, gen uint64) {
	found = make(map[string]*RankDoc, len(ids))
	for _, id := range ids {
		if rd, ok := c.lru.Get(id); ok {
			found[id] = rd
		} else {
			missing = append(missing, id)
		}
	}
	c.mu.Lock()
	gen = c.gen
	c.mu.Unlock()
	return found, missing, gen
}

// Fill adds the RankDocs of docs, read after Get returned gen, to found;
// they are kept only when nothing was forgotten since, as an index write in
// between may have left them older than the index.
func (c *RankDocCache) Fill(gen uint64, docs map[string]Document, found map[string]*RankDoc) {
	for id, d := range docs {
		found[id] = NewRankDoc(d)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	for id := range docs {
		c.lru.Add(id, found[id])
	}
}

// Indexed replaces the RankDocs of docs, just indexed: the engine has
// their text in hand then, so a query reads none of them from the store.
func (c *RankDocCache) Indexed(docs []Document) {
	rds := make([]*RankDoc, len(docs))
	for i, d := range docs {
		rds[i] = NewRankDoc(d)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for i, d := range docs {
		c.lru.Add(d.ID, rds[i])
	}
}

// Forget drops ids, for an engine that deleted them.
func (c *RankDocCache) Forget(ids ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, id := range ids {
		c.lru.Remove(id)
	}
}

// Purge drops everything, for an engine whose index was reset.
func (c *RankDocCache) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.lru.Purge()
}
