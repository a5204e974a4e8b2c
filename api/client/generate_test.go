package client

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestClientIsCurrent regenerates the client from api/openapi.json and
// fails when it differs from the committed client.gen.go: run
// `go generate ./api/client` after changing the document.
func TestClientIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs oapi-codegen")
	}
	// The same settings, writing elsewhere (oapi-codegen's -o does not
	// override a config file's output).
	conf, err := os.ReadFile("oapi-codegen.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "client.gen.go")
	conf = bytes.Replace(conf, []byte("\noutput: client.gen.go\n"), []byte("\noutput: "+out+"\n"), 1)
	if !bytes.Contains(conf, []byte(out)) {
		t.Fatal("oapi-codegen.yaml has no `output: client.gen.go` line")
	}
	confPath := filepath.Join(dir, "oapi-codegen.yaml")
	if err := os.WriteFile(confPath, conf, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "tool", "oapi-codegen", "-config", confPath, "../openapi.json")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("oapi-codegen: %v\n%s", err, msg)
	}
	fresh, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("client.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Fatal("api/client/client.gen.go is stale: run go generate ./api/client")
	}
}
