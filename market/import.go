package market

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"techbridge/market/msgs"
	"unicode/utf8"
)

// Import formats.
const (
	ImportJSONL = "jsonl"
	ImportCSV   = "csv"
)

// ImportRecord is one line of an outcome import, in JSONL or CSV. Unknown
// JSON fields (such as the evaluation sets' label) are ignored. Missing
// optional fields get the defaults of OutcomeInput.Normalize: field from
// the IPC codes (else "other"), TRL not stated, IP type other, public,
// CNY, negotiable price, fresh for a year.
type ImportRecord struct {
	ExternalID      string   `json:"external_id"`
	Title           string   `json:"title"`
	Summary         string   `json:"summary"`
	Description     string   `json:"description"`
	Keywords        []string `json:"keywords"`
	Field           string   `json:"field"`
	IPC             []string `json:"ipc"`
	TRL             *int     `json:"trl"`
	IPType          string   `json:"ip_type"`
	PatentNumbers   []string `json:"patent_numbers"`
	LegalStatus     string   `json:"legal_status"`
	TransferModes   []string `json:"transfer_modes"`
	PriceMin        int64    `json:"price_min"`
	PriceMax        int64    `json:"price_max"`
	Currency        string   `json:"currency"`
	Confidentiality string   `json:"confidentiality"`
}

// Input converts the record to what CreateOutcome takes.
func (r ImportRecord) Input() OutcomeInput {
	return OutcomeInput{ExternalID: r.ExternalID, Title: r.Title, Summary: r.Summary, Description: r.Description,
		Keywords: r.Keywords, Field: r.Field, IPC: r.IPC, TRL: r.TRL, IPType: r.IPType, PatentNumbers: r.PatentNumbers,
		LegalStatus: r.LegalStatus, TransferModes: r.TransferModes, Confidentiality: r.Confidentiality,
		Price: Money{Min: r.PriceMin, Max: r.PriceMax, Currency: r.Currency}}
}

// ImportLine is one parsed line: a record, or why it could not be read.
type ImportLine struct {
	Line   int
	Record ImportRecord
	Err    error // EINVALID naming the field, for a line that cannot be parsed
}

// MaxImportLine is the longest line (in bytes) an import reads.
const MaxImportLine = 1 << 20

// ReadImport parses r in format (ImportJSONL or ImportCSV) and calls fn for
// every non-blank line, in order. A bad line is passed with its error and
// reading goes on; only a failure to read r at all, or fn's error, stops it.
// CSV files start with a header naming the columns (the JSON names); list
// columns separate items with ";" or "|".
func ReadImport(r io.Reader, format string, fn func(ImportLine) error) error {
	// Text no database can store (NUL; invalid UTF-8, which SQLite kept
	// and PostgreSQL refused, failing the whole import) is refused line by
	// line, the same on both engines.
	checked := func(l ImportLine) error {
		if l.Err == nil {
			l.Err = l.Record.checkText()
		}
		return fn(l)
	}
	switch format {
	case ImportJSONL:
		return readJSONL(r, checked)
	case ImportCSV:
		return readCSV(r, checked)
	}
	return Invalid("format", msgs.JsonlOrCsv)
}

// checkText refuses a record whose text holds a NUL or invalid UTF-8,
// naming the field.
func (r ImportRecord) checkText() error {
	var f Fields
	check := func(field string, vs ...string) {
		for _, v := range vs {
			if strings.ContainsRune(v, 0) {
				f.Add(field, msgs.ContainsNULCharacter)
				return
			}
			if !utf8.ValidString(v) {
				f.Add(field, msgs.NotValidUTF8)
				return
			}
		}
	}
	check("external_id", r.ExternalID)
	check("title", r.Title)
	check("summary", r.Summary)
	check("description", r.Description)
	check("keywords", r.Keywords...)
	check("field", r.Field)
	check("ipc", r.IPC...)
	check("ip_type", r.IPType)
	check("patent_numbers", r.PatentNumbers...)
	check("legal_status", r.LegalStatus)
	check("transfer_modes", r.TransferModes...)
	check("currency", r.Currency)
	check("confidentiality", r.Confidentiality)
	return f.Err()
}

func readJSONL(r io.Reader, fn func(ImportLine) error) error {
	br := bufio.NewReaderSize(r, 64*1024)
	n := 0
	for {
		raw, tooLong, err := readLine(br, MaxImportLine)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if len(raw) == 0 && !tooLong && errors.Is(err, io.EOF) {
			return nil
		}
		n++
		raw = bytes.TrimSpace(raw)
		l := ImportLine{Line: n}
		switch {
		case tooLong:
			// Refuse this line and read on: the lines after it are as
			// good as they were before.
			l.Err = Invalid("line", msgs.LongerThanNBytes, MaxImportLine)
		case len(raw) == 0:
			continue
		case !utf8.Valid(raw):
			// Refused on both engines alike (json.Unmarshal would turn
			// the bytes into U+FFFD silently).
			l.Err = Invalid("line", msgs.NotValidUTF82)
		default:
			if err := json.Unmarshal(raw, &l.Record); err != nil {
				l.Err = jsonLineError(err)
			}
		}
		if err := fn(l); err != nil {
			return err
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

// readLine reads one line (without its newline) of at most max bytes; a
// longer line is consumed to its end and reported tooLong, without its
// bytes, so one bad line costs no more memory than max.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > max+1 { // +1: the newline
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(line, []byte("\n")), tooLong, err
	}
}

// jsonLineError names the field of a JSON decoding error.
func jsonLineError(err error) error {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field != "" {
		return Invalid(typ.Field, msgs.MustBeX, importTypeName(typ.Type.Kind().String()))
	}
	return Invalid("line", msgs.NotJSONObjectX, err)
}

func importTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "slice":
		return "an array of strings"
	case "int", "int64", "ptr":
		return "an integer"
	}
	return "of type " + kind
}

// csvColumns are the columns an import CSV may have; others are ignored.
var csvColumns = map[string]func(r *ImportRecord, v string) error{
	"external_id":     func(r *ImportRecord, v string) error { r.ExternalID = v; return nil },
	"title":           func(r *ImportRecord, v string) error { r.Title = v; return nil },
	"summary":         func(r *ImportRecord, v string) error { r.Summary = v; return nil },
	"description":     func(r *ImportRecord, v string) error { r.Description = v; return nil },
	"keywords":        func(r *ImportRecord, v string) error { r.Keywords = splitList(v); return nil },
	"field":           func(r *ImportRecord, v string) error { r.Field = v; return nil },
	"ipc":             func(r *ImportRecord, v string) error { r.IPC = splitList(v); return nil },
	"ip_type":         func(r *ImportRecord, v string) error { r.IPType = v; return nil },
	"patent_numbers":  func(r *ImportRecord, v string) error { r.PatentNumbers = splitList(v); return nil },
	"legal_status":    func(r *ImportRecord, v string) error { r.LegalStatus = v; return nil },
	"transfer_modes":  func(r *ImportRecord, v string) error { r.TransferModes = splitList(v); return nil },
	"currency":        func(r *ImportRecord, v string) error { r.Currency = v; return nil },
	"confidentiality": func(r *ImportRecord, v string) error { r.Confidentiality = v; return nil },
	"trl": func(r *ImportRecord, v string) error {
		if v == "" {
			return nil
		}
		n, err := strconv.Atoi(v)
		r.TRL = &n
		return err
	},
	"price_min": func(r *ImportRecord, v string) (err error) { r.PriceMin, err = parseAmount(v); return err },
	"price_max": func(r *ImportRecord, v string) (err error) { r.PriceMax, err = parseAmount(v); return err },
}

func parseAmount(v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	return strconv.ParseInt(v, 10, 64)
}

// splitList splits a CSV list cell on ";", "；" or "|".
func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '；' || r == '|' })
}

func readCSV(r io.Reader, fn func(ImportLine) error) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return Invalid("body", msgs.CSVImportStartsWithHeaderRow, err)
	}
	cols := make([]string, len(header))
	var f Fields
	hasTitle := false
	for i, h := range header {
		cols[i] = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		hasTitle = hasTitle || cols[i] == "title"
	}
	if !hasTitle {
		f.Add("header", msgs.NeedsTitleColumn)
		return f.Err()
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		line, _ := cr.FieldPos(0)
		l := ImportLine{Line: line}
		var parseErr *csv.ParseError
		switch {
		case errors.As(err, &parseErr):
			l.Line = parseErr.Line
			l.Err = Invalid("line", msgs.MalformedCSVX, parseErr.Err)
		case err != nil:
			return err
		default:
			for i, v := range rec {
				set, ok := csvColumns[cols[i]]
				if !ok {
					continue
				}
				if err := set(&l.Record, strings.TrimSpace(v)); err != nil {
					l.Err = Invalid(cols[i], msgs.Integer)
					break
				}
			}
		}
		if err := fn(l); err != nil {
			return err
		}
	}
}

// ImportOptions tune an import.
type ImportOptions struct {
	// Publish puts created and updated outcomes straight into published;
	// reviewers and admins only (the admin CLI's --publish).
	Publish bool
	// BatchSize is how many records share one transaction; default 500.
	BatchSize int
	// AllOrNothing imports the whole file in one transaction, or, when any
	// line fails, nothing: the error then names every failed line's fields.
	AllOrNothing bool
}

// ImportError reports one line that was not imported.
type ImportError struct {
	Line       int          `json:"line"`
	ExternalID string       `json:"external_id,omitempty"`
	Message    string       `json:"message"` // English
	Code       msgs.Code    `json:"code,omitempty"`
	Args       []any        `json:"-"`
	Fields     []FieldError `json:"errors,omitempty"`
}

// Localize renders the line's message in lang.
func (e ImportError) Localize(lang string) string {
	if e.Code == "" {
		return e.Message
	}
	return msgs.Render(lang, e.Code, e.Args...)
}

// ImportReport counts what an import did. Unchanged records were already
// stored exactly so, which makes a re-import of the same file a no-op.
type ImportReport struct {
	Created   int           `json:"created"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	Failed    int           `json:"failed"`
	Errors    []ImportError `json:"errors"`
}

// MaxImportErrors caps the line errors a report lists; Failed still counts all.
const MaxImportErrors = 1000

func (r *ImportReport) fail(line int, ext string, err error) {
	r.Failed++
	if len(r.Errors) >= MaxImportErrors {
		return
	}
	ie := ImportError{Line: line, ExternalID: ext, Message: ErrorMessage(err)}
	var me *Error
	if errors.As(err, &me) || errors.As(MoneyError(err), &me) {
		ie.Fields = me.Fields
		if me.Code != EINTERNAL {
			ie.Code, ie.Args = me.Msg, me.Args
		}
	}
	r.Errors = append(r.Errors, ie)
}

// String is the one-line summary the CLI prints.
func (r ImportReport) String() string {
	return fmt.Sprintf("created %d, updated %d, unchanged %d, failed %d", r.Created, r.Updated, r.Unchanged, r.Failed)
}
