package kv

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is a Store shared by every instance that points at one server.
type Redis struct {
	c      *redis.Client
	prefix string
}

var _ Store = (*Redis)(nil)

// Redis timeouts: short, because every request waits on Redis (rate limit,
// throttle) and a slow Redis must fall back rather than hold requests; a
// URL's own dial_timeout, read_timeout … take precedence.
const (
	RedisDialTimeout = time.Second
	RedisIOTimeout   = 500 * time.Millisecond
)

// NewRedis connects to a redis:// URL; keys get prefix so tests and
// deployments can share a server.
func NewRedis(url, prefix string) (*Redis, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	q := url
	if !strings.Contains(q, "dial_timeout=") {
		opts.DialTimeout = RedisDialTimeout
	}
	if !strings.Contains(q, "read_timeout=") {
		opts.ReadTimeout = RedisIOTimeout
	}
	if !strings.Contains(q, "write_timeout=") {
		opts.WriteTimeout = RedisIOTimeout
	}
	if !strings.Contains(q, "pool_timeout=") {
		opts.PoolTimeout = RedisDialTimeout
	}
	opts.MaxRetries = 1
	// Honour the request's deadline as well as the fixed timeouts.
	opts.ContextTimeoutEnabled = true
	return &Redis{c: redis.NewClient(opts), prefix: prefix}, nil
}

// unavailable marks a Redis failure as ErrUnavailable.
func unavailable(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: redis: %w", ErrUnavailable, err)
}

// Incr implements Store: INCR, then PEXPIRE NX so only the first increment
// opens the window, in one round trip.
func (r *Redis) Incr(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	k := r.prefix + key
	var incr *redis.IntCmd
	var ttl *redis.DurationCmd
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		incr = p.Incr(ctx, k)
		p.Do(ctx, "PEXPIRE", k, window.Milliseconds(), "NX")
		ttl = p.PTTL(ctx, k)
		return nil
	})
	if err != nil {
		return 0, 0, unavailable(err)
	}
	return incr.Val(), ttl.Val(), nil
}

// Set implements Store.
func (r *Redis) Set(ctx context.Context, key string, ttl time.Duration) error {
	return unavailable(r.c.Set(ctx, r.prefix+key, "1", ttl).Err())
}

// Exists implements Store.
func (r *Redis) Exists(ctx context.Context, key string) (bool, error) {
	n, err := r.c.Exists(ctx, r.prefix+key).Result()
	return n == 1, unavailable(err)
}

// Del implements Store.
func (r *Redis) Del(ctx context.Context, key string) error {
	return unavailable(r.c.Del(ctx, r.prefix+key).Err())
}

// Ping implements Store.
func (r *Redis) Ping(ctx context.Context) error { return unavailable(r.c.Ping(ctx).Err()) }

// Name implements Store.
func (r *Redis) Name() string { return "redis" }

// Close closes the client.
func (r *Redis) Close() error { return r.c.Close() }
