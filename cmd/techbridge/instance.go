package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gofrs/flock"

	"techbridge/market"
)

// lockDataDir takes an exclusive lock on <dir>/serve.lock, so a second
// serve on the same data dir fails at once with a clear error instead of
// hanging on the Bleve index's own lock. The operating system drops the
// lock when the process dies, so a crash leaves nothing to clean up.
func lockDataDir(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, "serve.lock")
	l := flock.New(path)
	ok, err := l.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		return nil, fmt.Errorf("data dir %s is in use by another techbridge process (%s is locked); give each instance its own --data-dir", dir, path)
	}
	return func() { l.Unlock() }, nil
}

// instanceID names this instance in the lease table. It is kept in the
// data dir, so an instance restarted after a crash renews its own leases
// at once instead of waiting out the dead process's period.
func instanceID(dir string) (string, error) {
	path := filepath.Join(dir, "instance-id")
	b, err := os.ReadFile(path)
	if err == nil && strings.TrimSpace(string(b)) != "" {
		return strings.TrimSpace(string(b)), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	host, _ := os.Hostname()
	id := host + "-" + market.NewID()
	if err := os.WriteFile(path, []byte(id+"\n"), 0o640); err != nil {
		return "", err
	}
	return id, nil
}
