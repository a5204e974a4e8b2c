package bleve

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"techbridge/search"
)

// latentCorpus: a metallurgy topic whose listing "slag" shares no word
// with the title 钒钛磁铁精矿 but shares its vocabulary (冶金, 焙烧, 还原,
// 炉渣, 高炉) with the listings that hold the title's words; two other
// topics; and a scenario of the metallurgy topic.
func latentCorpus(ipc []string) []search.Document {
	d := func(id, kind, text string) search.Document {
		return search.Document{ID: id, Kind: kind, OrgID: "org", OrgKind: "university", Title: text, IPC: ipc, Version: 1}
	}
	return []search.Document{
		d("ore1", search.KindOutcome, "钒钛磁铁精矿 冶金 焙烧 还原"),
		d("ore2", search.KindOutcome, "钒钛磁铁精矿 冶金 炉渣 高炉"),
		d("slag", search.KindOutcome, "高炉 炉渣 焙烧 还原 冶金"),
		d("need", search.KindScenario, "高炉 炉渣 焙烧 还原 冶金"),
		d("ml1", search.KindOutcome, "深度学习 图像 识别 卷积"),
		d("ml2", search.KindOutcome, "卷积 神经网络 图像 分类"),
		d("ml3", search.KindOutcome, "语音 识别 神经网络 学习"),
		d("bat1", search.KindOutcome, "电池 电解液 正极 材料"),
		d("bat2", search.KindOutcome, "锂电池 电解液 负极 材料"),
		d("bat3", search.KindOutcome, "电池 负极 正极 隔膜"),
	}
}

func latentEngine(t *testing.T, docs []search.Document) *Engine {
	t.Helper()
	e := mustOpen(t)
	t.Cleanup(func() { e.Close() })
	if err := e.Upsert(t.Context(), docs...); err != nil {
		t.Fatal(err)
	}
	if err := e.RebuildLatent(t.Context()); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestLatentBringsListingsWithoutTheQuerysWords: a listing of the query's
// topic that holds none of its words is found through the market's latent
// semantics, says which of its terms relate it, and is counted in the
// total; the query's constraints still hold (the scenario of the topic is
// not an outcome), other topics stay out, and without the latent pass the
// listing is not found at all.
func TestLatentBringsListingsWithoutTheQuerysWords(t *testing.T) {
	e := latentEngine(t, latentCorpus(nil))
	q := search.Query{Text: "钒钛磁铁精矿", Kinds: []string{search.KindOutcome}, Limit: 10, Facets: []string{"kind"}}
	res, err := (&search.Service{Engine: e}).Search(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	ids := hitIDs(res)
	if !slices.Contains(ids, "slag") {
		t.Fatalf("hits %v: the metallurgy listing without the title's words is missing", ids)
	}
	for _, h := range res.Hits {
		switch h.ID {
		case "ore1", "ore2":
			if h.Related != nil {
				t.Errorf("%s holds the query's words but is marked related: %v", h.ID, h.Related)
			}
		case "slag":
			if len(h.Related) == 0 || !slices.Contains(h.Related, "冶金") && !slices.Contains(h.Related, "焙烧") &&
				!slices.Contains(h.Related, "还原") && !slices.Contains(h.Related, "炉渣") && !slices.Contains(h.Related, "高炉") {
				t.Errorf("slag's reason %v names none of its metallurgy terms", h.Related)
			}
			if h.Title == "" {
				t.Error("slag's document was not loaded")
			}
		default:
			t.Errorf("%s (kind %s) should not be found for 钒钛磁铁精矿", h.ID, h.Kind)
		}
	}
	if res.Total != len(res.Hits) {
		t.Errorf("total %d, %d hits", res.Total, len(res.Hits))
	}
	if f := res.Facets["kind"]; len(f) != 1 || f[0].Count != res.Total {
		t.Errorf("kind facet %v does not add up to the total %d", f, res.Total)
	}

	off := search.DefaultRanking
	off.LatentWeight = 0
	res, err = (&search.Service{Engine: e, Ranking: &off}).Search(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	if ids := hitIDs(res); slices.Contains(ids, "slag") {
		t.Fatalf("without the latent pass %v should hold only the word hits", ids)
	}
}

// TestLatentLeavesClassVoteAlone: where the best hits carry IPC classes,
// the class vote speaks for the query's topic and the latent pass does
// not run (it measured worse on the patent sets).
func TestLatentLeavesClassVoteAlone(t *testing.T) {
	e := latentEngine(t, latentCorpus([]string{"C22B"}))
	res, err := (&search.Service{Engine: e}).Search(t.Context(), search.Query{Text: "钒钛磁铁精矿", Kinds: []string{search.KindOutcome}})
	if err != nil {
		t.Fatal(err)
	}
	if ids := hitIDs(res); slices.Contains(ids, "slag") {
		t.Fatalf("hits %v: the latent pass ran over classed listings", ids)
	}
}

// TestLatentModelFollowsWrites: the model holds what is indexed, after
// upserts, deletes and a reset, and is recomputed in the background.
func TestLatentModelFollowsWrites(t *testing.T) {
	defer func(d time.Duration) { latentInterval = d }(latentInterval)
	latentInterval = 10 * time.Millisecond
	e := mustOpen(t)
	defer e.Close()
	docs := latentCorpus(nil)
	if err := e.Upsert(t.Context(), docs...); err != nil {
		t.Fatal(err)
	}
	waitLatent(t, e, len(docs))
	if err := e.Delete(t.Context(), "slag", "need"); err != nil {
		t.Fatal(err)
	}
	waitLatent(t, e, len(docs)-2)
	if err := e.Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	if m := e.Latent(); m != nil {
		t.Fatalf("after a reset the model still holds %d listings", m.Len())
	}
}

// waitLatent waits (without a timing threshold on the build: the deadline
// only ends a hung test) until the background model holds n listings.
func waitLatent(t *testing.T, e *Engine, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		if m := e.Latent(); m != nil && m.Len() == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the latent model never held %d listings", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestLatentModelOfAnExistingIndex: an index opened on disk computes its
// model from the listings it already holds (read through the source).
func TestLatentModelOfAnExistingIndex(t *testing.T) {
	docs := latentCorpus(nil)
	path := filepath.Join(t.TempDir(), "idx")
	e, err := Open(path, sourceOf(docs...))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Upsert(t.Context(), docs...); err != nil {
		t.Fatal(err)
	}
	e.Close()
	if e, err = Open(path, sourceOf(docs...)); err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.RebuildLatent(context.Background()); err != nil {
		t.Fatal(err)
	}
	if m := e.Latent(); m == nil || m.Len() != len(docs) {
		t.Fatalf("model after reopening: %v", m)
	}
}
