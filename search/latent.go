package search

import (
	"context"
	"hash/fnv"
	"math"
	"math/rand"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/gonum/mat"
)

// Latent semantics: most listings that serve a need share no word with its
// title (a metallurgy title on 钒钛磁铁精矿 and the metallurgy abstracts of
// the csl set share at most 研究), so no weighting of the query's words
// reaches them. Latent semantic analysis bridges that vocabulary from the
// market's own listings: a truncated singular value decomposition of the
// idf-weighted term × listing matrix places listings whose words occur
// together across the corpus near each other, and a query folded into that
// space finds them without a shared word. The pipeline (Service) adds the
// cosine to its scores where the class vote has nothing to say (best hits
// without IPC classes); a hit it brings without a word of the query says so
// (Hit.Related).

// Latent is one computed model: listing vectors (U·Σ, unit length) and the
// projection that folds a query's term weights into their space.
type Latent struct {
	k      int
	ids    []string
	pos    map[string]int
	docs   []float32 // len(ids) × k
	terms  map[string]int
	names  []string // by term index
	reason []bool   // by term index: reasonTerm of its name
	idf    []float64
	proj   []float32 // terms × k: V·Σ⁻¹·Σ, so a folded query compares with U·Σ
	// strong holds, per listing, the indices of its relatedCands strongest
	// terms that can be a reason (-1 pads), the candidates of Related.
	strong []int32
}

// relatedCands is how many of a listing's terms the model keeps as the
// candidates of its reasons (Related): its strongest by tf·idf, whole terms
// only. A reason is then chosen without cutting the listing's text or
// looking its terms up per query (on the csl set that lookup was a fifth
// of a search's time), and it is a term that weighs in the listing.
const relatedCands = 12

// LatentDims is the model's dimension: on the csl set (697 listings) 30 and
// 50 dimensions gave P@10 0.208–0.214 and 0.203–0.212 over four random
// seeds in the offline prototype, 100 gave 0.199–0.205.
const LatentDims = 30

// latentDims is the dimension for n listings: LatentDims, and in a small
// market a third of its listings, since a space nearly as large as the
// market reduces nothing and relates no listing to words it lacks. Below
// two dimensions (fewer than six listings) there is no model: on a line
// every listing's cosine to a query is 1 or -1, so half the market would
// join every query.
func latentDims(n int) int { return min(LatentDims, n/3) }

// latentCut adds the terms of text to out at weight w: CJK bigrams and, for
// runs of two or more, their characters (without particles) — characters
// carry most of what links a field's vocabulary (without them the csl
// prototype fell from 0.21 to 0.18) — and lower-cased Latin words without
// function words or numbers.
func latentCut(text string, out map[string]float64, w float64) {
	eachRunAndWord(text, func(run []rune) {
		for i := 0; i+1 < len(run); i++ {
			out[string(run[i:i+2])] += w
		}
		for _, c := range run {
			if !cjkParticle[c] {
				out[string(c)] += w
			}
		}
	}, func(word string) { out[word] += w })
}

// latentDocTerms cuts a listing: title and keywords count twice, as in the
// engine's text field.
func latentDocTerms(d Document) map[string]float64 {
	tf := map[string]float64{}
	latentCut(d.Title, tf, 2)
	latentCut(d.TitleAlt, tf, 2)
	latentCut(strings.Join(d.Keywords, " "), tf, 2)
	latentCut(d.Summary, tf, 1)
	latentCut(d.SummaryAlt, tf, 1)
	latentCut(d.Description, tf, 1)
	return tf
}

// BuildLatent computes a model of k dimensions over docs.
func BuildLatent(docs []Document, k int) *Latent {
	var m latentMatrix
	for _, d := range docs {
		m.add(d)
	}
	l := m.build(k)
	for _, d := range docs {
		l.add(d)
	}
	return l
}

// A model is computed from at most latentSample listings (a deterministic
// sample by id hash in a larger market; every listing is then placed in
// it) and its latentVocab commonest terms, which bounds what a build holds
// at once. At 100,000 synthetic listings a build took 5.9 s and the model
// holds about 30 MB (k floats a listing and a term, the ids); see the
// README's Performance for what it adds to the process.
const (
	latentSample = 10000
	latentVocab  = 30000
)

// sampled reports whether the listing id is in a sample of the given rate.
func sampled(id string, rate float64) bool {
	if rate >= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	return float64(h.Sum32()%1_000_000) < rate*1_000_000
}

// latentMatrix gathers listings' term counts, a row per listing, with the
// terms interned.
type latentMatrix struct {
	ids    []string
	rowPtr []int
	cols   []int32
	tf     []float32
	dict   map[string]int32
	names  []string
}

func (m *latentMatrix) add(d Document) {
	if m.dict == nil {
		m.dict, m.rowPtr = map[string]int32{}, []int{0}
	}
	tf := latentDocTerms(d)
	terms := make([]string, 0, len(tf))
	for t := range tf {
		terms = append(terms, t)
	}
	sort.Strings(terms) // the same sums in the same order: a repeatable model
	for _, t := range terms {
		c := tf[t]
		j, ok := m.dict[t]
		if !ok {
			j = int32(len(m.names))
			m.dict[t] = j
			m.names = append(m.names, t)
		}
		m.cols, m.tf = append(m.cols, j), append(m.tf, float32(c))
	}
	m.ids = append(m.ids, d.ID)
	m.rowPtr = append(m.rowPtr, len(m.cols))
}

// build computes the model. The SVD is randomized (Halko, Martinsson and
// Tropp 2011: a Gaussian sketch of k+10 columns, four power iterations),
// seeded, so the same listings give the same model.
func (m *latentMatrix) build(k int) *Latent {
	n := len(m.ids)
	df := make([]int, len(m.names))
	for _, c := range m.cols {
		df[c]++
	}
	l := &Latent{pos: map[string]int{}, terms: map[string]int{}}
	// A term in one listing links nothing; the latentVocab commonest terms
	// are kept, in sorted order, so a build is repeatable.
	var keep []string
	for t, c := range df {
		if c >= 2 {
			keep = append(keep, m.names[t])
		}
	}
	sort.Slice(keep, func(a, b int) bool {
		da, db := df[m.dict[keep[a]]], df[m.dict[keep[b]]]
		if da != db {
			return da > db
		}
		return keep[a] < keep[b]
	})
	keep = keep[:min(len(keep), latentVocab)]
	sort.Strings(keep)
	remap := make([]int32, len(m.names))
	for i := range remap {
		remap[i] = -1
	}
	for _, t := range keep {
		remap[m.dict[t]] = int32(len(l.idf))
		l.terms[t] = len(l.idf)
		l.names = append(l.names, t)
		l.reason = append(l.reason, reasonTerm(t))
		l.idf = append(l.idf, math.Log(float64(n)/float64(df[m.dict[t]])))
	}
	m.dict, m.names = nil, nil
	v := len(l.idf)
	// The matrix: (1 + log tf) · idf, rows of unit length, as CSR.
	rowPtr := make([]int, n+1)
	cols := make([]int32, 0, len(m.cols))
	vals := make([]float32, 0, len(m.cols))
	for i := 0; i < n; i++ {
		start := len(vals)
		var norm float64
		for q := m.rowPtr[i]; q < m.rowPtr[i+1]; q++ {
			if c := remap[m.cols[q]]; c >= 0 {
				x := (1 + math.Log(float64(m.tf[q]))) * l.idf[c]
				cols, vals = append(cols, c), append(vals, float32(x))
				norm += x * x
			}
		}
		if norm > 0 {
			norm = math.Sqrt(norm)
			for p := start; p < len(vals); p++ {
				vals[p] /= float32(norm)
			}
		}
		rowPtr[i+1] = len(vals)
	}
	m.cols, m.tf, m.rowPtr = nil, nil, nil
	p := min(k+10, n, v)
	k = min(k, p)
	l.k = k
	if k == 0 {
		return l
	}
	rng := rand.New(rand.NewSource(1))
	gauss := make([]float64, v*p)
	for i := range gauss {
		gauss[i] = rng.NormFloat64()
	}
	z := &dense{mat.NewDense(v, p, gauss)}
	mulX := func(z *dense) *dense { // X·Z, n × p
		y := newDense(n, p)
		for i := 0; i < n; i++ {
			row := y.row(i)
			for q := rowPtr[i]; q < rowPtr[i+1]; q++ {
				axpy(float64(vals[q]), z.row(int(cols[q])), row)
			}
		}
		return y
	}
	mulXT := func(y *dense) *dense { // Xᵀ·Y, v × p
		out := newDense(v, p)
		for i := 0; i < n; i++ {
			yr := y.row(i)
			for q := rowPtr[i]; q < rowPtr[i+1]; q++ {
				axpy(float64(vals[q]), yr, out.row(int(cols[q])))
			}
		}
		return out
	}
	y := mulX(z)
	y.orthonormalize()
	for it := 0; it < 4; it++ {
		t := mulXT(y)
		t.orthonormalize()
		y = mulX(t)
		y.orthonormalize()
	}
	bt := mulXT(y) // Bᵀ = Xᵀ·Y, v × p; X ≈ Y·B
	// B·Bᵀ = W·Λ·Wᵀ (p × p); then X ≈ (Y·W)·Σ·(Bᵀ·W·Σ⁻¹)ᵀ.
	g := make([]float64, p*p)
	for r := 0; r < v; r++ {
		row := bt.row(r)
		for i := 0; i < p; i++ {
			if row[i] == 0 {
				continue
			}
			axpy(row[i], row, g[i*p:(i+1)*p])
		}
	}
	lam, w := symEigen(g, p) // descending
	y = nil
	s := make([]float64, k)
	for j := range s {
		s[j] = math.Sqrt(math.Max(lam[j], 1e-12))
	}
	// Folding q into U·Σ's space is q·V (V = Bᵀ·W·Σ⁻¹).
	l.proj = make([]float32, v*k)
	for r := 0; r < v; r++ {
		row := bt.row(r)
		for j := 0; j < k; j++ {
			var x float64
			for c := 0; c < p; c++ {
				x += row[c] * w[c*p+j]
			}
			l.proj[r*k+j] = float32(x / s[j])
		}
	}
	return l
}

// add places a listing in the model: its idf-weighted terms folded into
// the space (x·V, which is its row of U·Σ when it was in the matrix).
func (l *Latent) add(d Document) {
	if l.k == 0 {
		return
	}
	if _, ok := l.pos[d.ID]; ok {
		return
	}
	// The listing's strongest terms that can be a reason (the candidates
	// of Related) are its largest weights in the fold; ties go to the
	// lower index, so a build is repeatable.
	type cand struct {
		j int32
		w float64
	}
	top := make([]cand, 0, relatedCands+1)
	v := l.fold(latentDocTerms(d), func(j int, w float64) {
		if l.reason[j] {
			top = insertTop(top, cand{int32(j), w}, relatedCands, func(a, b cand) bool {
				return a.w > b.w || (a.w == b.w && a.j < b.j)
			})
		}
	})
	l.pos[d.ID] = len(l.ids)
	l.ids = append(l.ids, d.ID)
	for _, x := range v { // a listing without a term of the model stays at 0
		l.docs = append(l.docs, float32(x))
	}
	for i := range relatedCands {
		j := int32(-1)
		if i < len(top) {
			j = top[i].j
		}
		l.strong = append(l.strong, j)
	}
}

// insertTop inserts x into top, kept sorted by before and at most n long.
func insertTop[T any](top []T, x T, n int, before func(a, b T) bool) []T {
	if len(top) == n && !before(x, top[n-1]) {
		return top
	}
	i := sort.Search(len(top), func(i int) bool { return before(x, top[i]) })
	top = append(top, x)
	copy(top[i+1:], top[i:])
	top[i] = x
	return top[:min(len(top), n)]
}

// reasonTerm reports whether a term of the model can be a reason: a
// bigram of Han characters that is no function word and holds no
// particle, or a Latin word (latentCut already leaves function words out);
// a single character says too little.
func reasonTerm(t string) bool {
	r, size := utf8.DecodeRuneInString(t)
	if !unicode.Is(unicode.Han, r) {
		return true
	}
	r2, size2 := utf8.DecodeRuneInString(t[size:])
	return size2 > 0 && size+size2 == len(t) && !cjkStop[t] && !cjkParticle[r] && !cjkParticle[r2]
}

// fold sums the projections of terms weighted by (1 + log count)·idf, to
// unit length; a vector of zeros when no term is in the model. each, when
// set, is given every term of the model with its weight.
func (l *Latent) fold(tf map[string]float64, each func(j int, w float64)) []float64 {
	terms := make([]string, 0, len(tf))
	for t := range tf {
		terms = append(terms, t)
	}
	sort.Strings(terms) // the same sums in the same order: a repeatable model
	q := make([]float64, l.k)
	for _, t := range terms {
		j, ok := l.terms[t]
		if !ok {
			continue
		}
		x := (1 + math.Log(tf[t])) * l.idf[j]
		if each != nil {
			each(j, x)
		}
		for d, p := range l.proj[j*l.k : (j+1)*l.k] {
			q[d] += x * float64(p)
		}
	}
	unit(q)
	return q
}

// Len is the number of listings in the model.
func (l *Latent) Len() int { return len(l.ids) }

// Fold places text in the model's space (unit length); nil when no term of
// text is in the model.
func (l *Latent) Fold(text string) []float64 {
	if l == nil || l.k == 0 {
		return nil
	}
	tf := map[string]float64{}
	latentCut(text, tf, 1)
	q := l.fold(tf, nil)
	for _, x := range q {
		if x != 0 {
			return q
		}
	}
	return nil
}

// Cosine is the cosine of a folded query to the listing id, 0 when the
// model does not hold it.
func (l *Latent) Cosine(q []float64, id string) float64 {
	i, ok := l.pos[id]
	if !ok || q == nil {
		return 0
	}
	var c float64
	for d, x := range l.docs[i*l.k : (i+1)*l.k] {
		c += float64(x) * q[d]
	}
	return c
}

// Near returns the n listings nearest a folded query whose cosine is at
// least floor, best first, skipping those in skip.
func (l *Latent) Near(q []float64, n int, floor float64, skip map[string]bool) []LatentHit {
	if q == nil || n <= 0 {
		return nil
	}
	top := make([]LatentHit, 0, n+1)
	for i, id := range l.ids {
		var c float64
		for d, x := range l.docs[i*l.k : (i+1)*l.k] {
			c += float64(x) * q[d]
		}
		if c < floor || (len(top) == n && c <= top[n-1].Cos) || skip[id] {
			continue
		}
		top = insertTop(top, LatentHit{ID: id, Cos: c}, n, func(a, b LatentHit) bool { return a.Cos > b.Cos })
	}
	return top
}

// LatentHit is a listing near a query in the latent space.
type LatentHit struct {
	ID  string
	Cos float64
}

// Related returns up to n terms of the listing id nearest the folded
// query, chosen among its strongest (relatedCands; bigrams and words, never
// a single character or a function word): what a hit that holds no word of
// the query has in common with its topic. Nil when the model does not hold
// the listing.
func (l *Latent) Related(q []float64, id string, n int) []string {
	i, ok := l.pos[id]
	if !ok || q == nil || n <= 0 {
		return nil
	}
	type scored struct {
		j int32
		s float64
	}
	top := make([]scored, 0, n+1)
	for _, j := range l.strong[i*relatedCands : (i+1)*relatedCands] {
		if j < 0 {
			break
		}
		var s float64
		for c, p := range l.proj[int(j)*l.k : (int(j)+1)*l.k] {
			s += float64(p) * q[c]
		}
		if s *= l.idf[j]; s > 0 {
			top = insertTop(top, scored{j, s}, n, func(a, b scored) bool {
				return a.s > b.s || (a.s == b.s && l.names[a.j] < l.names[b.j])
			})
		}
	}
	out := make([]string, len(top))
	for k, x := range top {
		out[k] = l.names[x.j]
	}
	return out
}

// LatentIndex keeps the model of an engine's listings current: writes
// mark it stale (Changed), and Run recomputes it in the background from
// every indexed listing, read through each, once writes settle. A build
// holds the listings' term counts only while it runs; the model kept is
// k floats a listing and k a term. Queries read the last complete model
// meanwhile, so a listing indexed since ranks by its words alone until the
// next build, and a deleted one is dropped when its page is read. Safe for
// concurrent use.
type LatentIndex struct {
	each    func(ctx context.Context, keep func(id string) bool, fn func([]Document)) error
	count   func(ctx context.Context) (int, error)
	changes atomic.Uint64 // counts Changed and Purge calls
	mu      sync.Mutex    // serialises builds
	built   uint64        // changes the current model reflects
	cost    time.Duration // how long the last build took
	wake    chan struct{}
	model   atomic.Pointer[Latent]
}

// NewLatentIndex returns an index whose builds read the listings through
// each, which calls fn with every indexed listing whose id keep accepts
// (every one when keep is nil), a batch at a time, and count, which says
// how many there are.
func NewLatentIndex(each func(ctx context.Context, keep func(id string) bool, fn func([]Document)) error, count func(ctx context.Context) (int, error)) *LatentIndex {
	x := &LatentIndex{each: each, count: count, wake: make(chan struct{}, 1)}
	x.changes.Store(1) // what is indexed already is not in a model yet
	x.poke()
	return x
}

// Changed marks the model stale: listings were indexed or deleted.
func (x *LatentIndex) Changed() {
	x.changes.Add(1)
	x.poke()
}

// Purge drops the model (the index was reset).
func (x *LatentIndex) Purge() {
	x.model.Store(nil)
	x.Changed()
}

func (x *LatentIndex) poke() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// Model is the last complete model, nil before the first build or when
// nothing is indexed.
func (x *LatentIndex) Model() *Latent { return x.model.Load() }

// Rebuild computes the model from the listings indexed now, unless it
// already reflects every change.
func (x *LatentIndex) Rebuild(ctx context.Context) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	changes := x.changes.Load()
	if changes == x.built {
		return nil
	}
	start := time.Now()
	n, err := x.count(ctx)
	if err != nil {
		return err
	}
	rate := float64(latentSample) / float64(max(n, 1))
	var m latentMatrix
	err = x.each(ctx, func(id string) bool { return sampled(id, rate) }, func(docs []Document) {
		for _, d := range docs {
			m.add(d)
		}
	})
	if err != nil {
		return err
	}
	var model *Latent
	if k := latentDims(len(m.ids)); k >= 2 {
		model = m.build(k)
		m = latentMatrix{}
		if err := x.each(ctx, nil, func(docs []Document) {
			for _, d := range docs {
				model.add(d)
			}
		}); err != nil {
			return err
		}
	}
	x.built, x.cost = changes, time.Since(start)
	x.model.Store(model)
	return nil
}

// Run rebuilds the model after changes until ctx ends: once writes have
// been quiet for a wait, or six waits into steady writes (a bulk import),
// where a wait is interval and at least ten times the last build's cost,
// so a market under steady writes spends at most a tenth of a core on it.
func (x *LatentIndex) Run(ctx context.Context, interval time.Duration) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-x.wake:
		}
		x.mu.Lock()
		wait := max(interval, 10*x.cost)
		x.mu.Unlock()
		for first := time.Now(); ; {
			seen := x.changes.Load()
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			if x.changes.Load() == seen || time.Since(first) >= 6*wait {
				break
			}
		}
		x.Rebuild(ctx) // a failed build keeps the last model; the next change retries
	}
}

// dense is a row-major matrix (gonum's Dense; RawRowView is a row in place).
type dense struct{ *mat.Dense }

func newDense(r, c int) *dense { return &dense{mat.NewDense(r, c, nil)} }

func (m *dense) row(i int) []float64 { return m.RawRowView(i) }

// orthonormalize replaces the columns by an orthonormal basis of their
// span: the left singular vectors of a thin SVD (gonum's QR would build the
// whole square Q, 30,000² for the vocabulary's side).
func (m *dense) orthonormalize() {
	var svd mat.SVD
	if !svd.Factorize(m.Dense, mat.SVDThinU) {
		return // no convergence: keep the columns; the next power iteration retries
	}
	var u mat.Dense
	svd.UTo(&u)
	// Directions the columns do not span (a sketch wider than the matrix's
	// rank, as in a small market) are left zero rather than made up.
	sv := svd.Values(nil)
	for j, v := range sv {
		if v <= 1e-10*sv[0] {
			for i := range m.r() {
				u.Set(i, j, 0)
			}
		}
	}
	m.Copy(&u)
}

func (m *dense) r() int { r, _ := m.Dims(); return r }

// axpy adds a·x to y.
func axpy(a float64, x, y []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}

// unit scales v to unit length and returns its former length.
func unit(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x * x
	}
	s = math.Sqrt(s)
	if s > 0 {
		for i := range v {
			v[i] /= s
		}
	}
	return s
}

// symEigen returns the eigenvalues of the symmetric n × n matrix a (row
// major), descending, and the eigenvectors as the columns of w (gonum).
func symEigen(a []float64, n int) ([]float64, []float64) {
	var es mat.EigenSym
	if !es.Factorize(mat.NewSymDense(n, append([]float64(nil), a...)), true) {
		return make([]float64, n), make([]float64, n*n)
	}
	asc := es.Values(nil)
	var vec mat.Dense
	es.VectorsTo(&vec)
	lam, w := make([]float64, n), make([]float64, n*n)
	for j := range n {
		o := n - 1 - j
		lam[j] = asc[o]
		for i := range n {
			w[i*n+j] = vec.At(i, o)
		}
	}
	return lam, w
}
