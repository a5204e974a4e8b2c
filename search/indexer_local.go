package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"techbridge/market"
)

// LocalCursor keeps an embedded index's position in the event log beside
// the index itself. An embedded index (Bleve) belongs to one instance, so
// every instance indexes for itself and needs its own position: a shared
// cursor row would let one instance's progress stand for another's index.
type LocalCursor interface {
	// Load returns the saved position, 0 when none was saved.
	Load() (int64, error)
	// Save records seq durably (it survives a crash once Save returns).
	Save(seq int64) error
}

// CursorFile is a LocalCursor in a small text file, replaced atomically
// (written beside it, synced, renamed).
type CursorFile struct{ Path string }

var _ LocalCursor = CursorFile{}

// Load implements LocalCursor.
func (f CursorFile) Load() (int64, error) {
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("search cursor %s: %w", f.Path, err)
	}
	return n, nil
}

// Save implements LocalCursor.
func (f CursorFile) Save(seq int64) error {
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), filepath.Base(f.Path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if _, err := tmp.WriteString(strconv.FormatInt(seq, 10) + "\n"); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.Path)
}

// Position returns how far the index has followed the event log: the
// local cursor for a per-instance index, the shared cursor row otherwise.
func (ix *Indexer) Position(ctx context.Context) (int64, error) {
	if ix.Local != nil {
		return ix.Local.Load()
	}
	var cur int64
	err := ix.Store.View(ctx, func(tx market.Tx) (err error) {
		cur, err = tx.Cursor(CursorName)
		return err
	})
	return cur, err
}
