package market

import "time"

// LeaseTx grants named, time-limited leases, so that of several instances
// exactly one runs a singleton job (the search indexer) at a time. A lease
// is held by one holder until it expires; the holder renews it well before
// then, and another holder can take it only once it has expired, so a
// crashed instance is replaced after at most one lease period.
type LeaseTx interface {
	// TakeLease gives the named lease to holder until now+ttl when it is
	// free, expired at now, or already held by holder (a renewal); it
	// reports whether holder holds the lease afterwards. Times come from
	// the caller's clock, so instances' clocks must agree within a small
	// fraction of ttl.
	TakeLease(name, holder string, now time.Time, ttl time.Duration) (bool, error)
	// ReleaseLease ends holder's lease early; a lease held by someone else
	// is left alone.
	ReleaseLease(name, holder string) error
}
