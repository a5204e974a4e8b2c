package search

import (
	"context"
	"math"
	"math/rand"
	"slices"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"
)

// TestSymEigen: the eigen-decomposition the randomized SVD ends with
// rebuilds its matrix, with eigenvalues in descending order.
func TestSymEigen(t *testing.T) {
	const n = 7
	rng := rand.New(rand.NewSource(3))
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j <= i; j++ {
			x := rng.NormFloat64()
			a[i*n+j], a[j*n+i] = x, x
		}
	}
	lam, w := symEigen(a, n)
	for i := 1; i < n; i++ {
		if lam[i] > lam[i-1] {
			t.Fatalf("eigenvalues not descending: %v", lam)
		}
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var x float64
			for k := 0; k < n; k++ {
				x += w[i*n+k] * lam[k] * w[j*n+k]
			}
			if math.Abs(x-a[i*n+j]) > 1e-9 {
				t.Fatalf("W·Λ·Wᵀ[%d][%d] = %g, want %g", i, j, x, a[i*n+j])
			}
		}
	}
}

func latentDocs() []Document {
	titles := []string{
		"钒钛磁铁精矿 冶金 焙烧 还原", "钒钛磁铁精矿 冶金 炉渣 高炉", "高炉 炉渣 焙烧 还原 冶金",
		"deep learning image recognition", "convolutional neural network image", "speech recognition neural network",
		"电池 电解液 正极 材料", "锂电池 电解液 负极 材料", "电池 负极 正极 隔膜",
	}
	docs := make([]Document, len(titles))
	for i, title := range titles {
		docs[i] = Document{ID: string(rune('a' + i)), Title: title}
	}
	return docs
}

// TestLatentIsRepeatable: the same listings give the same model, so a
// rebuild does not reorder results by chance.
func TestLatentIsRepeatable(t *testing.T) {
	a, b := BuildLatent(latentDocs(), 3), BuildLatent(latentDocs(), 3)
	qa, qb := a.Fold("钒钛磁铁精矿"), b.Fold("钒钛磁铁精矿")
	if qa == nil || !slices.Equal(qa, qb) {
		t.Fatalf("folded queries differ: %v %v", qa, qb)
	}
	for _, d := range latentDocs() {
		if a.Cosine(qa, d.ID) != b.Cosine(qb, d.ID) {
			t.Fatalf("cosine of %s differs", d.ID)
		}
	}
}

// TestLatentNearAndRelated: the topic's listing without the query's words
// is nearer than other topics', and its reason names whole terms, never a
// single character or a function word.
func TestLatentNearAndRelated(t *testing.T) {
	docs := latentDocs()
	l := BuildLatent(docs, 3)
	q := l.Fold("钒钛磁铁精矿")
	near := l.Near(q, 3, -1, map[string]bool{"a": true, "b": true})
	if len(near) != 3 || near[0].ID != "c" {
		t.Fatalf("near %v, want c first", near)
	}
	if l.Cosine(q, "c") <= l.Cosine(q, "g") || l.Cosine(q, "c") <= l.Cosine(q, "d") {
		t.Fatalf("c %.3f not nearer than g %.3f and d %.3f", l.Cosine(q, "c"), l.Cosine(q, "g"), l.Cosine(q, "d"))
	}
	rel := l.Related(q, docs[2].ID, 3)
	if len(rel) == 0 {
		t.Fatal("no related terms for c")
	}
	for _, r := range rel {
		if utf8.RuneCountInString(r) < 2 || stopWords[r] || cjkStop[r] {
			t.Errorf("related term %q", r)
		}
	}
	if l.Fold("quantum") != nil {
		t.Error("a query without a term of the model folds to a vector")
	}
}

// BenchmarkLatent100k is the latent pass's own cost at 100,000 listings
// without classes (where it runs): folding a title and finding the 100
// nearest listings, per query; the build (a sample of 20,000, then every
// listing placed) is reported as build-s.
//
//	go test -run - -bench Latent100k -benchtime 200x ./search/
func BenchmarkLatent100k(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	const topics, perTopic = 200, 40
	vocab := make([]string, topics*perTopic)
	for i := range vocab {
		vocab[i] = string([]rune{rune(0x4e00 + rng.Intn(20000)), rune(0x4e00 + rng.Intn(20000))})
	}
	text := func(n int) string {
		t := rng.Intn(topics)
		var sb []rune
		for range n {
			w := vocab[t*perTopic+rng.Intn(perTopic)]
			if rng.Intn(4) == 0 {
				w = vocab[rng.Intn(len(vocab))]
			}
			sb = append(sb, []rune(w)...)
			sb = append(sb, '，')
		}
		return string(sb)
	}
	docs := make([]Document, 100000)
	for i := range docs {
		docs[i] = Document{ID: "d" + strconv.Itoa(i), Title: text(6), Summary: text(40)}
	}
	queries := make([]string, 100)
	for i := range queries {
		queries[i] = text(6)
	}
	x := NewLatentIndex(func(_ context.Context, keep func(string) bool, fn func([]Document)) error {
		var batch []Document
		for _, d := range docs {
			if keep == nil || keep(d.ID) {
				batch = append(batch, d)
			}
		}
		for i := 0; i < len(batch); i += 1000 {
			fn(batch[i:min(i+1000, len(batch))])
		}
		return nil
	}, func(context.Context) (int, error) { return len(docs), nil })
	start := time.Now()
	if err := x.Rebuild(context.Background()); err != nil {
		b.Fatal(err)
	}
	build := time.Since(start)
	l := x.Model()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := l.Fold(queries[i%len(queries)])
		l.Near(q, 100, -1, nil)
	}
	b.ReportMetric(build.Seconds(), "build-s")
}

// TestLatentIndexNeedsTwoDimensions: a market too small for a space of two
// dimensions (fewer than six listings) gets no model, where a line would
// give every listing a cosine of 1 or -1 to any query and let half the
// market join it; six listings get one.
func TestLatentIndexNeedsTwoDimensions(t *testing.T) {
	for n, want := range map[int]bool{4: false, 5: false, 6: true} {
		docs := latentDocs()[:n]
		x := NewLatentIndex(func(_ context.Context, keep func(string) bool, fn func([]Document)) error {
			var out []Document
			for _, d := range docs {
				if keep == nil || keep(d.ID) {
					out = append(out, d)
				}
			}
			fn(out)
			return nil
		}, func(context.Context) (int, error) { return len(docs), nil })
		if err := x.Rebuild(t.Context()); err != nil {
			t.Fatal(err)
		}
		if got := x.Model() != nil; got != want {
			t.Errorf("%d listings: model %v, want %v", n, got, want)
		}
	}
}

// TestRelatedIsChosenAmongTheStrongTerms: a reason is one of the listing's
// strongest terms kept by the model, and a listing the model does not hold
// has none.
func TestRelatedIsChosenAmongTheStrongTerms(t *testing.T) {
	docs := latentDocs()
	l := BuildLatent(docs, 3)
	q := l.Fold("钒钛磁铁精矿")
	for _, d := range docs {
		i := l.pos[d.ID]
		strong := map[string]bool{}
		for _, j := range l.strong[i*relatedCands : (i+1)*relatedCands] {
			if j >= 0 {
				strong[l.names[j]] = true
			}
		}
		for _, r := range l.Related(q, d.ID, 3) {
			if !strong[r] || !reasonTerm(r) {
				t.Errorf("%s: related term %q is not among its strong terms %v", d.ID, r, strong)
			}
		}
	}
	if got := l.Related(q, "not-in-the-model", 3); got != nil {
		t.Errorf("a listing outside the model has related terms %v", got)
	}
	for _, tc := range []struct {
		term string
		ok   bool
	}{{"钒钛", true}, {"钒", false}, {"的研", false}, {"vanadium", true}} {
		if reasonTerm(tc.term) != tc.ok {
			t.Errorf("reasonTerm(%q) = %v", tc.term, !tc.ok)
		}
	}
}
