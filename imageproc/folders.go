package imageproc

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// inputs lists the regular files of o.In (symbolic links followed, not
// recursive) after checking both folders: the input must exist and hold a
// file, the output is made if missing and must take a file, and must not be
// the input folder (outputs would overwrite inputs).
func inputs(o Options) ([]string, error) {
	entries, err := os.ReadDir(o.In)
	if err != nil {
		return nil, fmt.Errorf("input folder: %w", err)
	}
	var names []string
	for _, e := range entries {
		st, err := os.Stat(filepath.Join(o.In, e.Name()))
		if err == nil && st.Mode().IsRegular() {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("input folder %s holds no files", o.In)
	}
	sort.Strings(names)
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	if same(o.In, o.Out) {
		return nil, fmt.Errorf("output folder %s is the input folder", o.Out)
	}
	probe, err := os.CreateTemp(o.Out, ".write-test-")
	if err != nil {
		return nil, fmt.Errorf("output folder cannot be written: %w", err)
	}
	probe.Close()
	if err := os.Remove(probe.Name()); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	return names, nil
}

func same(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}
