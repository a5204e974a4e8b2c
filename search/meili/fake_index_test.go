package meili

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// fakeIndex is one index: its settings and documents, in insertion order.
type fakeIndex struct {
	uid, primaryKey      string
	createdAt, updatedAt time.Time
	docs                 map[string]map[string]any
	order                []string

	searchable, filterable, sortable []string // searchable nil means every attribute
	rankingRules                     []string
	maxTotalHits, maxValuesPerFacet  int
	sortFacetValuesBy                map[string]string
}

func newFakeIndex(uid, pk string) *fakeIndex {
	now := time.Now()
	return &fakeIndex{
		uid: uid, primaryKey: pk, createdAt: now, updatedAt: now, docs: map[string]map[string]any{},
		rankingRules: []string{"words", "typo", "proximity", "attribute", "sort", "exactness"},
		maxTotalHits: 1000, maxValuesPerFacet: 100, sortFacetValuesBy: map[string]string{"*": "alpha"},
	}
}

// ensure returns the index, creating it as document and settings tasks do.
func (f *fakeMeili) ensure(uid string) *fakeIndex {
	if f.indexes[uid] == nil {
		f.indexes[uid] = newFakeIndex(uid, "")
	}
	return f.indexes[uid]
}

var settingNames = []string{
	"displayedAttributes", "searchableAttributes", "filterableAttributes", "sortableAttributes",
	"rankingRules", "stopWords", "nonSeparatorTokens", "separatorTokens", "dictionary", "synonyms",
	"distinctAttribute", "proximityPrecision", "typoTolerance", "faceting", "pagination", "embedders",
	"searchCutoffMs", "localizedAttributes", "facetSearch", "prefixSearch", "chat", "foreignKeys",
}

var rankingRule = regexp.MustCompile(`^(words|typo|proximity|attribute|sort|exactness|[^:]+:(asc|desc))$`)

func settingCode(name string) string {
	snake := regexp.MustCompile(`[A-Z]`).ReplaceAllStringFunc(name, func(s string) string { return "_" + strings.ToLower(s) })
	return "invalid_settings_" + snake
}

func (f *fakeMeili) updateSettings(w http.ResponseWriter, r *http.Request) {
	uid := r.PathValue("uid")
	body, _ := io.ReadAll(r.Body)
	if !checkUID(w, uid) {
		return
	}
	m, ok := object(w, body, settingNames...)
	if !ok {
		return
	}
	var searchable, filterable, sortable, rules []string
	var faceting, pagination map[string]json.RawMessage
	for name, dst := range map[string]any{
		"searchableAttributes": &searchable, "filterableAttributes": &filterable, "sortableAttributes": &sortable,
		"rankingRules": &rules, "faceting": &faceting, "pagination": &pagination,
	} {
		if !field(w, m, name, dst, settingCode(name)) {
			return
		}
	}
	for _, rule := range rules {
		if !rankingRule.MatchString(rule) {
			writeError(w, http.StatusBadRequest, "invalid_settings_ranking_rules", "Invalid value at `.rankingRules`: `%s` ranking rule is invalid.", rule)
			return
		}
	}
	var maxValues, maxHits *int
	var sortBy map[string]string
	if faceting != nil {
		raw, _ := json.Marshal(faceting)
		fm, ok := object(w, raw, "maxValuesPerFacet", "sortFacetValuesBy")
		if !ok || !field(w, fm, "maxValuesPerFacet", &maxValues, "invalid_settings_faceting") || !field(w, fm, "sortFacetValuesBy", &sortBy, "invalid_settings_faceting") {
			return
		}
		for _, v := range sortBy {
			if v != "alpha" && v != "count" {
				writeError(w, http.StatusBadRequest, "invalid_settings_faceting", "Unknown value `%s` at `.faceting.sortFacetValuesBy`: expected one of `alpha`, `count`", v)
				return
			}
		}
	}
	if pagination != nil {
		raw, _ := json.Marshal(pagination)
		pm, ok := object(w, raw, "maxTotalHits")
		if !ok || !field(w, pm, "maxTotalHits", &maxHits, "invalid_settings_pagination") {
			return
		}
	}
	details := map[string]any{}
	_ = json.Unmarshal(body, &details)
	f.enqueue(w, uid, "settingsUpdate", details, func() *apiError {
		ix := f.ensure(uid)
		set := func(name string, dst *[]string, v []string) {
			if _, ok := m[name]; ok {
				*dst = v
			}
		}
		set("searchableAttributes", &ix.searchable, searchable)
		set("filterableAttributes", &ix.filterable, filterable)
		set("sortableAttributes", &ix.sortable, sortable)
		if rules != nil {
			ix.rankingRules = rules
		}
		if maxValues != nil {
			ix.maxValuesPerFacet = *maxValues
		}
		if sortBy != nil {
			ix.sortFacetValuesBy = sortBy
		}
		if maxHits != nil {
			ix.maxTotalHits = *maxHits
		}
		ix.updatedAt = time.Now()
		return nil
	})
}

var validDocID = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,511}$`)

// docID returns the primary key of a document as text.
func docID(d map[string]any, pk string) (string, *apiError) {
	v, ok := d[pk]
	if !ok {
		return "", newAPIError("missing_document_id", "Document doesn't have a `%s` attribute: `%s`.", pk, mustJSON(d))
	}
	var id string
	switch x := v.(type) {
	case string:
		id = x
	case float64:
		if x == float64(int64(x)) && x >= 0 {
			id = fmt.Sprint(int64(x))
		}
	}
	if !validDocID.MatchString(id) {
		return "", newAPIError("invalid_document_id", "Document identifier `%s` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.", mustJSON(v))
	}
	return id, nil
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func (f *fakeMeili) addDocuments(w http.ResponseWriter, r *http.Request) {
	uid := r.PathValue("uid")
	if !checkUID(w, uid) {
		return
	}
	params := r.URL.Query()
	for k := range params {
		if !slices.Contains([]string{"primaryKey", "csvDelimiter", "customMetadata", "skipCreation"}, k) {
			writeError(w, http.StatusBadRequest, "bad_request", "Unknown parameter `%s`: expected one of `primaryKey`, `csvDelimiter`, `customMetadata`, `skipCreation`", k)
			return
		}
	}
	body, _ := io.ReadAll(r.Body)
	var docs []map[string]any
	if err := json.Unmarshal(body, &docs); err != nil {
		var one map[string]any
		if json.Unmarshal(body, &one) != nil {
			writeError(w, http.StatusBadRequest, "malformed_payload", "The `json` payload provided is malformed. `Couldn't serialize document value: %v`.", err)
			return
		}
		docs = []map[string]any{one}
	}
	pk, merge := params.Get("primaryKey"), r.Method == http.MethodPut
	details := map[string]any{"receivedDocuments": len(docs), "indexedDocuments": nil}
	f.enqueue(w, uid, "documentAdditionOrUpdate", details, func() *apiError {
		ix := f.indexes[uid]
		switch {
		case ix == nil:
			ix = newFakeIndex(uid, pk)
		case pk != "" && ix.primaryKey != "" && pk != ix.primaryKey:
			return newAPIError("index_primary_key_already_exists", "Index `%s`: Index already has a primary key: `%s`.", uid, ix.primaryKey)
		case ix.primaryKey == "":
			ix.primaryKey = pk
		}
		if ix.primaryKey == "" {
			return newAPIError("index_primary_key_no_candidate_found", "Index `%s`: The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.", uid)
		}
		ids := make([]string, len(docs))
		for i, d := range docs {
			id, err := docID(d, ix.primaryKey)
			if err != nil {
				return err
			}
			ids[i] = id
		}
		f.indexes[uid] = ix
		for i, d := range docs {
			old, ok := ix.docs[ids[i]]
			if !ok {
				ix.order = append(ix.order, ids[i])
			} else if merge {
				for k, v := range d {
					old[k] = v
				}
				d = old
			}
			ix.docs[ids[i]] = d
		}
		ix.updatedAt = time.Now()
		details["indexedDocuments"] = len(docs)
		return nil
	})
}

func (ix *fakeIndex) remove(id string) bool {
	if _, ok := ix.docs[id]; !ok {
		return false
	}
	delete(ix.docs, id)
	ix.order = slices.DeleteFunc(ix.order, func(s string) bool { return s == id })
	return true
}

func (f *fakeMeili) deleteAll(w http.ResponseWriter, r *http.Request) {
	uid := r.PathValue("uid")
	if !checkUID(w, uid) {
		return
	}
	details := map[string]any{"providedIds": 0, "deletedDocuments": nil, "originalFilter": nil}
	f.enqueue(w, uid, "documentDeletion", details, func() *apiError {
		ix := f.indexes[uid]
		if ix == nil {
			return newAPIError("index_not_found", "Index `%s` not found.", uid)
		}
		details["deletedDocuments"] = len(ix.docs)
		ix.docs, ix.order = map[string]map[string]any{}, nil
		return nil
	})
}

func (f *fakeMeili) deleteBatch(w http.ResponseWriter, r *http.Request) {
	uid := r.PathValue("uid")
	if !checkUID(w, uid) {
		return
	}
	body, _ := io.ReadAll(r.Body)
	var raw []any
	if err := json.Unmarshal(body, &raw); err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "Invalid value type: expected a sequence, but found %s", kindOf(body))
		return
	}
	ids := make([]string, len(raw))
	for i, v := range raw {
		id, err := docID(map[string]any{"id": v}, "id")
		if err != nil {
			writeJSON(w, http.StatusBadRequest, err)
			return
		}
		ids[i] = id
	}
	details := map[string]any{"providedIds": len(ids), "deletedDocuments": nil, "originalFilter": nil}
	f.enqueue(w, uid, "documentDeletion", details, func() *apiError {
		ix := f.indexes[uid]
		if ix == nil {
			return newAPIError("index_not_found", "Index `%s` not found.", uid)
		}
		n := 0
		for _, id := range ids {
			if ix.remove(id) {
				n++
			}
		}
		details["deletedDocuments"] = n
		return nil
	})
}

func (f *fakeMeili) fetchDocuments(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	m, ok := object(w, body, "offset", "limit", "fields", "filter", "retrieveVectors", "ids", "sort")
	if !ok {
		return
	}
	offset, limit := 0, 20
	var fields, ids []string
	var filterRaw any
	if !field(w, m, "offset", &offset, "invalid_document_offset") || !field(w, m, "limit", &limit, "invalid_document_limit") ||
		!field(w, m, "fields", &fields, "invalid_document_fields") || !field(w, m, "ids", &ids, "invalid_document_ids") ||
		!field(w, m, "filter", &filterRaw, "invalid_document_filter") {
		return
	}
	if _, ok := m["sort"]; ok {
		writeError(w, http.StatusBadRequest, "invalid_document_sort", "fake meilisearch: sort on documents/fetch is not modelled")
		return
	}
	ix := f.index(w, r.PathValue("uid"))
	if ix == nil {
		return
	}
	match, apiErr := ix.compileFilter(filterRaw, "invalid_document_filter")
	if apiErr != nil {
		writeJSON(w, http.StatusBadRequest, apiErr)
		return
	}
	var all []map[string]any
	for _, id := range ix.order {
		d := ix.docs[id]
		if (ids == nil || slices.Contains(ids, id)) && match(d) {
			all = append(all, project(d, fields))
		}
	}
	page := all[min(offset, len(all)):min(offset+limit, len(all))]
	writeJSON(w, http.StatusOK, map[string]any{"results": nonNil(page), "offset": offset, "limit": limit, "total": len(all)})
}

// project keeps only the named attributes of d (all when names is nil).
func project(d map[string]any, names []string) map[string]any {
	if names == nil || slices.Contains(names, "*") {
		return maps.Clone(d)
	}
	out := map[string]any{}
	for _, n := range names {
		if v, ok := d[n]; ok {
			out[n] = v
		}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
