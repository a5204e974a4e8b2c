package market

// Page sizes for every list: a missing size gets the default, a large one
// is clamped rather than refused.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// ClampLimit returns a page size within [1, MaxPageSize].
func ClampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultPageSize
	case n > MaxPageSize:
		return MaxPageSize
	}
	return n
}
