package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"

	"techbridge/market"
)

// checkThrottle asks the login throttle, when there is one, whether email
// may try to log in from client. Like the API it fails closed: a throttle
// that cannot answer stops the login rather than letting guesses through.
func (s *Server) checkThrottle(ctx context.Context, email, client string) error {
	if s.throttle == nil {
		return nil
	}
	return s.throttle.Check(ctx, email, client)
}

// clientAddress is the address the throttle counts failures by when the
// binary gives no ClientIP rule: the peer's IP. Forwarded headers are not
// believed here, since anyone can send them.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// retryAfter is the wait an ETOOMANY error names, in seconds; 0 when none.
func retryAfter(err error) int {
	var e *market.Error
	if errors.As(err, &e) {
		return e.RetryAfterSeconds
	}
	return 0
}

// throttledText tells a throttled visitor to wait, with the wait in minutes
// when the throttle named one.
func throttledText(lang string, err error) string {
	if secs := retryAfter(err); secs > 0 {
		return fmt.Sprintf(translate(lang, "login.throttled.minutes"), (secs+59)/60)
	}
	return translate(lang, "login.throttled")
}
