package sqlstore

import (
	"fmt"
	"strings"
	"time"
)

// SQLite keeps times as text. modernc's driver turns a TIMESTAMP column into
// a time.Time by trying time.Parse layouts in turn, the first of which
// (t.String()'s) never fits what _time_format=sqlite writes: two parses per
// column, a sixth of a detail read's CPU (BenchmarkOutcomeByID). The detail
// read selects its time columns as expressions (liteTime), which carry no
// declared type, so the driver hands over the text and parseLiteTime reads
// the one layout written in one pass.

// liteTimeLayout is what _time_format=sqlite writes (db.go).
const liteTimeLayout = "2006-01-02 15:04:05.999999999-07:00"

// liteTime selects column name as its text on SQLite: unary plus is a no-op
// there that leaves an expression without a declared type.
func liteTime(name string) string { return "+" + name }

// parseLiteTime reads a TIMESTAMP column's text as the driver would, in UTC.
func parseLiteTime(s string) (time.Time, error) {
	if t, ok := parseLiteTimeFast(s); ok {
		return t, nil
	}
	return parseLiteTimeDriver(s)
}

// parseLiteTimeFast reads liteTimeLayout ("2026-01-02 15:04:05.5+08:00",
// fraction optional) and reports false for anything else.
func parseLiteTimeFast(s string) (time.Time, bool) {
	if len(s) < len("2006-01-02 15:04:05+00:00") || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	day, ok3 := digits(s[8:10])
	hour, ok4 := digits(s[11:13])
	minute, ok5 := digits(s[14:16])
	sec, ok6 := digits(s[17:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || month < 1 || month > 12 || day < 1 ||
		day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	rest, nsec := s[19:], 0
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 {
			return time.Time{}, false
		}
		frac, _ := digits(rest[1:n])
		for range 10 - n {
			frac *= 10
		}
		rest, nsec = rest[n:], frac
	}
	if len(rest) != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':' {
		return time.Time{}, false
	}
	oh, ok1 := digits(rest[1:3])
	om, ok2 := digits(rest[4:6])
	if !ok1 || !ok2 || oh > 23 || om > 59 {
		return time.Time{}, false
	}
	offset := time.Duration(oh)*time.Hour + time.Duration(om)*time.Minute
	if rest[0] == '-' {
		offset = -offset
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC).Add(-offset), true
}

// digits reads a run of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// liteTimeLayouts are the layouts modernc's driver tries after t.String()'s
// (its parseTimeFormats), for text written some other way.
var liteTimeLayouts = []string{
	liteTimeLayout,
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseLiteTimeDriver parses s as modernc's driver does (conn.parseTime,
// without a _loc), in UTC.
func parseLiteTimeDriver(s string) (time.Time, error) {
	v := s
	if i := strings.Index(v, "m="); i > 0 {
		v = v[:i]
	}
	if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", strings.TrimSpace(v)); err == nil {
		return t.UTC(), nil
	}
	v = strings.TrimSuffix(s, "Z")
	for _, layout := range liteTimeLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("sqlstore: time %q in no known layout", s)
}
