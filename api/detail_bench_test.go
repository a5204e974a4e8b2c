package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"techbridge/api/kv"
	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
)

// BenchmarkOutcomeDetail serves anonymous GET /api/v1/outcomes/{id} through
// the whole handler (middleware, response cache, store, JSON) without a
// network, from many goroutines, as `techbridge bench api`'s uncached detail
// row does: `go test -run - -bench OutcomeDetail -cpu 2 ./api`. The reads
// go round more outcomes than the response cache keeps, so an answer is
// evicted before its id comes back: every read is the database's and is
// captured, as there.
func BenchmarkOutcomeDetail(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchOutcomeDetail(b, sqltest.MustOpen(b)) })
	b.Run("postgres", func(b *testing.B) { benchOutcomeDetail(b, sqltest.MustOpenPostgres(b)) })
}

func benchOutcomeDetail(b *testing.B, db *sqlstore.DB) {
	srv := newServerOn(b, db, kv.NewMemory(), Config{RateLimit: 1 << 30, CacheTTL: DefaultCacheTTL})
	srv.Metrics = NewMetrics()
	ids := seedPublishedOutcomes(b, db, MaxCachedResponses+1000)
	var next atomic.Uint64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		w := &benchWriter{h: http.Header{}}
		for pb.Next() {
			i := next.Add(1)
			r := httptest.NewRequest(http.MethodGet, "/api/v1/outcomes/"+ids[i%uint64(len(ids))], nil)
			clear(w.h)
			w.status = 0
			srv.ServeHTTP(w, r)
			if w.status != http.StatusOK {
				b.Fatalf("status %d", w.status)
			}
		}
	})
	if hits, _ := srv.CacheCounts(); hits > 0 {
		b.Fatalf("%d reads came from the response cache", hits)
	}
}

// seedPublishedOutcomes stores n published outcomes of one organisation.
func seedPublishedOutcomes(tb testing.TB, db *sqlstore.DB, n int) []string {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	org := &market.Organization{ID: market.NewID(), Kind: market.OrgUniversity, NameZH: "机构", Region: "上海市",
		CreditCode: sqltest.ValidCreditCode(77), Verification: market.VerificationVerified, CreatedAt: t0, UpdatedAt: t0, Version: 1}
	ids := make([]string, n)
	err := db.Update(tb.Context(), func(tx market.Tx) error {
		if err := tx.CreateOrganization(org); err != nil {
			return err
		}
		for i := range ids {
			pub := t0.Add(time.Duration(i) * time.Minute)
			o := &market.Outcome{ListingMeta: market.ListingMeta{ID: market.NewID(), OrgID: org.ID, Status: market.ListingPublished,
				CreatedBy: "acc", CreatedAt: t0, UpdatedAt: pub, PublishedAt: &pub, Version: 2}, ExternalID: fmt.Sprintf("B%d", i),
				Title: "固态电池电解质", Summary: "一种用于固态锂电池的复合电解质及其制备方法", Description: "详情：" + fmt.Sprint(i),
				Keywords: []string{"电池", "电解质"}, Field: "energy_storage", IPC: []string{"H01M 10/54", "H01M"}, TRL: 5,
				IPType: market.IPInventionPatent, PatentNumbers: []string{"CN114081026A"}, LegalStatus: market.LegalGranted,
				TransferModes: []string{market.TransferAssignment}, Price: market.Money{Min: 100_000_00, Max: 500_000_00, Currency: "CNY"},
				Confidentiality: market.ConfidentialityPublic, FreshUntil: time.Date(2027, 11, 29, 0, 0, 0, 0, time.UTC)}
			if err := tx.CreateOutcome(o); err != nil {
				return err
			}
			ids[i] = o.ID
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return ids
}

// benchWriter is a ResponseWriter that keeps only the headers and the status.
type benchWriter struct {
	h      http.Header
	status int
}

func (w *benchWriter) Header() http.Header { return w.h }
func (w *benchWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *benchWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(p), nil
}
