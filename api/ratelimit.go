package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"techbridge/market/msgs"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/market"
)

// RateLimits are the per-client request budgets per minute of each class,
// beside the general API limit (Config.RateLimit); zero gets the default.
// A class has its own counter, so a flood of one kind (logins, matching)
// uses up its own budget and not the one of browsing.
type RateLimits struct {
	Login        int // POST /auth/login, /auth/register, /auth/refresh and the web login and registration; default 20
	Match        int // POST /match, GET /search, /search/suggest and the match routes; default 120
	Pages        int // web pages of an anonymous visitor; default 300
	PagesSession int // web pages of a signed-in visitor (session cookie); default 1200
	Webhook      int // POST /webhooks/stripe per sender address; default 6000
	Readyz       int // GET /readyz (it pings every dependency); default 300
}

func (r *RateLimits) defaults() {
	set := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&r.Login, 20)
	set(&r.Match, 120)
	set(&r.Pages, 300)
	set(&r.PagesSession, 1200)
	set(&r.Webhook, 6000)
	set(&r.Readyz, 300)
}

// rateClass is a named budget: requests per minute per client address.
type rateClass struct {
	name      string
	perMinute int
}

// allow counts one request of class from client and refuses with ETOOMANY
// beyond the budget. Like the general limit it lets the request through
// when the counter store cannot answer (logged).
func (s *Server) allow(ctx context.Context, class rateClass, client string) error {
	n, left, err := s.KV.Incr(ctx, "rate:"+class.name+":"+client, time.Minute)
	if err != nil {
		s.Log.WarnContext(ctx, "rate limiter unavailable; letting the request through", "class", class.name, "err", err)
		return nil
	}
	if n > int64(class.perMinute) {
		s.Metrics.rejected(class.name)
		return market.Errorf(market.ETOOMANY, msgs.RateLimited).RetryAfter(int(left.Seconds()) + 1)
	}
	return nil
}

// limit is the middleware of one rate class.
func (s *Server) limit(class rateClass) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := s.allow(c.Request.Context(), class, s.ClientIP(c.Request)); err != nil {
			s.writeError(c, err)
			return
		}
		c.Next()
	}
}

// ClientIP is the client address, one rule for the API and the pages: the
// peer's address, or, when the peer is a trusted proxy, the nearest
// X-Forwarded-For address that is not one (X-Real-IP and Forwarded are not
// believed). It runs on every request, so it walks the header in place and
// allocates nothing (Gin's ClientIP cost a fifth of a constant answer's
// handler in bench api's profile).
func (s *Server) ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(s.trusted) == 0 || !s.trustedProxy(host) {
		return host
	}
	values := r.Header["X-Forwarded-For"]
	for v := len(values) - 1; v >= 0; v-- {
		rest := values[v]
		for {
			comma := strings.LastIndexByte(rest, ',')
			hop := strings.TrimSpace(rest[comma+1:])
			if _, err := netip.ParseAddr(hop); err != nil {
				return host
			}
			if (v == 0 && comma < 0) || !s.trustedProxy(hop) {
				return hop
			}
			if comma < 0 {
				break
			}
			rest = rest[:comma]
		}
	}
	return host
}

func (s *Server) trustedProxy(ip string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	for _, p := range s.trusted {
		if p.Contains(addr.Unmap()) {
			return true
		}
	}
	return false
}

// parsePrefixes reads trusted proxies as addresses or CIDR ranges.
func parsePrefixes(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range list {
		if strings.Contains(v, "/") {
			p, err := netip.ParsePrefix(v)
			if err != nil {
				return nil, err
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(v)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// loginPages are the web forms that cost a password hash or send mail to
// a typed address: they count in the login class as the API's twins do.
var loginPages = map[string]bool{"/login": true, "/register": true, "/forgot-password": true,
	"/reset-password": true, "/verify-email": true}

// Pages wraps the web pages with the API's page rate limits (an anonymous
// and a signed-in class, told apart by the session cookie; the login and
// registration forms also count in the login class, as the API's do) and
// with request metrics, labelled by pattern (the page server's Pattern).
func (s *Server) Pages(next http.Handler, sessionCookie string, pattern func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		client := s.ClientIP(r)
		class := rateClass{"pages", s.cfg.Rates.Pages}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			class = rateClass{"pages_session", s.cfg.Rates.PagesSession}
		}
		err := s.allow(r.Context(), class, client)
		if err == nil && r.Method == http.MethodPost && loginPages[r.URL.Path] {
			err = s.allow(r.Context(), rateClass{"login", s.cfg.Rates.Login}, client)
		}
		if err != nil {
			var me *market.Error
			if errors.As(err, &me) && me.RetryAfterSeconds > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(me.RetryAfterSeconds))
			}
			http.Error(w, "Too many requests; please wait a minute. 请求过于频繁，请稍后再试。", http.StatusTooManyRequests)
			return
		}
		if s.cache != nil && !isSafeMethod(r.Method) {
			// A form post may write: the anonymous listing reads cached
			// before it are dropped, as the API's writes drop them.
			s.cache.invalidate()
			defer s.cache.invalidate()
		}
		if s.Metrics == nil {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		s.Metrics.inFlight.Inc()
		defer s.Metrics.inFlight.Dec()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := ""
		if pattern != nil {
			route = pattern(r)
		}
		s.Metrics.observe(route, r.Method, max(sw.status, http.StatusOK), time.Since(start))
	})
}
