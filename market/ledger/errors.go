package ledger

import (
	"errors"

	"techbridge/market/msgs"
)

// Named refusals. Every error this package returns is an *Error whose Kind
// is one of these, so callers test them with errors.Is and map them to their
// own codes (market maps ErrBelowZero to a conflict, the rest to invalid input).
var (
	ErrCurrency    = errors.New("currency not handled by the platform")
	ErrOutOfBounds = errors.New("amount out of bounds")
	ErrOverflow    = errors.New("arithmetic overflow")
	ErrInvalid     = errors.New("invalid money input")
	ErrUnpayable   = errors.New("fees exceed the price")
	ErrBelowZero   = errors.New("guarded account would go below zero")
)

// Error is one named refusal about one input.
type Error struct {
	Kind    error  // one of the Err* sentinels
	Field   string // the input it concerns, e.g. "price", "milestones[0].amount", "fee_fixed"
	Message string // English, for logs and API details
	Code    msgs.Code
	Args    []any // Code's arguments; amounts are Money, shown in the reader's format
}

func (e *Error) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// Unwrap makes errors.Is(err, ErrOverflow) work.
func (e *Error) Unwrap() error { return e.Kind }

func refuse(kind error, field string, code msgs.Code, args ...any) *Error {
	return &Error{Kind: kind, Field: field, Code: code, Args: args, Message: msgs.English(code, args...)}
}

// Errors returns every *Error in err (joined errors included), in order.
func Errors(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		if e, ok := err.(*Error); ok {
			out = append(out, e)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		walk(errors.Unwrap(err))
	}
	walk(err)
	return out
}
