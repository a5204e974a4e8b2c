package bleve

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"techbridge/search"
)

// Upsert indexes documents in one batch. A document older (lower Version)
// than the one indexed is skipped; within one call the highest version of an
// id wins.
func (e *Engine) Upsert(ctx context.Context, docs ...search.Document) error {
	if len(docs) == 0 {
		return nil
	}
	latest := make(map[string]int, len(docs))
	var order []search.Document
	for _, d := range docs {
		if d.ID == "" {
			return fmt.Errorf("bleve upsert: document without id")
		}
		if i, ok := latest[d.ID]; ok {
			if d.Version >= order[i].Version {
				order[i] = d
			}
			continue
		}
		latest[d.ID] = len(order)
		order = append(order, d)
	}

	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	e.mu.RLock()
	defer e.mu.RUnlock()
	indexed, err := e.versions(ctx, order)
	if err != nil {
		return err
	}
	b := e.idx.NewBatch()
	written := order[:0]
	for _, d := range order {
		if v, ok := indexed[d.ID]; ok && d.Version < v {
			continue
		}
		if err := b.Index(d.ID, toRow(d, e.opt)); err != nil {
			return fmt.Errorf("bleve upsert %s: %w", d.ID, err)
		}
		written = append(written, d)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := e.idx.Batch(b); err != nil {
		return err
	}
	e.ranked.Indexed(written)
	e.latent.Changed()
	e.remember(written, nil)
	return nil
}

// versions returns the indexed version of each document that is already in
// the index, in one search rather than one lookup per document.
func (e *Engine) versions(ctx context.Context, docs []search.Document) (map[string]int64, error) {
	n, err := e.idx.DocCount()
	if err != nil || n == 0 {
		return nil, err
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{fieldVersion}
	req.Score = "none"
	res, err := e.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bleve versions: %w", err)
	}
	out := make(map[string]int64, len(res.Hits))
	for _, h := range res.Hits {
		if v, ok := h.Fields[fieldVersion].(float64); ok {
			out[h.ID] = int64(v)
		}
	}
	return out, nil
}

// toRow maps a document to the indexed fields. Empty values are left out so
// that they neither match filters nor show up in facets.
func toRow(d search.Document, opt analysisOptions) map[string]any {
	row := map[string]any{
		fieldVersion: float64(d.Version),
		fieldBody:    body(d, opt.TitleRepeat),
	}
	if opt.CharWeight > 0 {
		if c := hanChars(row[fieldBody].(string)); c != "" {
			row[fieldChars] = c
		}
	}
	put := func(k, v string) {
		if v != "" {
			row[k] = v
		}
	}
	put("kind", d.Kind)
	put("org_id", d.OrgID)
	put("org_kind", d.OrgKind)
	put("field", d.Field)
	put("region", d.Region)
	suggest := make([]string, 0, 1+len(d.Keywords))
	for _, s := range append([]string{d.Title}, d.Keywords...) {
		if s = suggestKey(s); s != "" && !slices.Contains(suggest, s) {
			suggest = append(suggest, s)
		}
	}
	row[fieldSuggest] = suggest
	if len(d.IPC) > 0 {
		codes := make([]string, 0, len(d.IPC))
		classes := make([]string, 0, len(d.IPC))
		for _, c := range d.IPC {
			c = search.NormalizeIPC(c)
			if c == "" {
				continue
			}
			codes = append(codes, c)
			classes = append(classes, search.IPCClass(c))
		}
		row[fieldIPC] = codes
		row[fieldIPCCls] = classes
	}
	if len(d.Langs) > 0 {
		row[fieldLang] = d.Langs
	}
	if len(d.TransferModes) > 0 {
		row["transfer_modes"] = d.TransferModes
	}
	if d.TRL > 0 {
		row[fieldTRLKey] = strconv.Itoa(d.TRL)
	}
	if lo, hi, ok := priceRange(d); ok {
		row[fieldMinKey] = priceKey(lo)
		row[fieldMaxKey] = priceKey(hi)
	}
	if !d.PublishedAt.IsZero() {
		row[fieldPubKey] = pubKey(d.PublishedAt)
	}
	return row
}

// pubKey writes a publication time so that its keywords sort as the times
// do: Unix milliseconds, zero-padded to a fixed width (times before 1970
// sort as 1970).
func pubKey(t time.Time) string {
	return fmt.Sprintf("%015d", max(0, t.UnixMilli()))
}

// priceKey writes a non-negative price so that keywords sort and range as
// the amounts do.
func priceKey(v int64) string {
	return fmt.Sprintf("%019d", v)
}

// suggestKey is the indexed start of a title or keyword: suggestRunes runes
// are enough to narrow a type-ahead prefix, and the stored text decides the
// rest, so the suggest dictionary does not hold every whole title.
func suggestKey(s string) string {
	s = strings.TrimSpace(s)
	if n := 0; len(s) > suggestRunes {
		for i := range s {
			if n == suggestRunes {
				return s[:i]
			}
			n++
		}
	}
	return s
}

// priceRange returns the document's price range; a single bound stands for
// both ends, and a document with no price has none.
func priceRange(d search.Document) (lo, hi int64, ok bool) {
	lo, hi = d.PriceMin, d.PriceMax
	switch {
	case lo <= 0 && hi <= 0:
		return 0, 0, false
	case hi <= 0:
		hi = lo
	case lo <= 0:
		lo = 0
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	return lo, hi, true
}

// body is all text of a document as one field, with the title and keywords
// counted repeat times.
func body(d search.Document, repeat int) string {
	parts := make([]string, 0, 2*max(1, repeat)+2)
	for range max(1, repeat) {
		parts = append(parts, d.Title, strings.Join(d.Keywords, " "))
	}
	if d.TitleAlt != "" {
		for range max(1, repeat) {
			parts = append(parts, d.TitleAlt)
		}
	}
	parts = append(parts, d.Summary, d.SummaryAlt, d.Description)
	return strings.Join(parts, "\n")
}

// hanChars returns the Han characters of text, each once per occurrence,
// space-separated: the text of fieldChars.
func hanChars(text string) string {
	var b strings.Builder
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}
