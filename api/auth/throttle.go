package auth

import (
	"context"
	"time"

	"techbridge/api/kv"
	"techbridge/market"
)

// Login throttling: after MaxLoginFailures failed logins for one email
// from one client within LoginWindow, further attempts get 429.
const (
	MaxLoginFailures = 5
	LoginWindow      = 15 * time.Minute
)

// Throttle counts failed logins.
type Throttle struct{ KV kv.Store }

func throttleKey(email, client string) string {
	return "login-fail:" + market.NormalizeEmail(email) + "|" + client
}

// Check refuses with ETOOMANY while the email and client are throttled.
func (t Throttle) Check(ctx context.Context, email, client string) error {
	// Peek without counting: Incr would count the check itself.
	blocked, err := t.KV.Exists(ctx, throttleKey(email, client)+":blocked")
	if err != nil || !blocked {
		return err
	}
	return &market.Error{Code: market.ETOOMANY, Message: "too many failed logins; try again later",
		RetryAfterSeconds: int(LoginWindow.Seconds())}
}

// Failed records a failed login; reaching the limit blocks for the rest of
// the window.
func (t Throttle) Failed(ctx context.Context, email, client string) error {
	key := throttleKey(email, client)
	n, left, err := t.KV.Incr(ctx, key, LoginWindow)
	if err != nil {
		return err
	}
	if n >= MaxLoginFailures {
		return t.KV.Set(ctx, key+":blocked", left)
	}
	return nil
}

// Succeeded clears the failures of an email and client.
func (t Throttle) Succeeded(ctx context.Context, email, client string) error {
	return t.KV.Del(ctx, throttleKey(email, client))
}
