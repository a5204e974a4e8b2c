package market

import (
	"time"

	"github.com/google/uuid"
)

// NewID returns a fresh UUIDv7 as text: time-ordered, so ids sort by creation.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// Clock returns the current time; services take one so tests can fix time.
type Clock func() time.Time

// SystemClock is the wall clock in UTC.
func SystemClock() time.Time { return time.Now().UTC() }
