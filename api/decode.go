package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync"
	"techbridge/market/msgs"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// refuseUnknownParams records in f every query parameter of v that is not
// accepted, in name order, naming those that are: a typo (trl_mn) must not
// silently widen an answer, and on the listing reads a query the API
// ignores must not make a new entry in the shared response cache.
func refuseUnknownParams(f *market.Fields, v url.Values, accepted []string) {
	var unknown []string
	for k := range v {
		if !slices.Contains(accepted, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown) // a map's order would vary from one answer to the next
	for _, k := range unknown {
		if len(accepted) == 0 {
			f.Add(k, msgs.UnknownParameterNone)
		} else {
			f.Add(k, msgs.UnknownParameterAcceptedX, strings.Join(accepted, ", "))
		}
	}
}

// decode reads a JSON body into dst strictly: one object, no unknown
// fields, no trailing data, within the body limit. Errors name the field.
func decode(c *gin.Context, dst any) error {
	return decodeJSON(c.Request.Body, dst)
}

func decodeJSON(r io.Reader, dst any) error {
	body, err := io.ReadAll(r)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return market.Errorf(codeTooLarge, msgs.BodyTooLarge, tooLarge.Limit)
	} else if err != nil {
		return market.Invalid("body", msgs.CouldNotReadRequestBody)
	}
	// First pass: the top-level keys, so an unknown field is named exactly.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return syntaxProblem(err)
	}
	if top == nil {
		return market.Invalid("body", msgs.JSONObject)
	}
	allowed := jsonFields(reflect.TypeOf(dst).Elem())
	var f market.Fields
	for k := range top {
		if !allowed[k] {
			f.Add(k, msgs.UnknownField)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return syntaxProblem(err)
	}
	return nil
}

func syntaxProblem(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return market.Invalid("body", msgs.MalformedJSONAtByteN, syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return market.Invalid(field, msgs.MustBeX, jsonTypeName(typ.Type))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return market.Invalid("body", msgs.MalformedOrEmptyJSON)
	}
	return market.Invalid("body", msgs.InvalidJSONX, err)
}

func jsonTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "of type " + t.String()
}

var fieldCache sync.Map // reflect.Type -> map[string]bool

// jsonFields returns the JSON names a struct type accepts.
func jsonFields(t reflect.Type) map[string]bool {
	if v, ok := fieldCache.Load(t); ok {
		return v.(map[string]bool)
	}
	names := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			// An embedded struct's fields are the body's own, as encoding/json reads them.
			for n := range jsonFields(sf.Type) {
				names[n] = true
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		names[name] = true
	}
	fieldCache.Store(t, names)
	return names
}

// versionedBody is a write's body that may carry the version it was read at.
type versionedBody interface{ bodyVersion() int64 }

func (r *transitionRequest) bodyVersion() int64 { return r.Version }
func (r *milestoneRequest) bodyVersion() int64  { return r.Version }

// decodeVersioned decodes a write's body into req and reads the version the
// write is based on: If-Match when sent, else the body's (expectedVersion).
func decodeVersioned(c *gin.Context, req versionedBody) (int64, error) {
	if err := decode(c, req); err != nil {
		return 0, err
	}
	return expectedVersion(c, req.bodyVersion())
}
