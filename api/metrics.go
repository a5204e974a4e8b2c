package api

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the Prometheus collectors of the server: requests and their
// latency per route pattern and status class, requests in flight, and
// rate-limit refusals per class; the binary adds gauges read at scrape time
// (database pools, the password-hash queue, consumer lags) with Gauge.
type Metrics struct {
	Registry     *prometheus.Registry
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	inFlight     prometheus.Gauge
	rateRejected *prometheus.CounterVec
	// series caches each (route, method, status class)'s counter and
	// histogram, so a request skips hashing its labels into the vectors.
	series sync.Map // seriesKey → *series
}

type seriesKey struct {
	route, method string
	class         int
}

type series struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

// NewMetrics returns collectors registered in a registry of their own, with
// the Go runtime's and the process's.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "techbridge_http_requests_total",
			Help: "HTTP requests by route pattern, method and status class."}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "techbridge_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern, method and status class.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"route", "method", "status"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Name: "techbridge_http_requests_in_flight",
			Help: "HTTP requests being served."}),
		rateRejected: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "techbridge_rate_limit_rejections_total",
			Help: "Requests refused by a rate limit, by class."}, []string{"class"}),
	}
	m.Registry.MustRegister(m.requests, m.latency, m.inFlight, m.rateRejected,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Gauge registers a gauge read when scraped.
func (m *Metrics) Gauge(name, help string, f func() float64) {
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
}

// Counter registers a counter read when scraped (f must never decrease).
func (m *Metrics) Counter(name, help string, f func() float64) {
	m.Registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f))
}

// observe records one request; route is its pattern ("unmatched" when none
// matched, so a scan of random paths cannot grow the label set).
func (m *Metrics) observe(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	key := seriesKey{route, method, status / 100}
	v, ok := m.series.Load(key)
	if !ok {
		class := strconv.Itoa(key.class) + "xx"
		v, _ = m.series.LoadOrStore(key, &series{m.requests.WithLabelValues(route, method, class), m.latency.WithLabelValues(route, method, class)})
	}
	se := v.(*series)
	se.requests.Inc()
	se.latency.Observe(took.Seconds())
}

// rejected counts a rate-limit refusal.
func (m *Metrics) rejected(class string) {
	if m != nil {
		m.rateRejected.WithLabelValues(class).Inc()
	}
}

// Handler serves the metrics in the Prometheus text format; with a token,
// only to callers presenting it as a bearer token.
func (m *Metrics) Handler(token string) http.Handler {
	h := promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
	if token == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics need the bearer token", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// instrument counts and times every API request by its route pattern.
func (s *Server) instrument(c *gin.Context) {
	if s.Metrics == nil {
		c.Next()
		return
	}
	start := time.Now()
	s.Metrics.inFlight.Inc()
	defer s.Metrics.inFlight.Dec()
	c.Next()
	s.Metrics.observe(c.FullPath(), c.Request.Method, c.Writer.Status(), time.Since(start))
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
