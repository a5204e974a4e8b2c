package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestPanicShowsRequestID: a failing page shows a readable 500 with the
// request id, logs the cause, and never shows the panic or a stack.
func TestPanicShowsRequestID(t *testing.T) {
	s := newSite(t)
	var logs bytes.Buffer
	h, err := New(Config{Service: s.svc, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	boom := h.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("secret detail") }))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/x", nil)
	req.Header.Set("Accept-Language", "en")
	boom.ServeHTTP(rec, req)
	body := rec.Body.String()
	if rec.Code != http.StatusInternalServerError || !strings.Contains(body, "Something went wrong") || !strings.Contains(body, "Request id") {
		t.Fatalf("status %d:\n%s", rec.Code, body)
	}
	if strings.Contains(body, "secret detail") || strings.Contains(body, "goroutine") {
		t.Errorf("the page leaks the panic:\n%s", body)
	}
	if !strings.Contains(logs.String(), "secret detail") {
		t.Errorf("the log lacks the cause: %s", logs.String())
	}
}

func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "/",
		"/my/organizations":     "/my/organizations",
		"/login?next=%2F":       "/login?next=%2F",
		"//evil.example/x":      "/",
		"/\\evil.example":       "/",
		"https://evil.example/": "/",
		"javascript:alert(1)":   "/",
		"relative/path":         "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSecurityHeaders: pages may not be framed or run inline script.
func TestSecurityHeaders(t *testing.T) {
	s := newSite(t)
	resp, err := http.Get(s.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'none'") ||
		resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers: %v", resp.Header)
	}
}

// TestDependencyTimeoutShows503: a page whose deadline passed while it
// waited on the database shows a "try again" page with 503 and
// Retry-After, not the internal-error page.
func TestDependencyTimeoutShows503(t *testing.T) {
	s := newSite(t)
	h, err := New(Config{Service: s.svc, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	req := httptest.NewRequest(http.MethodGet, "/outcomes", nil).WithContext(ctx)
	req.Header.Set("Accept-Language", "en")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(rec.Body.String(), "Temporarily unavailable") {
		t.Fatalf("status %d, Retry-After %q:\n%s", rec.Code, rec.Header().Get("Retry-After"), rec.Body.String())
	}
}
