package api

import (
	"context"
	_ "embed"
	"fmt"
	"net/http"
	"net/netip"
	"time"

	"github.com/gin-gonic/gin"

	"techbridge/api/kv"
)

// healthz answers while the process is alive, with a body encoded once.
func (s *Server) healthz(c *gin.Context) {
	c.Data(http.StatusOK, "application/json; charset=utf-8", healthzBody)
}

var healthzBody = []byte(`{"status":"ok"}`)

// readyz reports the database, the shared store (Redis or memory), search,
// and the search backlog; 503 when any dependency fails.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	body := gin.H{}
	ok := true
	report := func(name string, err error) {
		if err != nil {
			ok = false
			body[name] = "error: " + err.Error()
			return
		}
		body[name] = "ok"
	}
	report("database", s.Service.Store.Ping(ctx))
	body["database_engine"] = s.Service.Store.Dialect()
	if fb, ok := s.KV.(*kv.Fallback); ok {
		// Redis down degrades rate limits and throttles to per-instance
		// counts; the instance still serves correctly, so it stays ready.
		if err := fb.Ping(ctx); err != nil {
			body["redis"] = "degraded: " + err.Error()
		} else {
			body["redis"] = "ok"
		}
	} else if s.KV.Name() == "redis" {
		report("redis", s.KV.Ping(ctx))
	} else {
		body["redis"] = "not configured (in-process)"
	}
	body["search"] = "not configured"
	for _, ch := range s.Checks {
		report(ch.Name, ch.Ping(ctx))
	}
	var backlog int64
	if s.SearchBacklog != nil {
		n, err := s.SearchBacklog(ctx)
		if err != nil {
			report("search_backlog_error", err)
		}
		backlog = n
		if s.MaxSearchBacklog > 0 && n > s.MaxSearchBacklog {
			report("search_lag", fmt.Errorf("index is %d events behind the log (limit %d)", n, s.MaxSearchBacklog))
		}
	}
	body["search_backlog"] = backlog
	status := http.StatusOK
	body["status"] = "ok"
	if !ok {
		status = http.StatusServiceUnavailable
		body["status"] = "unavailable"
	}
	if !s.seesReadiness(c) {
		// Which engines run and what fails is for operators, not for
		// whoever probes the port: anyone else learns only the status.
		body = gin.H{"status": body["status"]}
	}
	c.JSON(status, body)
}

//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves the OpenAPI 3.1 document.
func (s *Server) openAPI(c *gin.Context) { openAPIConstant.serve(c) }

var openAPIConstant = newConstant(openAPIDoc)

// seesReadiness reports whether the caller may read /readyz's details: a
// platform admin, or a probe on the host itself: a loopback client address
// (trusted-proxy aware) on a request no proxy relayed (no forwarding
// header), so a proxy on the same host does not make everyone local.
func (s *Server) seesReadiness(c *gin.Context) bool {
	if actor(c).IsAdmin() {
		return true
	}
	h := c.Request.Header
	if h.Get("X-Forwarded-For") != "" || h.Get("Forwarded") != "" || h.Get("X-Real-IP") != "" {
		return false
	}
	ip, err := netip.ParseAddr(s.ClientIP(c.Request))
	return err == nil && ip.IsLoopback()
}
