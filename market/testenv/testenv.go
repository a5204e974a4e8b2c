// Package testenv decides whether a test that needs an outside service
// runs, skips, or fails: with TECHBRIDGE_TEST_REQUIRE_ALL=1 (CI) a missing
// service is a failure, so nothing is skipped silently.
package testenv

import (
	"os"
	"testing"
)

// RequireAllVar turns every service skip into a failure when set to 1.
const RequireAllVar = "TECHBRIDGE_TEST_REQUIRE_ALL"

// RequireAll reports whether skips are forbidden.
func RequireAll() bool { return os.Getenv(RequireAllVar) == "1" }

// Lookup returns the value of envVar; when it is unset the test skips
// (or fails under RequireAll) naming the service and the variable.
func Lookup(tb testing.TB, envVar, service string) string {
	tb.Helper()
	v := os.Getenv(envVar)
	if v == "" {
		Missing(tb, service+" not configured: set "+envVar)
	}
	return v
}

// Missing skips the test with msg, or fails it under RequireAll.
func Missing(tb testing.TB, msg string) {
	tb.Helper()
	if RequireAll() {
		tb.Fatalf("%s (required: %s=1)", msg, RequireAllVar)
	}
	tb.Skip(msg)
}
