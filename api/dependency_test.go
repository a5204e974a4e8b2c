package api

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"techbridge/api/auth"
	"techbridge/api/kv"
	"techbridge/market"
)

// deadRedis is a Redis client aimed at a port nobody listens on: every
// call fails at once with a connection error, as when Redis is stopped.
func deadRedis(t *testing.T) *kv.Redis {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // the port is free now: connections are refused
	r, err := kv.NewRedis("redis://"+addr+"/0", "dead:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestRedisDownPolicy is the stated policy for a Redis that is down: rate
// limits and login throttles count in this process instead of switching
// off (650 of 650 requests were answered before), revocation does not
// depend on Redis, logout answers 204, and /readyz stays ready but says
// Redis is degraded. Nothing answers 500.
func TestRedisDownPolicy(t *testing.T) {
	store := kv.NewFallback(deadRedis(t), slog.New(slog.DiscardHandler))
	e := newEnvWith(t, store, Config{RateLimit: 40})

	_, tok := e.user("redisdown@example.cn")
	e.expect(e.do("GET", "/api/v1/me", tok.AccessToken, nil), 200)
	e.expect(e.do("POST", "/api/v1/auth/logout", tok.AccessToken, nil), 204)
	e.expect(e.do("GET", "/api/v1/me", tok.AccessToken, nil), 401)

	for i := range auth.MaxLoginFailures {
		e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "redisdown@example.cn", Password: "wrong password " + string(rune('a'+i))}), 401)
	}
	e.expect(e.do("POST", "/api/v1/auth/login", "", loginRequest{Email: "redisdown@example.cn", Password: "correct horse battery"}), 429)

	var body map[string]any
	e.expect(e.do("GET", "/readyz", e.admin().AccessToken, nil), 200).json(&body) // details are for admins
	if s, _ := body["redis"].(string); !strings.HasPrefix(s, "degraded") {
		t.Fatalf("readyz redis = %v", body["redis"])
	}

	limited := false
	for range 40 {
		if e.do("GET", "/api/v1/outcomes", "", nil).Code == 429 {
			limited = true
			break
		}
	}
	if !limited {
		t.Fatal("40 more requests over a limit of 40 a minute: none refused while Redis was down")
	}
}

// TestDependencyTimeoutIs503: a request whose deadline passes while it
// waits on the database answers 503 with Retry-After and the code
// "unavailable", not 500 "internal error".
func TestDependencyTimeoutIs503(t *testing.T) {
	e := newEnvWith(t, kv.NewMemory(), Config{RequestTimeout: time.Nanosecond})
	res := e.expect(e.do("GET", "/api/v1/outcomes", "", nil), 503)
	if res.Header().Get("Retry-After") == "" {
		t.Fatal("503 without Retry-After")
	}
	if p := res.problem(); p.Code != market.EUNAVAILABLE {
		t.Fatalf("problem %+v", p)
	}
}

// syncBuffer is a log sink safe for the handler's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestClientCancelIsNotAServerError: a search the client abandoned was
// logged as ERROR 500 "context canceled"; it is an info line now.
func TestClientCancelIsNotAServerError(t *testing.T) {
	e := newEnv(t)
	var logs syncBuffer
	e.srv.Log = slog.New(slog.NewTextHandler(&logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequest("GET", "/api/v1/outcomes", nil).WithContext(ctx)
	req.RemoteAddr = "192.0.2.1:1234"
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, req)
	out := logs.String()
	if strings.Contains(out, "level=ERROR") || !strings.Contains(out, "cancelled by the client") {
		t.Fatalf("status %d, logs:\n%s", w.Code, out)
	}
}
