package auth

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"techbridge/api/kv"
	"techbridge/market"
)

func newTokens() *Tokens {
	return &Tokens{Key: GenerateKey(), KV: kv.NewMemory()}
}

func sign(t *testing.T, method jwt.SigningMethod, key any, kid string, mutate func(*Claims)) string {
	t.Helper()
	now := time.Now()
	c := Claims{jwt.RegisteredClaims{Issuer: Issuer, Subject: "acc", Audience: jwt.ClaimStrings{Audience},
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(time.Minute)), ID: "jti"}}
	if mutate != nil {
		mutate(&c)
	}
	tok := jwt.NewWithClaims(method, c)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVerifyAcceptsOwnToken(t *testing.T) {
	tk := newTokens()
	s, exp, err := tk.Issue("acc-1")
	if err != nil {
		t.Fatal(err)
	}
	c, err := tk.Verify(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "acc-1" || !exp.Equal(c.ExpiresAt.Time) || exp.Sub(c.IssuedAt.Time) != AccessTokenTTL {
		t.Fatalf("claims = %+v", c)
	}
	// A hand-signed token with the right key and claims passes too, so the
	// rejections below are caused by what each one changes.
	if _, err := tk.Verify(context.Background(), sign(t, jwt.SigningMethodEdDSA, tk.Key.Private, tk.Key.ID, nil)); err != nil {
		t.Fatalf("control token rejected: %v", err)
	}
}

func TestVerifyRejects(t *testing.T) {
	tk := newTokens()
	other := GenerateKey()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	none := jwt.NewWithClaims(jwt.SigningMethodNone, Claims{jwt.RegisteredClaims{Issuer: Issuer, Subject: "acc",
		Audience: jwt.ClaimStrings{Audience}, ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Minute)), ID: "j"}})
	none.Header["kid"] = tk.Key.ID
	noneTok, err := none.SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	pub := []byte(tk.Key.Private.Public().(ed25519.PublicKey))
	cases := map[string]string{
		"alg none":                      noneTok,
		"other key":                     sign(t, jwt.SigningMethodEdDSA, other.Private, tk.Key.ID, nil),
		"other key and its kid":         sign(t, jwt.SigningMethodEdDSA, other.Private, other.ID, nil),
		"RS256":                         sign(t, jwt.SigningMethodRS256, rsaKey, tk.Key.ID, nil),
		"HS256 keyed by the public key": sign(t, jwt.SigningMethodHS256, pub, tk.Key.ID, nil),
		"wrong audience": sign(t, jwt.SigningMethodEdDSA, tk.Key.Private, tk.Key.ID, func(c *Claims) {
			c.Audience = jwt.ClaimStrings{"someone-else"}
		}),
		"wrong issuer": sign(t, jwt.SigningMethodEdDSA, tk.Key.Private, tk.Key.ID, func(c *Claims) { c.Issuer = "evil" }),
		"expired": sign(t, jwt.SigningMethodEdDSA, tk.Key.Private, tk.Key.ID, func(c *Claims) {
			c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Second))
		}),
		// Issue 11: a validly signed token may not outlive the configured
		// lifetime, however far its exp lies.
		"ten-year lifetime": sign(t, jwt.SigningMethodEdDSA, tk.Key.Private, tk.Key.ID, func(c *Claims) {
			c.ExpiresAt = jwt.NewNumericDate(time.Now().AddDate(10, 0, 0))
		}),
		"no issued-at": sign(t, jwt.SigningMethodEdDSA, tk.Key.Private, tk.Key.ID, func(c *Claims) { c.IssuedAt = nil }),
		"no expiry":    sign(t, jwt.SigningMethodEdDSA, tk.Key.Private, tk.Key.ID, func(c *Claims) { c.ExpiresAt = nil }),
		"no subject":   sign(t, jwt.SigningMethodEdDSA, tk.Key.Private, tk.Key.ID, func(c *Claims) { c.Subject = "" }),
		"garbage":      "not.a.token",
	}
	for name, tok := range cases {
		if _, err := tk.Verify(context.Background(), tok); market.ErrorCode(err) != market.EUNAUTHORIZED {
			t.Errorf("%s: err = %v, want unauthorized", name, err)
		}
	}
}

func TestRevoke(t *testing.T) {
	tk := newTokens()
	s, _, _ := tk.Issue("acc")
	c, err := tk.Verify(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if err := tk.Revoke(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if _, err := tk.Verify(context.Background(), s); market.ErrorCode(err) != market.EUNAUTHORIZED {
		t.Fatalf("revoked token accepted: %v", err)
	}
}

func TestLoadOrCreateKeyPersists(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadOrCreateKey("", dir)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKey("", dir)
	if err != nil {
		t.Fatal(err)
	}
	if k1.ID != k2.ID || !k1.Private.Equal(k2.Private) {
		t.Fatal("key not persisted across loads")
	}
}

func TestThrottle(t *testing.T) {
	th := Throttle{KV: kv.NewMemory()}
	ctx := context.Background()
	for i := 0; i < MaxLoginFailures; i++ {
		if err := th.Check(ctx, "a@b.cn", "1.2.3.4"); err != nil {
			t.Fatalf("attempt %d throttled early: %v", i, err)
		}
		th.Failed(ctx, "A@b.cn", "1.2.3.4")
	}
	err := th.Check(ctx, "a@b.cn", "1.2.3.4")
	if market.ErrorCode(err) != market.ETOOMANY {
		t.Fatalf("after %d failures: %v, want too many", MaxLoginFailures, err)
	}
	if err := th.Check(ctx, "a@b.cn", "5.6.7.8"); err != nil {
		t.Fatalf("other client throttled: %v", err)
	}
}
