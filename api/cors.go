package api

import (
	"net/http"
	"time"

	"github.com/rs/cors"
)

// corsPolicy lets the listed browser origins call the API (rs/cors, which
// answers preflights and leaves other origins without CORS headers, so the
// browser blocks them; servers and same-origin pages are unaffected).
// Credentials are bearer tokens in Authorization, never cookies, so
// credentialed CORS stays off. The headers a client needs are exposed.
func corsPolicy(origins []string) *cors.Cors {
	return cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut},
		AllowedHeaders: []string{"Authorization", "Content-Type", "If-Match", "X-Request-ID"},
		ExposedHeaders: []string{"ETag", "Location", "Retry-After", "X-Request-ID", "WWW-Authenticate",
			"X-Contract-SHA256", "Content-Disposition"},
		MaxAge: int((10 * time.Minute).Seconds()),
	})
}
