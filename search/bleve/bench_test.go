package bleve

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"techbridge/search"
)

// benchDocs makes n synthetic listings, half Chinese and half English, with
// text lengths like real outcomes (title, a few keywords, a summary).
func benchDocs(n int) []search.Document {
	rng := rand.New(rand.NewPCG(1, 2))
	zh := []rune("锂电池回收正极材料梯次利用储能系统热管理预警无人机植保喷洒土壤传感器秸秆还田装置方法控制算法数据平台")
	en := strings.Fields("lithium battery cathode recycling drone spraying soil sensor control method system " +
		"apparatus device material process network signal data model energy storage thermal")
	zhText := func(k int) string {
		r := make([]rune, k)
		for i := range r {
			r[i] = zh[rng.IntN(len(zh))]
		}
		return string(r)
	}
	enText := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = en[rng.IntN(len(en))]
		}
		return strings.Join(w, " ")
	}
	docs := make([]search.Document, n)
	for i := range docs {
		text := enText
		title, summary := 8, 80
		if i%2 == 0 {
			text, title, summary = zhText, 16, 200
		}
		docs[i] = search.Document{
			ID: fmt.Sprintf("doc-%06d", i), Kind: search.KindOutcome, OrgID: "org", OrgKind: "university",
			Title: text(title), Summary: text(summary), Keywords: []string{text(3), text(3)},
			Field: "energy", IPC: []string{"H01M 10/54"}, TRL: 1 + i%9, Region: "beijing",
			TransferModes: []string{"assignment"}, PriceMin: 100, PriceMax: 200, Currency: "CNY",
			Version: 1, PublishedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		}
	}
	return docs
}

// BenchmarkUpsertVsBareBatch indexes the same documents through Upsert (one
// call: dedupe, one version lookup, rows, one batch) and
// through a bare Bleve batch of the very same rows, prepared outside the
// clock, into an index with the same mapping. It reports bare/upsert, the
// share of Bleve's own speed that Upsert keeps (1 = no overhead).
func BenchmarkUpsertVsBareBatch(b *testing.B) {
	docs := benchDocs(2000)
	var upsert, bare time.Duration
	for b.Loop() {
		e, err := Open("", nil)
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if err := e.Upsert(context.Background(), docs...); err != nil {
			b.Fatal(err)
		}
		upsert += time.Since(t0)
		e.Close()

		m, err := newMapping(defaultAnalysis)
		if err != nil {
			b.Fatal(err)
		}
		idx, err := bleve.NewMemOnly(m)
		if err != nil {
			b.Fatal(err)
		}
		rows := make([]map[string]any, len(docs))
		for i, d := range docs {
			rows[i] = toRow(d, defaultAnalysis)
		}
		t0 = time.Now()
		batch := idx.NewBatch()
		for i, d := range docs {
			if err := batch.Index(d.ID, rows[i]); err != nil {
				b.Fatal(err)
			}
		}
		if err := idx.Batch(batch); err != nil {
			b.Fatal(err)
		}
		bare += time.Since(t0)
		idx.Close()
	}
	b.ReportMetric(float64(bare)/float64(upsert), "bare/upsert")
	b.ReportMetric(float64(upsert.Nanoseconds())/float64(b.N*len(docs)), "upsert-ns/doc")
	b.ReportMetric(float64(bare.Nanoseconds())/float64(b.N*len(docs)), "bare-ns/doc")
}
