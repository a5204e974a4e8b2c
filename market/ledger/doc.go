// Package ledger is the platform's money: currencies and their minor units,
// bounded amounts with checked arithmetic, the intermediary fee terms and the
// fee split. It is a leaf: it imports nothing of the project, so the domain
// (market), the store and the pages all compute money the same way.
//
// Invariants (stated here, tested in this package):
//
//   - every amount is an integer number of the currency's minor units within
//     [0, MaxAmount] (10^15), and every balance and entry within ±MaxBalance
//     (10^17), so no sum of a few of them comes near the int64 range;
//   - every sum, difference and product is checked: an overflow or an
//     amount out of bounds is an *Error whose Kind is a named sentinel
//     (ErrOverflow, ErrOutOfBounds …), never a wrapped or float value;
//   - a fee split adds up to the gross exactly and no share is negative.
package ledger
