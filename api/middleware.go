package api

import (
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"techbridge/market/msgs"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/api/auth"
	"techbridge/market"
)

const (
	ctxActor  = "actor"
	ctxClaims = "claims"
)

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestIDHeader is X-Request-ID in its canonical form, so setting and
// reading it skips canonicalising the key on every request.
const requestIDHeader = "X-Request-Id"

// withRequestID tags every request with an id: the caller's X-Request-ID
// when it is sane, a new one otherwise; it is echoed and logged. The
// response header is where it is kept (requestID reads it back), which
// spares every request a context map.
func withRequestID(c *gin.Context) {
	id := c.Request.Header.Get(requestIDHeader)
	if id == "" || !validRequestID.MatchString(id) {
		id = newRequestID()
	}
	c.Writer.Header()[requestIDHeader] = []string{id}
	c.Next()
}

// Request ids are this process's random prefix and a sequence number: an
// id must be unique, not unpredictable, and a UUID per request cost a read
// of the kernel's random source and its formatting on every request.
var (
	requestIDPrefix = market.NewID()[24:] + "-" // the UUIDv7's random tail
	requestIDSeq    atomic.Uint64
)

func newRequestID() string {
	return requestIDPrefix + strconv.FormatUint(requestIDSeq.Add(1), 36)
}

func requestID(c *gin.Context) string { return c.Writer.Header().Get(requestIDHeader) }

// slowRequest is the latency above which a request is logged at Warn.
const slowRequest = time.Second

// logRequests writes one slog line per request at a level by its outcome:
// Debug for a fast success, Info for a client error, Warn for a slow
// request, Error for a server error. At the default level (info) the hot
// path of successful reads logs nothing and builds no attributes; set
// TECHBRIDGE_LOG_LEVEL=debug to see every request.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	took := time.Since(start)
	status := c.Writer.Status()
	level := slog.LevelDebug
	switch {
	case status == http.StatusServiceUnavailable:
		level = slog.LevelWarn
	case status >= 500:
		level = slog.LevelError
	case took >= slowRequest:
		level = slog.LevelWarn
	case status >= 400:
		level = slog.LevelInfo
	}
	ctx := c.Request.Context()
	if !s.Log.Enabled(ctx, level) {
		return
	}
	s.Log.Log(ctx, level, "http",
		"request_id", requestID(c), "method", c.Request.Method, "path", c.Request.URL.Path,
		"status", status, "duration_ms", took.Milliseconds(), "client", s.ClientIP(c.Request))
}

// recoverPanics turns a panic into a 500 problem without leaking it.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.Log.ErrorContext(c.Request.Context(), "panic", "request_id", requestID(c), "panic", r)
			s.writeError(c, market.Errorf(market.EINTERNAL, msgs.Panic))
		}
	}()
	c.Next()
}

// deadline bounds the request's work: its context, which every database,
// Redis and provider call takes, ends after d, so a stalled dependency
// gives a 503 in bounded time instead of holding the request. The timer is
// made only if a call watches the context (lazyDeadline).
func deadline(d time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := newLazyDeadline(c.Request.Context(), d)
		defer ctx.stop()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// tokenDeadline is deadline for routes whose only I/O is checking a bearer
// token: requests without one skip the context and timer it costs.
func tokenDeadline(d time.Duration) gin.HandlerFunc {
	bounded := deadline(d)
	return func(c *gin.Context) {
		if c.Request.Header.Get("Authorization") == "" {
			c.Next()
			return
		}
		bounded(c)
	}
}

// limitBody caps request bodies; decode reports the overflow as 413.
func (s *Server) limitBody(c *gin.Context) {
	if b := c.Request.Body; b != nil && b != http.NoBody {
		c.Request.Body = http.MaxBytesReader(c.Writer, b, s.cfg.BodyLimit)
	}
	c.Next()
}

// rateLimit allows cfg.RateLimit requests per minute per client address.
// The address is s.ClientIP's, which believes X-Forwarded-For only from
// the configured trusted proxies.
func (s *Server) rateLimit(c *gin.Context) {
	n, left, err := s.KV.Incr(c.Request.Context(), "rate:"+s.ClientIP(c.Request), time.Minute)
	if err != nil {
		s.Log.WarnContext(c.Request.Context(), "rate limiter unavailable; letting the request through", "err", err)
		c.Next()
		return
	}
	if n > int64(s.cfg.RateLimit) {
		s.Metrics.rejected("api")
		secs := int(left.Seconds()) + 1
		s.writeError(c, market.Errorf(market.ETOOMANY, msgs.RateLimited).RetryAfter(secs))
		return
	}
	c.Next()
}

// authenticate reads a bearer token when present; an invalid one is refused
// even on public routes, so a client learns its token went bad.
func (s *Server) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	if h == "" {
		c.Next() // anonymous: actor(c) is the zero Actor
		return
	}
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		s.writeError(c, market.Errorf(market.EUNAUTHORIZED, msgs.AuthorizationBearer))
		return
	}
	claims, err := s.Tokens.Verify(c.Request.Context(), strings.TrimSpace(raw))
	if err != nil {
		s.refuseToken(c, err)
		return
	}
	actor, err := s.Service.ActorFor(c.Request.Context(), claims.Subject)
	if market.ErrorCode(err) == market.ENOTFOUND {
		err = market.Errorf(market.EUNAUTHORIZED, msgs.TokenAccountGone)
	}
	if err == nil {
		actor, err = actor.ActFor(strings.TrimSpace(c.GetHeader("X-Organization")))
	}
	if err != nil {
		s.refuseToken(c, err)
		return
	}
	c.Set(ctxClaims, claims)
	c.Set(ctxActor, actor)
	c.Next()
}

// refuseToken answers a token that failed verification. A 401 names the
// failure as RFC 6750 §3.1 asks, error="invalid_token", so a client knows
// to refresh or log in again rather than retry.
func (s *Server) refuseToken(c *gin.Context, err error) {
	if market.ErrorCode(err) == market.EUNAUTHORIZED {
		desc := strings.NewReplacer(`"`, "'", `\`, "/").Replace(market.ErrorMessage(err))
		c.Header("WWW-Authenticate", `Bearer realm="techbridge", error="invalid_token", error_description="`+desc+`"`)
	}
	s.writeError(c, err)
}

// requireLogin refuses anonymous callers.
func (s *Server) requireLogin(c *gin.Context) {
	if actor(c).Anonymous() {
		c.Header("WWW-Authenticate", `Bearer realm="techbridge"`)
		s.writeError(c, market.Errorf(market.EUNAUTHORIZED, msgs.LogInFirst))
		return
	}
	c.Next()
}

// requireAdmin refuses everyone but platform admins.
func (s *Server) requireAdmin(c *gin.Context) {
	if !actor(c).IsAdmin() {
		s.writeError(c, market.Errorf(market.EFORBIDDEN, msgs.AdminsOnly))
		return
	}
	c.Next()
}

func actor(c *gin.Context) market.Actor {
	a, _ := c.Get(ctxActor)
	actor, _ := a.(market.Actor)
	return actor
}

func claims(c *gin.Context) *auth.Claims {
	v, _ := c.Get(ctxClaims)
	cl, _ := v.(*auth.Claims)
	return cl
}
