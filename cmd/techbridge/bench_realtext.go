package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"techbridge/api"
	"techbridge/search/relevance"
)

// Real text: the synthetic listings of bench search are short and drawn
// from small word lists, so their posting lists and the ranking's feedback
// pass behave unlike real patent and paper text. realTextQueries imports
// each evaluation set (/work/shared/eval; the label dropped, nothing of it
// kept) into an instance of its own and times one-term queries, each a
// term of a real title, against the bare engine and the HTTP API.

// evalSets are the sets timed, in the eval dir.
var evalSets = []string{"cnpat_public.jsonl", "uspto_public.jsonl", "csl_public.jsonl"}

// realTextQueries prints one row per set found in dir.
func realTextQueries(ctx context.Context, w io.Writer, dir string, queries int, seed uint64) error {
	fmt.Fprintf(w, "real text (%s; %d one-term queries per set, each a term of a title; p50 / p99 in ms):\n", dir, queries)
	fmt.Fprintf(w, "  %-22s %-8s %-17s %-17s %s\n", "set", "records", "bare engine", "HTTP API", "HTTP p99 / engine p99 (target ≤ 1.5×)")
	for _, name := range evalSets {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err != nil {
			fmt.Fprintf(w, "  %-22s not found, skipped\n", name)
			continue
		}
		records, err := readEvalFile(path)
		if err != nil {
			return err
		}
		ev, err := openEvalInstance(ctx, records)
		if err != nil {
			return err
		}
		eng, web, err := ev.timeOneTerm(ctx, records, queries, rand.New(rand.NewPCG(seed, 5)))
		ev.close(false, io.Discard)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Fprintf(w, "  %-22s %-8d %-17s %-17s %.2f×\n", strings.TrimSuffix(name, ".jsonl"), len(records), eng, web, ratio(web.p99, eng.p99))
	}
	return nil
}

// readEvalSets reads every evaluation set of evalSets found in dir.
func readEvalSets(dir string) ([]relevance.Record, error) {
	var all []relevance.Record
	for _, name := range evalSets {
		records, err := readEvalFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		all = append(all, records...)
	}
	return all, nil
}

// timeOneTerm times n one-term queries (after 20 to warm up), each run on
// the bare engine and then over HTTP on a loopback listener.
func (ev *evalInstance) timeOneTerm(ctx context.Context, records []relevance.Record, n int, r *rand.Rand) (eng, web latency, err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return eng, web, err
	}
	srv := &http.Server{Handler: ev.api, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}, Timeout: 30 * time.Second}
	base := "http://" + ln.Addr().String()
	var de, dw []time.Duration
	for i := 0; len(dw) < n; i++ {
		term := titleTerm(records[r.IntN(len(records))].Title, r)
		if term == "" {
			continue
		}
		params := url.Values{"q": {term}}
		q, err := api.ParseSearchQuery(params)
		if err != nil {
			return eng, web, err
		}
		te, err := timed(func() error { _, err := ev.engine.Search(ctx, q); return err })
		if err != nil {
			return eng, web, err
		}
		tw, err := timed(func() error { return fetch(client, base+"/api/v1/search?"+params.Encode()) })
		if err != nil {
			return eng, web, err
		}
		if i >= 20 {
			de, dw = append(de, te), append(dw, tw)
		}
	}
	return summarize(de), summarize(dw), nil
}

// titleTerm picks one term of a title as a buyer would type it: two
// adjacent Han characters, or a Latin word of five letters or more; ""
// when the title has neither.
func titleTerm(title string, r *rand.Rand) string {
	var terms []string
	runes := []rune(title)
	for i := 0; i+1 < len(runes); i++ {
		if unicode.Is(unicode.Han, runes[i]) && unicode.Is(unicode.Han, runes[i+1]) && string(runes[i:i+2]) != "一种" {
			terms = append(terms, string(runes[i:i+2]))
		}
	}
	for _, word := range strings.FieldsFunc(title, func(c rune) bool { return !unicode.IsLetter(c) }) {
		if len(word) >= 5 && word[0] < unicode.MaxASCII {
			terms = append(terms, strings.ToLower(word))
		}
	}
	if len(terms) == 0 {
		return ""
	}
	return terms[r.IntN(len(terms))]
}
