package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startServe runs the real serve command on a free port with a fresh data
// dir and returns its URL; the server stops when the test ends.
func startServe(t *testing.T, extra ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--log-level", "warn"}, extra...)
	go func() {
		done <- run(ctx, args, pw)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v after shutdown", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not shut down")
		}
	})
	urlRE := regexp.MustCompile(`running at (http://\S+)`)
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if m := urlRE.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, pr)
			return m[1]
		}
	}
	t.Fatalf("serve printed no URL: %v", <-done)
	return ""
}

func TestServePrintsURLAndShutsDown(t *testing.T) {
	url := startServe(t)
	res, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("healthz = %d", res.StatusCode)
	}
	res, err = http.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), `"search_backlog"`) || !strings.Contains(string(b), `"database":"ok"`) {
		t.Fatalf("readyz = %d %s", res.StatusCode, b)
	}
}

func TestSeedDemoIsIdempotentAndPrintsLogins(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	if err := run(context.Background(), []string{"seed", "--demo", "--data-dir", dir}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), demoAdminEmail) || !strings.Contains(out.String(), demoPassword) {
		t.Fatalf("seed output lacks logins:\n%s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"seed", "--demo", "--data-dir", dir}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "already present") {
		t.Fatalf("second seed: %s", out.String())
	}
}

func TestAdminCreateAndUnknownCommand(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	err := run(context.Background(), []string{"admin", "create", "--data-dir", dir, "--email", "ops@example.cn", "--password", "short"}, &out)
	if err == nil || !strings.Contains(err.Error(), "password") {
		t.Fatalf("short password: %v", err)
	}
	if err := run(context.Background(), []string{"admin", "create", "--data-dir", dir, "--email", "ops@example.cn", "--password", "long enough secret"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "is now admin") {
		t.Fatalf("output %q", out.String())
	}
	if err := run(context.Background(), []string{"frobnicate"}, &out); err == nil {
		t.Fatal("unknown command accepted")
	}
}

// TestSecondServeOnOneDataDirFailsAtOnce: a second serve on a data dir in
// use used to hang on the Bleve index's lock, ignoring SIGTERM; now it
// fails at once and says why.
func TestSecondServeOnOneDataDirFailsAtOnce(t *testing.T) {
	dir := t.TempDir()
	startServe(t, "--data-dir", dir)
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir, "--log-level", "error"}, io.Discard)
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "in use by another techbridge process") {
			t.Fatalf("second serve: %v", err)
		}
	case <-time.After(10 * time.Second): // a bound on a hang, not a timing claim
		t.Fatal("second serve on the same data dir did not fail")
	}
	if err := run(context.Background(), []string{"reindex", "--data-dir", dir}, io.Discard); err == nil ||
		!strings.Contains(err.Error(), "in use") {
		t.Fatalf("reindex beside a running serve: %v", err)
	}
}

// TestInstanceIDIsStablePerDataDir: the lease holder id survives a restart,
// so a restarted instance renews its own leases at once.
func TestInstanceIDIsStablePerDataDir(t *testing.T) {
	dir := t.TempDir()
	a, err := instanceID(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := instanceID(dir)
	if err != nil || a != b || a == "" {
		t.Fatalf("ids %q then %q (%v)", a, b, err)
	}
	if c, _ := instanceID(t.TempDir()); c == a {
		t.Fatalf("two data dirs share id %q", a)
	}
}

// TestServeClosesIdleConnections: 100 idle keep-alive clients stayed
// connected for 90 s; serve now closes a connection idle for longer than
// --idle-timeout.
func TestServeClosesIdleConnections(t *testing.T) {
	base := startServe(t, "--idle-timeout", "300ms")
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(conn)
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	// Now idle: the server must hang up. The read deadline only stops a
	// hung test.
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("idle connection: read gave %v, want EOF (closed by the server)", err)
	}
}

// TestServeMetrics: with a token, /metrics on the public listener answers
// only with it, and reports the request, pool, hash-queue and lag series.
func TestServeMetrics(t *testing.T) {
	url := startServe(t, "--metrics-token", "tok")
	if res, err := http.Get(url + "/healthz"); err == nil {
		res.Body.Close()
	}
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("metrics without the token: %d", res.StatusCode)
	}
	req, _ := http.NewRequest("GET", url+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer tok")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{
		`techbridge_http_requests_total{method="GET",route="/healthz",status="2xx"} 1`,
		"techbridge_db_read_open_connections ", "techbridge_db_write_idle_connections ",
		"techbridge_password_hash_queue_length 0", "techbridge_password_hash_rejections_total 0",
		"techbridge_search_indexer_lag_events ", "techbridge_match_alerts_lag_events ", "techbridge_outbox_backlog 0",
		"techbridge_http_requests_in_flight ",
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("metrics miss %q", want)
		}
	}
}

// TestServeMetricsOffThePublicListener: without a token or address there
// is no /metrics on the public listener.
func TestServeMetricsOffThePublicListener(t *testing.T) {
	url := startServe(t)
	res, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode == http.StatusOK {
		t.Fatal("/metrics served to anyone")
	}
}

// writeCounter counts the writes made to it.
type writeCounter struct {
	strings.Builder
	writes int
}

func (w *writeCounter) Write(p []byte) (int, error) { w.writes++; return w.Builder.Write(p) }

// TestServeDemoPrintsLoginsAfterStartup: serve --demo prints the URL and
// then the demo logins in one block, so no log line sits among them.
func TestServeDemoPrintsLoginsAfterStartup(t *testing.T) {
	var w writeCounter
	svc, db, err := (&config{DataDir: t.TempDir()}).openService(context.Background(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if seeded, err := seedDemo(context.Background(), svc, &w); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	if w.writes != 1 || !strings.Contains(w.String(), demoAdminEmail) {
		t.Fatalf("the logins took %d writes:\n%s", w.writes, w.String())
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--log-level", "warn",
			"--database-url=", "--redis-url=", "--meili-url="}, pw)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if strings.Contains(sc.Text(), "deals at several stages") {
			break
		}
	}
	go io.Copy(io.Discard, pr)
	cancel()
	<-done
	if len(lines) < 3 || !strings.Contains(lines[0], "running at") || !strings.Contains(lines[1], "Demo market created") {
		t.Fatalf("serve --demo printed:\n%s", strings.Join(lines, "\n"))
	}
}
