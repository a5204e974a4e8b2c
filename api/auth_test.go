package api

import (
	"testing"
	"time"

	"techbridge/api/auth"
	"techbridge/api/kv"
)

func TestLoginAnswersAlikeForUnknownEmailAndWrongPassword(t *testing.T) {
	e := newEnv(t)
	e.user("li@example.cn")
	wrong := e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "li@example.cn", Password: "wrong password!"}), 401).problem()
	unknown := e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "nobody@example.cn", Password: "wrong password!"}), 401).problem()
	if wrong.Detail != unknown.Detail || wrong.Code != unknown.Code || wrong.Detail == "" {
		t.Fatalf("answers differ: %+v vs %+v", wrong, unknown)
	}
}

func TestAccessTokenLifecycle(t *testing.T) {
	kvBackends(t, func(t *testing.T, store kv.Store) {
		e := newEnvWith(t, store, Config{})
		_, tok := e.user("wang@example.cn")
		if tok.ExpiresIn != int(auth.AccessTokenTTL.Seconds()) || tok.TokenType != "Bearer" {
			t.Fatalf("tokens = %+v", tok)
		}
		var me meResponse
		e.expect(e.do("GET", "/api/v1/me", tok.AccessToken, nil), 200).json(&me)
		if me.Account.Email != "wang@example.cn" {
			t.Fatalf("me = %+v", me)
		}
		e.expect(e.do("GET", "/api/v1/me", "", nil), 401).problem()
		e.expect(e.do("GET", "/api/v1/me", "garbage", nil), 401).problem()

		// Expired: a token issued 16 minutes ago.
		old := *e.srv.Tokens
		old.Now = func() time.Time { return time.Now().Add(-16 * time.Minute) }
		expired, _, _ := old.Issue(me.Account.ID)
		e.expect(e.do("GET", "/api/v1/me", expired, nil), 401).problem()

		// Logout revokes the access token and the refresh family.
		e.expect(e.do("POST", "/api/v1/auth/logout", tok.AccessToken, refreshRequest{RefreshToken: tok.RefreshToken}), 204)
		e.expect(e.do("GET", "/api/v1/me", tok.AccessToken, nil), 401).problem()
		e.expect(e.do("POST", "/api/v1/auth/refresh", "", refreshRequest{RefreshToken: tok.RefreshToken}), 401).problem()
	})
}

func TestRefreshRotationAndReuse(t *testing.T) {
	e := newEnv(t)
	_, tok := e.user("zhao@example.cn")
	var second tokenResponse
	e.expect(e.do("POST", "/api/v1/auth/refresh", "", refreshRequest{RefreshToken: tok.RefreshToken}), 200).json(&second)
	if second.RefreshToken == tok.RefreshToken || second.AccessToken == "" {
		t.Fatal("refresh did not rotate")
	}
	e.expect(e.do("GET", "/api/v1/me", second.AccessToken, nil), 200)
	// Reusing the first (rotated) token is theft: the family dies, so the
	// second token stops working too.
	e.expect(e.do("POST", "/api/v1/auth/refresh", "", refreshRequest{RefreshToken: tok.RefreshToken}), 401).problem()
	e.expect(e.do("POST", "/api/v1/auth/refresh", "", refreshRequest{RefreshToken: second.RefreshToken}), 401).problem()
	// Another login starts a fresh family that works.
	var third tokenResponse
	e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "zhao@example.cn", Password: "correct horse battery"}), 200).json(&third)
	e.expect(e.do("POST", "/api/v1/auth/refresh", "", refreshRequest{RefreshToken: third.RefreshToken}), 200)
}

func TestLoginThrottle(t *testing.T) {
	kvBackends(t, func(t *testing.T, store kv.Store) {
		e := newEnvWith(t, store, Config{})
		e.user("qian@example.cn")
		for i := 0; i < auth.MaxLoginFailures; i++ {
			e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "qian@example.cn", Password: "not the password"}), 401)
		}
		res := e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "qian@example.cn", Password: "correct horse battery"}), 429)
		res.problem()
		if res.Header().Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
	})
}

func TestRateLimitIgnoresForgedForwardedFor(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{RateLimit: 3})
	for i := 0; i < 3; i++ {
		e.expect(e.do("GET", "/api/v1/organizations", "", nil), 200)
	}
	req := e.do("GET", "/api/v1/organizations", "", nil)
	e.expect(req, 429)
	if req.Header().Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	// A forged X-Forwarded-For from an untrusted peer does not buy a new budget.
	r := newRequest("GET", "/api/v1/organizations", map[string]string{"X-Forwarded-For": "203.0.113.9"})
	w := serve(e, r)
	if w.Code != 429 {
		t.Fatalf("forged X-Forwarded-For got %d, want 429", w.Code)
	}
}

// TestLogoutSurvivesARedisRestart: revocations were kept only in Redis, so
// a Redis restarted without persistence let a logged-out access token work
// again. They are in the database now: a server with an empty key-value
// store (the restarted Redis) still refuses the token.
func TestLogoutSurvivesARedisRestart(t *testing.T) {
	kvBackends(t, func(t *testing.T, store kv.Store) {
		e := newEnvWith(t, store, Config{})
		_, tok := e.user("restart@example.cn")
		e.expect(e.do("POST", "/api/v1/auth/logout", tok.AccessToken, nil), 204)
		e.expect(e.do("GET", "/api/v1/me", tok.AccessToken, nil), 401)

		fresh := kv.NewMemory() // everything Redis held is gone
		srv, err := New(Config{}, e.svc, &auth.Tokens{Key: e.srv.Tokens.Key, KV: fresh, Revocations: e.svc}, fresh, e.svc.Log)
		if err != nil {
			t.Fatal(err)
		}
		restarted := &testEnv{t: t, srv: srv, svc: e.svc, db: e.db, kv: fresh}
		restarted.expect(restarted.do("GET", "/api/v1/me", tok.AccessToken, nil), 401)
		// Another token of the same account still works.
		var tok2 tokenResponse
		restarted.expect(restarted.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "restart@example.cn", Password: "correct horse battery"}), 200).json(&tok2)
		restarted.expect(restarted.do("GET", "/api/v1/me", tok2.AccessToken, nil), 200)
	})
}
