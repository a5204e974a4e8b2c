package market

import (
	"errors"
	"strings"

	"techbridge/market/ledger"
)

// FeeTerms is the intermediary fee agreed in a deal (see ledger.FeeTerms);
// negotiation and payments share it, so the agreed fee is the booked fee.
type FeeTerms = ledger.FeeTerms

// Fee bases and payers, as in ledger.
const (
	FeeBasisBPS    = ledger.FeeBasisBPS
	FeeBasisFixed  = ledger.FeeBasisFixed
	FeePayerBuyer  = ledger.FeePayerBuyer
	FeePayerSeller = ledger.FeePayerSeller
	FeePayerSplit  = ledger.FeePayerSplit
	// MaxBPS is 100% in basis points.
	MaxBPS = ledger.MaxBPS
)

// MoneyError turns the ledger's named refusals into the domain's error:
// EINVALID naming each field (ECONFLICT when a guarded account would go
// below zero), with the ledger error kept as the Cause so errors.Is still
// finds ledger.ErrOverflow and its kin. Other errors pass unchanged.
func MoneyError(err error) error {
	les := ledger.Errors(err)
	if len(les) == 0 {
		return err
	}
	code := EINVALID
	var f Fields
	texts := make([]string, 0, len(les))
	for _, e := range les {
		if errors.Is(e, ledger.ErrBelowZero) {
			code = ECONFLICT
		}
		field := e.Field
		if field == "" {
			field = "amount"
		}
		f = append(f, FieldError{Field: field, Code: e.Code, Args: e.Args, Message: e.Message})
		texts = append(texts, e.Error())
	}
	out := &Error{Code: code, Message: strings.Join(texts, "; "), Msg: les[0].Code, Args: les[0].Args, Cause: err}
	if code == EINVALID {
		out.Fields = f
	}
	return out
}
