package api

import (
	"net/http"
)

// withHead answers HEAD on every GET route (RFC 9110 §9.3.2): the request
// runs as the GET, so status and headers (ETag, Content-Type,
// Content-Length) are the GET's, and the body is dropped. One wrapper
// rather than a HEAD route beside each GET keeps the route table as is.
func withHead(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		get := r.Clone(r.Context())
		get.Method = http.MethodGet
		next.ServeHTTP(headWriter{w}, get)
	})
}

// headWriter keeps the headers and status of a response and drops its body.
type headWriter struct{ http.ResponseWriter }

func (h headWriter) Write(b []byte) (int, error) { return len(b), nil }

// WriteString is io.StringWriter, which gin prefers when present.
func (h headWriter) WriteString(s string) (int, error) { return len(s), nil }
