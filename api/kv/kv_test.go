package kv_test

import (
	"context"
	"testing"
	"time"

	"techbridge/api/kv"
	"techbridge/market"
	"techbridge/market/testenv"
)

// RedisVar names the Redis server tests may use.
const RedisVar = "TECHBRIDGE_TEST_REDIS_URL"

func stores(t *testing.T, fn func(t *testing.T, s kv.Store)) {
	t.Run("memory", func(t *testing.T) { fn(t, kv.NewMemory()) })
	t.Run("redis", func(t *testing.T) {
		url := testenv.Lookup(t, RedisVar, "Redis")
		r, err := kv.NewRedis(url, "kvtest:"+market.NewID()+":")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		if err := r.Ping(context.Background()); err != nil {
			testenv.Missing(t, "Redis at "+url+" not reachable: "+err.Error())
		}
		fn(t, r)
	})
}

func TestStore(t *testing.T) {
	stores(t, func(t *testing.T, s kv.Store) {
		ctx := context.Background()
		for i := int64(1); i <= 3; i++ {
			n, left, err := s.Incr(ctx, "c", time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if n != i || left <= 0 || left > time.Minute {
				t.Fatalf("incr %d: n=%d left=%v", i, n, left)
			}
		}
		if ok, _ := s.Exists(ctx, "k"); ok {
			t.Fatal("unset key exists")
		}
		if err := s.Set(ctx, "k", time.Minute); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.Exists(ctx, "k"); !ok {
			t.Fatal("set key missing")
		}
		s.Del(ctx, "k")
		if ok, _ := s.Exists(ctx, "k"); ok {
			t.Fatal("deleted key exists")
		}
		// Expiry.
		if err := s.Set(ctx, "short", 50*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		time.Sleep(120 * time.Millisecond)
		if ok, _ := s.Exists(ctx, "short"); ok {
			t.Fatal("expired key exists")
		}
		n, _, _ := s.Incr(ctx, "w", 50*time.Millisecond)
		time.Sleep(120 * time.Millisecond)
		if n2, _, _ := s.Incr(ctx, "w", 50*time.Millisecond); n != 1 || n2 != 1 {
			t.Fatalf("window did not reset: %d then %d", n, n2)
		}
	})
}
