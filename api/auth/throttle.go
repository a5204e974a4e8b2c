package auth

import (
	"cmp"
	"context"
	"techbridge/market/msgs"
	"time"

	"techbridge/api/kv"
	"techbridge/market"
)

// Login throttling counts failed logins four ways, each in its own window;
// reaching a limit blocks that key for the rest of its window:
//
//   - one email from one client address (MaxLoginFailures): a user's typos;
//   - one email from any address (AccountFailures): credential stuffing
//     spread over many addresses;
//   - one address for any email (AddressFailures): password spraying;
//   - every failure of the service (GlobalFailures per GlobalWindow): a
//     flood no per-key limit sees, from many addresses at many accounts.
//
// Password hashing is bounded apart from this (market.HashGate), so a flood
// costs refusals, not CPU; this budget keeps it from guessing at all.
const (
	MaxLoginFailures = 5
	LoginWindow      = 15 * time.Minute
	GlobalWindow     = time.Minute
)

// Default limits for the zero Throttle's fields.
const (
	DefaultAccountFailures = 20
	DefaultAddressFailures = 50
	DefaultGlobalFailures  = 600
)

// Throttle counts failed logins.
type Throttle struct {
	KV kv.Store
	// Per-key limits; zero = the defaults above.
	AccountFailures, AddressFailures, GlobalFailures int
}

// throttleKeys are the counters one login attempt touches.
type throttleKeys struct{ pair, account, address, global string }

func keysFor(email, client string) throttleKeys {
	e := market.NormalizeEmail(email)
	return throttleKeys{
		pair:    "login-fail:" + e + "|" + client,
		account: "login-fail:account:" + e,
		address: "login-fail:address:" + client,
		global:  "login-fail:global",
	}
}

// Check refuses with ETOOMANY while the email, the client, the pair of
// them, or the whole service is throttled.
func (t Throttle) Check(ctx context.Context, email, client string) error {
	k := keysFor(email, client)
	for _, c := range []struct {
		key    string
		window time.Duration
	}{{k.pair, LoginWindow}, {k.account, LoginWindow}, {k.address, LoginWindow}, {k.global, GlobalWindow}} {
		// Peek without counting: Incr would count the check itself.
		blocked, err := t.KV.Exists(ctx, c.key+":blocked")
		if err != nil {
			return err
		}
		if blocked {
			return market.Errorf(market.ETOOMANY, msgs.TooManyFailedLogins).RetryAfter(int(c.window.Seconds()))
		}
	}
	return nil
}

// Failed records a failed login under every key; a key that reaches its
// limit blocks for the rest of its window.
func (t Throttle) Failed(ctx context.Context, email, client string) error {
	k := keysFor(email, client)
	for _, c := range []struct {
		key    string
		window time.Duration
		limit  int
	}{
		{k.pair, LoginWindow, MaxLoginFailures},
		{k.account, LoginWindow, cmp.Or(t.AccountFailures, DefaultAccountFailures)},
		{k.address, LoginWindow, cmp.Or(t.AddressFailures, DefaultAddressFailures)},
		{k.global, GlobalWindow, cmp.Or(t.GlobalFailures, DefaultGlobalFailures)},
	} {
		if err := t.count(ctx, c.key, c.window, c.limit); err != nil {
			return err
		}
	}
	return nil
}

// count adds one to key, blocking it for the rest of its window at limit.
func (t Throttle) count(ctx context.Context, key string, window time.Duration, limit int) error {
	n, left, err := t.KV.Incr(ctx, key, window)
	if err != nil {
		return err
	}
	if n >= int64(limit) {
		return t.KV.Set(ctx, key+":blocked", left)
	}
	return nil
}

// Refused counts a login the password-hash gate turned away (its queue was
// full) against the global budget only: a flood beyond the hashing
// capacity then pauses logins within a second, and the hashing with them,
// instead of keeping a core busy for the rest of the minute on guesses
// that fail anyway.
func (t Throttle) Refused(ctx context.Context) error {
	return t.count(ctx, keysFor("", "").global, GlobalWindow, cmp.Or(t.GlobalFailures, DefaultGlobalFailures))
}

// Succeeded clears the failures of an email and client; the account's,
// the address's and the global counts run out with their windows, so a
// stuffer cannot reset them by logging in to an account of its own.
func (t Throttle) Succeeded(ctx context.Context, email, client string) error {
	return t.KV.Del(ctx, keysFor(email, client).pair)
}
