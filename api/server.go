// Package api is TechBridge's JSON API over Gin: the route table, handlers
// (decode → validate → call the market service → respond), middleware for
// request ids, logging, body limits, rate limits and authentication, RFC 9457
// errors, and the OpenAPI document.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"sync/atomic"
	"techbridge/market/msgs"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/api/auth"
	"techbridge/api/kv"
	"techbridge/market"
	"techbridge/search"
)

// Config tunes the API; zero values get defaults.
type Config struct {
	// TrustedProxies are the addresses whose X-Forwarded-For is believed;
	// empty trusts none, so a forged header changes nothing.
	TrustedProxies []string
	RateLimit      int   // requests per minute per client; default 600
	BodyLimit      int64 // bytes; default 1 MiB
	// RequestTimeout bounds each request's work (database, Redis,
	// providers); default DefaultRequestTimeout. ImportTimeout bounds a
	// bulk import; default DefaultImportTimeout.
	RequestTimeout time.Duration
	ImportTimeout  time.Duration
	Rates          RateLimits
	// CacheTTL is how long anonymous listing reads are shared from the
	// response cache (response_cache.go); 0 turns the cache off.
	CacheTTL time.Duration
	// CORSOrigins are the browser origins (scheme://host[:port]) allowed to
	// call the API from another site; empty (the default) sends no CORS
	// headers, so browsers keep other sites out.
	CORSOrigins []string
}

// Request deadlines.
const (
	DefaultRequestTimeout = 10 * time.Second
	DefaultImportTimeout  = 5 * time.Minute
)

// Check is one dependency reported by /readyz.
type Check struct {
	Name string
	Ping func(ctx context.Context) error
}

// Server holds the API's dependencies.
type Server struct {
	Service  *market.Service
	Tokens   *auth.Tokens
	Throttle auth.Throttle
	KV       kv.Store
	Log      *slog.Logger
	// Checks are reported by /readyz beside the database.
	Checks []Check
	// SearchBacklog counts events not yet indexed; nil reports 0.
	SearchBacklog func(ctx context.Context) (int64, error)
	// MaxSearchBacklog makes /readyz fail while this instance's index lags
	// the event log by more events than this, so a balancer sends no
	// searches to an instance that would answer them wrong; 0 = no limit.
	MaxSearchBacklog int64
	// Search answers /api/v1/search; nil answers 501.
	Search *search.Service
	// Matcher answers the match routes; nil answers 501.
	Matcher *search.Matcher
	// Metrics records requests and rate-limit refusals; nil records nothing.
	Metrics *Metrics

	cfg      Config
	engine   *gin.Engine
	handler  http.Handler // engine, behind the CORS policy when one is set
	trusted  []netip.Prefix
	cache    *responseCache // nil when off
	draining atomic.Bool    // shutdown has begun: refuse long work
}

// New builds the API.
func New(cfg Config, svc *market.Service, tokens *auth.Tokens, store kv.Store, log *slog.Logger) (*Server, error) {
	if cfg.RateLimit <= 0 {
		cfg.RateLimit = 600
	}
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = 1 << 20
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.ImportTimeout <= 0 {
		cfg.ImportTimeout = DefaultImportTimeout
	}
	if log == nil {
		log = slog.Default()
	}
	cfg.Rates.defaults()
	trusted, err := parsePrefixes(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	s := &Server{Service: svc, Tokens: tokens, Throttle: auth.Throttle{KV: store}, KV: store, Log: log, cfg: cfg, trusted: trusted,
		cache: newResponseCache(cfg.CacheTTL)}
	if svc != nil && svc.Hashing != nil && svc.Hashing.OnRefuse == nil {
		// Logins the hash gate turns away spend the global failed-login
		// budget (auth.Throttle.Refused): a flood far beyond the hashing
		// capacity pauses logins, and hashing, within a second.
		svc.Hashing.OnRefuse = func() {
			if err := s.Throttle.Refused(context.Background()); err != nil {
				s.Log.Warn("login throttle unavailable", "err", err)
			}
		}
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	if err := e.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, err
	}
	e.ForwardedByClientIP = len(cfg.TrustedProxies) > 0
	e.RemoteIPHeaders = []string{"X-Forwarded-For"} // the one header ClientIP believes (ratelimit.go); the API calls ClientIP, not Gin's
	e.HandleMethodNotAllowed = true
	e.NoRoute(func(c *gin.Context) { s.writeError(c, market.Errorf(market.ENOTFOUND, msgs.NoSuchRoute)) })
	e.NoMethod(func(c *gin.Context) {
		c.Header("Content-Type", ProblemContentType)
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, Problem{Type: "urn:techbridge:problem:method_not_allowed",
			Title: "Method Not Allowed", Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
			Detail:   c.Request.Method + " is not allowed here; the Allow header lists what is",
			Instance: c.Request.URL.Path, RequestID: requestID(c)})
		c.Writer.Header().Set("Content-Type", ProblemContentType)
	})
	s.engine = e
	s.routes()
	s.handler = withHead(e)
	if len(cfg.CORSOrigins) > 0 {
		s.handler = corsPolicy(cfg.CORSOrigins).Handler(s.handler)
	}
	return s, nil
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes lists the registered routes, for the OpenAPI and policy tests.
func (s *Server) Routes() gin.RoutesInfo { return s.engine.Routes() }
