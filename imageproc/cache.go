package imageproc

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// staleAfter is how old a temporary folder must be before it is taken for a
// crashed generator's leftovers and removed.
const staleAfter = time.Hour

// ensure returns parent/key, first making it with write into a temporary
// folder renamed into place when it does not exist. Two processes making the
// same key at once both succeed: the loser of the rename drops its copy.
func ensure(parent, key string, write func(dir string) error) (string, error) {
	final := filepath.Join(parent, key)
	if st, err := os.Stat(final); err == nil && st.IsDir() {
		return final, nil
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("cache folder: %w", err)
	}
	removeStale(parent)
	tmp, err := os.MkdirTemp(parent, ".tmp-"+key+"-")
	if err != nil {
		return "", fmt.Errorf("cache folder: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp's 0700 is for its own use
		_ = os.RemoveAll(tmp)
		return "", fmt.Errorf("cache folder: %w", err)
	}
	if err := write(tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return "", fmt.Errorf("generate %s: %w", key, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		_ = os.RemoveAll(tmp)
		if st, statErr := os.Stat(final); statErr == nil && st.IsDir() {
			return final, nil // another process finished first
		}
		return "", fmt.Errorf("install %s: %w", key, err)
	}
	return final, nil
}

// removeStale deletes temporary folders a crashed generator left behind.
func removeStale(parent string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), ".tmp-") {
			continue
		}
		info, err := e.Info()
		if err != nil || time.Since(info.ModTime()) < staleAfter {
			continue
		}
		if err := os.RemoveAll(filepath.Join(parent, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			continue
		}
	}
}
