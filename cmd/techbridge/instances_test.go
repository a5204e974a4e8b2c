package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"techbridge/api/auth"
	"techbridge/market"
	"techbridge/market/sqlstore"
	"techbridge/market/sqlstore/sqltest"
	"techbridge/market/testenv"
	"techbridge/search"
)

// buildBinary builds the real techbridge binary once per test run.
var buildBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "techbridge-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "techbridge")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// instance is one serve process of the real binary.
type instance struct {
	t    *testing.T
	name string
	dir  string
	env  []string
	cmd  *exec.Cmd
	url  string
	logs *bytes.Buffer
	mu   *sync.Mutex
}

// lockedWriter lets the process's stderr be read while it is written.
type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// startInstance runs serve with env and its own data dir; it is stopped
// with SIGTERM when the test ends.
func startInstance(t *testing.T, name, dir string, env []string) *instance {
	t.Helper()
	if _, err := buildBinary(); err != nil {
		t.Fatal(err)
	}
	in := &instance{t: t, name: name, dir: dir, env: env, logs: &bytes.Buffer{}, mu: &sync.Mutex{}}
	in.start()
	t.Cleanup(in.stop)
	return in
}

func (in *instance) start() {
	in.t.Helper()
	bin, _ := buildBinary()
	in.cmd = exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data-dir", in.dir, "--log-level", "info")
	in.cmd.Env = append(os.Environ(), in.env...)
	in.cmd.Stderr = lockedWriter{in.mu, in.logs}
	stdout, err := in.cmd.StdoutPipe()
	if err != nil {
		in.t.Fatal(err)
	}
	if err := in.cmd.Start(); err != nil {
		in.t.Fatal(err)
	}
	urlRE := regexp.MustCompile(`running at (http://\S+)`)
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
			in.url = m[1]
			go io.Copy(io.Discard, stdout)
			return
		}
	}
	in.cmd.Wait()
	in.t.Fatalf("%s printed no URL; stderr:\n%s", in.name, in.stderr())
}

func (in *instance) stderr() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.logs.String()
}

// kill ends the process with SIGKILL: no shutdown, no lease released.
func (in *instance) kill() {
	in.cmd.Process.Kill()
	in.cmd.Wait()
	in.cmd = nil
}

func (in *instance) stop() {
	if in.cmd == nil {
		return
	}
	in.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- in.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			in.t.Errorf("%s exited with %v after SIGTERM; stderr:\n%s", in.name, err, in.stderr())
		}
	case <-time.After(20 * time.Second):
		in.cmd.Process.Kill()
		in.t.Errorf("%s did not stop on SIGTERM", in.name)
	}
	in.cmd = nil
}

// call sends a JSON request and decodes a JSON answer into out (when
// non-nil); it returns the status.
func (in *instance) call(method, path, token string, body, out any) int {
	in.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, in.url+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		in.t.Fatalf("%s %s %s: %v", in.name, method, path, err)
	}
	defer res.Body.Close()
	if out != nil {
		json.NewDecoder(res.Body).Decode(out)
	}
	return res.StatusCode
}

func (in *instance) searchTotal(q string) int {
	var r struct {
		Total int `json:"total"`
	}
	if st := in.call("GET", "/api/v1/search?q="+url.QueryEscape(q), "", nil, &r); st != 200 {
		return -1
	}
	return r.Total
}

func (in *instance) login(email, password string) (int, string) {
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	st := in.call("POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password}, &tok)
	return st, tok.AccessToken
}

// eventually polls cond; the bound only stops a hung test. It returns how
// long the condition took.
func eventually(t *testing.T, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > 60*time.Second {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// TestTwoInstancesOnOneDatabase runs two real serve processes on one
// PostgreSQL and one Redis, each with its own data dir and Bleve index,
// and checks that they answer alike.
func TestTwoInstancesOnOneDatabase(t *testing.T) {
	pgURL := sqltest.PostgresSchemaURL(t)
	redisURL := testenv.Lookup(t, "TECHBRIDGE_TEST_REDIS_URL", "Redis")
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, pgURL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	svc := market.NewService(db)
	m := newE2EMarket(t, svc, "ops@multi.example.cn")
	uniOwner, uni := m.orgOwner("uni@multi.example.cn", market.OrgUniversity, "多实例大学", "12310000MB0E2E201")
	entOwner, ent := m.orgOwner("ent@multi.example.cn", market.OrgEnterprise, "多实例企业", "91310000MA1E2E202")

	keyDir := t.TempDir()
	if _, err := auth.LoadOrCreateKey("", keyDir); err != nil {
		t.Fatal(err)
	}
	keyPEM, err := os.ReadFile(filepath.Join(keyDir, auth.KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	env := []string{
		"TECHBRIDGE_DATABASE_URL=" + pgURL,
		"TECHBRIDGE_REDIS_URL=" + redisURL,
		"TECHBRIDGE_REDIS_PREFIX=multi:" + market.NewID() + ":",
		"TECHBRIDGE_JWT_KEY=" + string(keyPEM),
		"TECHBRIDGE_SWEEP_EVERY=200ms",
		"TECHBRIDGE_DEAL_IDLE_TTL=2s",
	}
	a := startInstance(t, "A", t.TempDir(), env)
	b := startInstance(t, "B", t.TempDir(), env)

	t.Run("published through A is found through B", func(t *testing.T) {
		o, err := svc.CreateOutcome(ctx, uniOwner, uni.ID, market.OutcomeInput{Title: "多实例搜索一致性 石墨烯导热膜"})
		m.must(err)
		o, err = svc.TransitionOutcome(ctx, uniOwner, o.ID, o.Version, market.SubmitListing, "")
		m.must(err)
		st, admin := a.login("ops@multi.example.cn", e2ePassword)
		if st != 200 {
			t.Fatalf("admin login through A: %d", st)
		}
		if st := a.call("POST", "/api/v1/outcomes/"+o.ID+"/transitions", admin,
			map[string]any{"action": "publish", "version": o.Version}, nil); st != 200 {
			t.Fatalf("publish through A: %d", st)
		}
		took := eventually(t, "B to find the listing", func() bool { return b.searchTotal("石墨烯导热膜") == 1 })
		t.Logf("published through A, found through B after %v", took)
		// A indexes for itself too (nudged by its own commit, though the
		// two race on a loaded machine).
		eventually(t, "A to find the listing", func() bool { return a.searchTotal("石墨烯导热膜") == 1 })
	})

	t.Run("a login throttled through A is throttled through B", func(t *testing.T) {
		for i := range auth.MaxLoginFailures {
			if st, _ := a.login("uni@multi.example.cn", "wrong password "+fmt.Sprint(i)); st != 401 {
				t.Fatalf("failed login %d through A: %d", i, st)
			}
		}
		if st, _ := b.login("uni@multi.example.cn", e2ePassword); st != 429 {
			t.Fatalf("login through B after %d failures through A: %d, want 429", auth.MaxLoginFailures, st)
		}
	})

	t.Run("a token revoked through A is refused by B", func(t *testing.T) {
		st, tok := a.login("ent@multi.example.cn", e2ePassword)
		if st != 200 {
			t.Fatalf("login: %d", st)
		}
		if st := b.call("GET", "/api/v1/me", tok, nil, nil); st != 200 {
			t.Fatalf("B before logout: %d", st)
		}
		if st := a.call("POST", "/api/v1/auth/logout", tok, nil, nil); st != 204 {
			t.Fatalf("logout through A: %d", st)
		}
		if st := b.call("GET", "/api/v1/me", tok, nil, nil); st != 401 {
			t.Fatalf("B after logout through A: %d, want 401", st)
		}
	})

	t.Run("the sweeper and the alert consumer act once", func(t *testing.T) {
		sc, err := svc.CreateScenario(ctx, entOwner, ent.ID, market.ScenarioInput{Title: "新能源汽车退役动力电池回收利用",
			Field: "energy_storage", Description: "每年退役数千套动力电池，需要自动拆解与梯次利用方案。",
			Keywords: []string{"动力电池", "回收"}, MinTRL: 5, Region: "上海市",
			Budget: market.Money{Max: 1_000_000_00, Currency: "CNY"}})
		m.must(err)
		sc, err = svc.TransitionScenario(ctx, entOwner, sc.ID, sc.Version, market.SubmitListing, "")
		m.must(err)
		_, err = svc.TransitionScenario(ctx, m.admin, sc.ID, sc.Version, market.PublishListing, "")
		m.must(err)
		trl := 6
		out := m.publishOutcome(uniOwner, uni.ID, market.OutcomeInput{Title: "退役动力锂电池回收与梯次利用技术",
			Summary: "动力电池自动拆解与梯次利用", Keywords: []string{"动力电池", "电池回收", "梯次利用"},
			Field: "energy_storage", IPC: []string{"H01M 10/54"}, TRL: &trl,
			Price: market.Money{Min: 500_000_00, Max: 800_000_00, Currency: "CNY"}})
		deal, err := svc.OpenDealOnOutcome(ctx, entOwner, ent.ID, out.ID, "我们想了解许可条件")
		m.must(err)

		alerts := func() int {
			ns, err := svc.Notifications(ctx, entOwner, false, "", 100)
			m.must(err)
			n := 0
			for _, x := range ns {
				if x.Kind == search.AlertKind {
					n++
				}
			}
			return n
		}
		eventually(t, "the match alert", func() bool { return alerts() > 0 })
		expired := func() int {
			var n int
			m.must(db.View(ctx, func(tx market.Tx) error {
				evs, err := tx.ObjectEvents(market.DealObjectType, deal.Deal.ID, 100)
				for _, e := range evs {
					if e.Type == market.EventDealExpired {
						n++
					}
				}
				return err
			}))
			return n
		}
		eventually(t, "the idle deal to expire", func() bool { return expired() > 0 })
		time.Sleep(time.Second) // several more sweeps and alert polls on both instances
		if n := alerts(); n != 1 {
			t.Fatalf("%d match alerts for one pair, want 1", n)
		}
		if n := expired(); n != 1 {
			t.Fatalf("deal expired %d times, want 1", n)
		}
	})

	t.Run("killing A mid-batch loses nothing", func(t *testing.T) {
		const n = 300
		var lines strings.Builder
		for i := range n {
			fmt.Fprintf(&lines, `{"external_id":"kill-%d","title":"断电恢复测试成果 第%d号 钙钛矿","field":"energy_storage"}`+"\n", i, i)
		}
		importDone := make(chan error, 1)
		go func() {
			_, err := svc.ImportOutcomes(ctx, market.SystemActor, uni.ID, strings.NewReader(lines.String()), "jsonl",
				market.ImportOptions{Publish: true, BatchSize: 20})
			importDone <- err
		}()
		eventually(t, "A to index part of the import", func() bool { return a.searchTotal("钙钛矿") > 0 })
		a.kill()
		if err := <-importDone; err != nil {
			t.Fatal(err)
		}
		eventually(t, "B to index the whole import", func() bool { return b.searchTotal("钙钛矿") == n })
		a.start()
		took := eventually(t, "the restarted A to catch up", func() bool {
			var r struct {
				Backlog int64 `json:"search_backlog"`
			}
			return a.call("GET", "/readyz", "", nil, &r) == 200 && r.Backlog == 0 && a.searchTotal("钙钛矿") == n
		})
		t.Logf("restarted A caught up after %v", took)
	})
}
