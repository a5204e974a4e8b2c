package ledger

import "techbridge/market/msgs"
import "math/bits"

// Money is an amount in minor units of one currency.
type Money struct {
	Amount   int64
	Currency string
}

// Add returns a+b, refusing mixed currencies, an overflow and a result
// beyond ±MaxBalance.
func (m Money) Add(o Money) (Money, error) {
	if m.Currency != o.Currency {
		return Money{}, refuse(ErrInvalid, "currency", msgs.CannotAddXToX, o.Currency, m.Currency)
	}
	s, err := Add(m.Amount, o.Amount)
	return Money{s, m.Currency}, err
}

// Add returns a+b, or ErrOverflow when the sum leaves int64 and
// ErrOutOfBounds when it leaves ±MaxBalance.
func Add(a, b int64) (int64, error) {
	r := a + b // Go integers wrap, they do not trap
	// Overflow iff a and b share a sign that the result does not.
	if (a >= 0) == (b >= 0) && (r >= 0) != (a >= 0) {
		return 0, refuse(ErrOverflow, "", msgs.AddOverflows, a, b)
	}
	if r > MaxBalance || r < -MaxBalance {
		return 0, refuse(ErrOutOfBounds, "", msgs.SumBeyondBounds, a, b, r, MaxBalance)
	}
	return r, nil
}

// Sub returns a−b with Add's checks.
func Sub(a, b int64) (int64, error) {
	if b == -1<<63 {
		return 0, refuse(ErrOverflow, "", msgs.AddOverflows2, a, b)
	}
	return Add(a, -b)
}

// Sum adds amounts with Add's checks.
func Sum(amounts ...int64) (int64, error) {
	var s int64
	for _, a := range amounts {
		var err error
		if s, err = Add(s, a); err != nil {
			return 0, err
		}
	}
	return s, nil
}

// MulDiv returns floor(a×b/c) for a, b ≥ 0 and c > 0, exactly, through a
// 128-bit product: amount × basis points overflows int64 long before the
// quotient does. Negative inputs, a zero divisor or a quotient beyond int64
// are ErrInvalid or ErrOverflow.
func MulDiv(a, b, c int64) (int64, error) {
	if a < 0 || b < 0 || c <= 0 {
		return 0, refuse(ErrInvalid, "", msgs.MulDivArgs, a, b, c)
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		return 0, refuse(ErrOverflow, "", msgs.MulDivOverflows, a, b, c)
	}
	q, _ := bits.Div64(hi, lo, uint64(c))
	if q > 1<<63-1 {
		return 0, refuse(ErrOverflow, "", msgs.MulDivOverflows, a, b, c)
	}
	return int64(q), nil
}
