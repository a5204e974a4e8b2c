package main

import (
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"techbridge/api/contracttest"
)

var (
	checkerOnce sync.Once
	checker     *contracttest.Checker
	checkerErr  error
)

// apiHTTP returns an HTTP client for the API of a running serve whose
// exchanges are checked against the OpenAPI document that serve answers
// at /api/openapi.json; a violation fails t.
func apiHTTP(t *testing.T, anyURL string) *http.Client {
	t.Helper()
	u, err := url.Parse(anyURL)
	if err != nil {
		t.Fatal(err)
	}
	checkerOnce.Do(func() {
		var res *http.Response
		if res, checkerErr = http.Get(u.Scheme + "://" + u.Host + "/api/openapi.json"); checkerErr != nil {
			return
		}
		defer res.Body.Close()
		var doc []byte
		if doc, checkerErr = io.ReadAll(res.Body); checkerErr != nil {
			return
		}
		checker, checkerErr = contracttest.New(doc)
	})
	if checkerErr != nil {
		t.Fatal(checkerErr)
	}
	return &http.Client{Timeout: 30 * time.Second,
		Transport: checker.Transport(nil, func(err error) { t.Errorf("contract: %v", err) })}
}
