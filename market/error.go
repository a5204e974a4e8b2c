package market

import (
	"errors"
	"fmt"
	"strings"

	"techbridge/market/msgs"
)

// Error codes. Each maps to one HTTP status in api.problemStatus; nothing else
// inspects error text.
const (
	ECONFLICT       = "conflict"        // the object changed, or already exists
	EINTERNAL       = "internal"        // a failure the caller cannot fix
	EINVALID        = "invalid"         // bad input; Fields names the culprits
	ENOTFOUND       = "not_found"       // no such object, or not visible to the actor
	EUNAUTHORIZED   = "unauthorized"    // no identity, or a bad one
	EFORBIDDEN      = "forbidden"       // known actor, not allowed
	ETOOMANY        = "too_many"        // throttled
	ENOTIMPLEMENTED = "not_implemented" // a capability this set-up lacks
	EUNAVAILABLE    = "unavailable"     // a dependency failed or timed out; retry later
)

// ErrUnavailable marks a failure of a dependency (the database, Redis, a
// provider) that did not answer in time or could not be reached: the
// caller should retry later, and nothing is wrong with its request.
// Adapters wrap the underlying error with it (fmt.Errorf("%w: %w", …)).
var ErrUnavailable = &Error{Code: EUNAVAILABLE, Msg: msgs.Unavailable, Message: msgs.English(msgs.Unavailable),
	RetryAfterSeconds: 5}

// Error is the one error type the domain returns for anything a caller can act on.
type Error struct {
	Code    string
	Message string       // English, rendered from Msg and Args: logs and API details
	Msg     msgs.Code    // what happened, for readers in other languages
	Args    []any        // Msg's arguments (ledger.Money shows in the reader's format)
	Fields  []FieldError // with EINVALID: which inputs were wrong and why
	// RetryAfterSeconds is set with ETOOMANY and EUNAVAILABLE.
	RetryAfterSeconds int
	// Cause is the named refusal behind the error, when there is one (a
	// ledger.ErrOverflow …), so callers can test it with errors.Is.
	Cause error
	// Stale marks an ECONFLICT caused by the caller's version not being the
	// stored one, so HTTP can answer a failed If-Match with 412.
	Stale bool
}

// StaleVersion is the ECONFLICT of an optimistic write whose version is not
// the stored one.
func StaleVersion(msg msgs.Code, args ...any) *Error {
	e := Errorf(ECONFLICT, msg, args...)
	e.Stale = true
	return e
}

// IsStale reports whether err is a StaleVersion conflict.
func IsStale(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Stale
}

// RetryAfter sets RetryAfterSeconds (with ETOOMANY and EUNAVAILABLE).
func (e *Error) RetryAfter(seconds int) *Error {
	e.RetryAfterSeconds = seconds
	return e
}

// Unwrap returns the cause, for errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Cause }

// FieldError names one invalid input.
type FieldError struct {
	Field   string    `json:"field"`
	Code    msgs.Code `json:"code"`
	Message string    `json:"message"` // English
	Args    []any     `json:"-"`
}

// Localize renders the field's message in lang.
func (f FieldError) Localize(lang string) string { return msgs.Render(lang, f.Code, f.Args...) }

func (e *Error) Error() string {
	return fmt.Sprintf("techbridge error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error of the kind code saying msg with args.
func Errorf(code string, msg msgs.Code, args ...any) *Error {
	return &Error{Code: code, Msg: msg, Args: args, Message: msgs.English(msg, args...)}
}

// Localize renders the error's message in lang: its own message, or each
// field's when it names fields.
func (e *Error) Localize(lang string) string {
	if len(e.Fields) == 0 && e.Msg == "" {
		return e.Message
	} else if len(e.Fields) == 0 {
		return msgs.Render(lang, e.Msg, e.Args...)
	}
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Localize(lang)
	}
	sep := "; "
	if lang == msgs.ZH {
		sep = "；"
	}
	return strings.Join(parts, sep)
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error, and "" for nil.
//
// The ledger's named refusals (market/ledger) count as domain errors too,
// through MoneyError: this is the one place codes are decided.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	} else if errors.As(MoneyError(err), &e) {
		return e.Code
	}
	return EINTERNAL
}

// LocalMessage is ErrorMessage in lang: the message of the first *Error
// in err's chain rendered from its code, a generic text for internal errors.
func LocalMessage(lang string, err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) || errors.As(MoneyError(err), &e) {
		return e.Localize(lang)
	}
	return msgs.Render(lang, msgs.Internal)
}

// ErrorMessage returns the message of the first *Error in err's chain; internal
// errors are hidden behind a generic text.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	} else if errors.As(MoneyError(err), &e) {
		return e.Message
	}
	return "internal error"
}

// Fields collects field errors while input is parsed; Err returns nil when
// nothing was added.
type Fields []FieldError

// Add records a problem with one field.
func (f *Fields) Add(field string, msg msgs.Code, args ...any) {
	*f = append(*f, FieldError{Field: field, Code: msg, Args: args, Message: msgs.English(msg, args...)})
}

// AddPrefixed records other's problems under prefix ("buyer." …), codes kept.
func (f *Fields) AddPrefixed(prefix string, other Fields) {
	for _, e := range other {
		e.Field = prefix + e.Field
		*f = append(*f, e)
	}
}

// Has reports whether the field already has a problem.
func (f Fields) Has(field string) bool {
	for _, e := range f {
		if e.Field == field {
			return true
		}
	}
	return false
}

// Err returns an EINVALID error naming every field, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	msg := f[0].Field + ": " + f[0].Message
	if len(f) > 1 {
		msg = fmt.Sprintf("%s (and %d more)", msg, len(f)-1)
	}
	return &Error{Code: EINVALID, Message: msg, Msg: f[0].Code, Args: f[0].Args, Fields: append([]FieldError(nil), f...)}
}

// Refusal is an error of kind code saying msg that names one field, with
// the field's own message.
func Refusal(code string, msg msgs.Code, field string, fieldMsg msgs.Code, args ...any) *Error {
	e := Errorf(code, msg, args...)
	e.Fields = []FieldError{{Field: field, Code: fieldMsg, Args: args, Message: msgs.English(fieldMsg, args...)}}
	return e
}

// Invalid returns an EINVALID error for one field.
func Invalid(field string, msg msgs.Code, args ...any) error {
	var f Fields
	f.Add(field, msg, args...)
	return f.Err()
}
