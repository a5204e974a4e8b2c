package meili

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// The fake's filter language: the grammar of Meilisearch's search API
// specification (OR over AND over NOT over conditions and parentheses;
// =, !=, >, >=, <, <=, TO, IN, NOT IN, EXISTS, NOT EXISTS, IS [NOT] NULL,
// IS [NOT] EMPTY), with its semantics: string equality ignores case, numbers
// compare as numbers, arrays match when any element does, and a negation
// selects documents lacking the attribute. Geo filters are not modelled.

type filterNode func(d map[string]any) bool

type filterRef struct {
	attr       string
	start, end int
}

type filterParser struct {
	src  string
	pos  int
	refs []filterRef
}

type filterSyntaxError struct{ msg string }

func (e *filterSyntaxError) Error() string { return e.msg }

// parseFilter parses a filter expression and returns it with the attributes
// it names.
func parseFilter(src string) (node filterNode, refs []filterRef, err error) {
	p := &filterParser{src: src}
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*filterSyntaxError)
			if !ok {
				panic(r)
			}
			node, refs, err = nil, nil, se
		}
	}()
	node = p.or()
	p.ws()
	if p.pos < len(p.src) {
		p.fail("Found unexpected characters at the end of the filter: `%s`. You probably forgot an `OR` or an `AND` rule.", p.src[p.pos:])
	}
	return node, p.refs, nil
}

func (p *filterParser) fail(format string, args ...any) {
	panic(&filterSyntaxError{fmt.Sprintf(format, args...) + fmt.Sprintf("\n%d:%d %s", p.pos+1, len(p.src)+1, p.src)})
}

func (p *filterParser) ws() {
	for p.pos < len(p.src) && strings.ContainsRune(" \t\r\n", rune(p.src[p.pos])) {
		p.pos++
	}
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.'
}

// keyword consumes kw when it stands alone at the cursor.
func (p *filterParser) keyword(kw string) bool {
	p.ws()
	if !strings.HasPrefix(p.src[p.pos:], kw) {
		return false
	}
	rest := p.src[p.pos+len(kw):]
	if rest != "" && isWordRune([]rune(rest)[0]) {
		return false
	}
	p.pos += len(kw)
	return true
}

func (p *filterParser) or() filterNode {
	n := p.and()
	for p.keyword("OR") {
		l, r := n, p.and()
		n = func(d map[string]any) bool { return l(d) || r(d) }
	}
	return n
}

func (p *filterParser) and() filterNode {
	n := p.not()
	for p.keyword("AND") {
		l, r := n, p.not()
		n = func(d map[string]any) bool { return l(d) && r(d) }
	}
	return n
}

func (p *filterParser) not() filterNode {
	if p.keyword("NOT") {
		x := p.not()
		return func(d map[string]any) bool { return !x(d) }
	}
	return p.primary()
}

func (p *filterParser) primary() filterNode {
	p.ws()
	if strings.HasPrefix(p.src[p.pos:], "(") {
		p.pos++
		n := p.or()
		p.ws()
		if !strings.HasPrefix(p.src[p.pos:], ")") {
			p.fail("Expression `%s` is missing the following closing delimiter: `)`.", p.src)
		}
		p.pos++
		return n
	}
	return p.condition()
}

// value reads a word or a quoted string; a backslash escapes the quote and
// itself (Meilisearch 1.4 and later).
func (p *filterParser) value() string {
	p.ws()
	if p.pos >= len(p.src) {
		p.fail("Was expecting a value but instead got nothing.")
	}
	if q := p.src[p.pos]; q == '"' || q == '\'' {
		var b strings.Builder
		for i := p.pos + 1; i < len(p.src); i++ {
			c := p.src[i]
			switch {
			case c == '\\' && i+1 < len(p.src) && (p.src[i+1] == q || p.src[i+1] == '\\'):
				b.WriteByte(p.src[i+1])
				i++
			case c == q:
				p.pos = i + 1
				return b.String()
			default:
				b.WriteByte(c)
			}
		}
		p.fail("Expression `%s` is missing the following closing delimiter: `%c`.", p.src[p.pos:], q)
	}
	start := p.pos
	for _, r := range p.src[p.pos:] {
		if !isWordRune(r) {
			break
		}
		p.pos += len(string(r))
	}
	if p.pos == start {
		p.fail("Was expecting a value but instead got `%s`.", p.src[p.pos:])
	}
	return p.src[start:p.pos]
}

func (p *filterParser) list() []string {
	p.ws()
	if !strings.HasPrefix(p.src[p.pos:], "[") {
		p.fail("Expected `[` after `IN` keyword.")
	}
	p.pos++
	var out []string
	for {
		p.ws()
		if strings.HasPrefix(p.src[p.pos:], "]") {
			p.pos++
			return out
		}
		out = append(out, p.value())
		p.ws()
		if strings.HasPrefix(p.src[p.pos:], ",") {
			p.pos++
		} else if !strings.HasPrefix(p.src[p.pos:], "]") {
			p.fail("Expected only comma-separated field names inside `IN[..]` but instead found `%s`.", p.src[p.pos:])
		}
	}
}

func (p *filterParser) number() float64 {
	v := p.value()
	n, err := strconv.ParseFloat(v, 64)
	if err != nil {
		p.fail("Was expecting a number but found `%s`.", v)
	}
	return n
}

func (p *filterParser) condition() filterNode {
	p.ws()
	start := p.pos
	attr := p.value()
	p.refs = append(p.refs, filterRef{attr: attr, start: start + 1, end: p.pos + 1})
	p.ws()
	rest := p.src[p.pos:]
	for _, op := range []string{"!=", ">=", "<=", "=", ">", "<"} {
		if !strings.HasPrefix(rest, op) {
			continue
		}
		p.pos += len(op)
		if op == "=" || op == "!=" {
			v := p.value()
			eq := func(d map[string]any) bool { return anyValue(d, attr, func(x any) bool { return equal(x, v) }) }
			if op == "!=" {
				return func(d map[string]any) bool { return !eq(d) }
			}
			return eq
		}
		n := p.number()
		return func(d map[string]any) bool {
			return anyValue(d, attr, func(x any) bool {
				f, ok := x.(float64)
				return ok && compare(f, op, n)
			})
		}
	}
	switch {
	case p.keyword("IN"):
		return in(attr, p.list())
	case p.keyword("NOT"):
		if p.keyword("IN") {
			x := in(attr, p.list())
			return func(d map[string]any) bool { return !x(d) }
		}
		if p.keyword("EXISTS") {
			return func(d map[string]any) bool { _, ok := d[attr]; return !ok }
		}
		p.fail("Was expecting `IN` or `EXISTS` after `NOT`.")
	case p.keyword("EXISTS"):
		return func(d map[string]any) bool { _, ok := d[attr]; return ok }
	case p.keyword("IS"):
		neg := p.keyword("NOT")
		var x filterNode
		switch {
		case p.keyword("NULL"):
			x = func(d map[string]any) bool { v, ok := d[attr]; return ok && v == nil }
		case p.keyword("EMPTY"):
			x = func(d map[string]any) bool { v, ok := d[attr]; return ok && isEmpty(v) }
		default:
			p.fail("Was expecting `NULL` or `EMPTY` after `IS`.")
		}
		if neg {
			return func(d map[string]any) bool { return !x(d) }
		}
		return x
	}
	if p.pos < len(p.src) {
		save := p.pos
		lo := p.value()
		if p.keyword("TO") {
			l, err := strconv.ParseFloat(lo, 64)
			if err != nil {
				p.fail("Was expecting a number but found `%s`.", lo)
			}
			h := p.number()
			return func(d map[string]any) bool {
				return anyValue(d, attr, func(x any) bool { f, ok := x.(float64); return ok && f >= l && f <= h })
			}
		}
		p.pos = save
	}
	p.fail("Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `_geoRadius`, or `_geoBoundingBox` at `%s`.", p.src[start:])
	return nil
}

func in(attr string, values []string) filterNode {
	return func(d map[string]any) bool {
		return anyValue(d, attr, func(x any) bool { return slices.ContainsFunc(values, func(v string) bool { return equal(x, v) }) })
	}
}

// anyValue reports whether the attribute, or any element of it, satisfies ok.
func anyValue(d map[string]any, attr string, ok func(any) bool) bool {
	v, present := d[attr]
	if !present {
		return false
	}
	if list, isList := v.([]any); isList {
		return slices.ContainsFunc(list, ok)
	}
	return ok(v)
}

func equal(x any, v string) bool {
	switch x := x.(type) {
	case string:
		return strings.EqualFold(x, v)
	case float64:
		n, err := strconv.ParseFloat(v, 64)
		return err == nil && n == x
	case bool:
		return strconv.FormatBool(x) == strings.ToLower(v)
	}
	return false
}

func compare(x float64, op string, n float64) bool {
	switch op {
	case ">":
		return x > n
	case ">=":
		return x >= n
	case "<":
		return x < n
	default:
		return x <= n
	}
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

// compileFilter turns a request's filter (a string, or an array of strings
// and arrays of strings) into a predicate, checking that every attribute it
// names is filterable.
func (ix *fakeIndex) compileFilter(raw any, code string) (filterNode, *apiError) {
	src, err := filterSource(raw)
	if err != nil {
		return nil, newAPIError(code, "%s", err)
	}
	if strings.TrimSpace(src) == "" {
		return func(map[string]any) bool { return true }, nil
	}
	node, refs, err := parseFilter(src)
	if err != nil {
		return nil, newAPIError(code, "%s", err)
	}
	for _, r := range refs {
		if slices.Contains(ix.filterable, r.attr) {
			continue
		}
		msg := "This index does not have configured filterable attributes."
		if len(ix.filterable) > 0 {
			names := slices.Sorted(slices.Values(ix.filterable))
			msg = "Available filterable attribute patterns are: `" + strings.Join(names, "`, `") + "`."
		}
		return nil, newAPIError(code, "Index `%s`: Attribute `%s` is not filterable. %s\n%d:%d %s", ix.uid, r.attr, msg, r.start, r.end, src)
	}
	return node, nil
}

func filterSource(raw any) (string, error) {
	switch v := raw.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []any:
		var parts []string
		for _, e := range v {
			switch e := e.(type) {
			case string:
				if strings.TrimSpace(e) != "" {
					parts = append(parts, "("+e+")")
				}
			case []any:
				var or []string
				for _, x := range e {
					s, ok := x.(string)
					if !ok {
						return "", fmt.Errorf("Invalid value type at `.filter`: expected a string, but found %v", x)
					}
					or = append(or, "("+s+")")
				}
				if len(or) > 0 {
					parts = append(parts, "("+strings.Join(or, " OR ")+")")
				}
			default:
				return "", fmt.Errorf("Invalid value type at `.filter`: expected a string or an array, but found %v", e)
			}
		}
		return strings.Join(parts, " AND "), nil
	}
	return "", fmt.Errorf("Invalid value type at `.filter`: expected a string or an array, but found %v", raw)
}
