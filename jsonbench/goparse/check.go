package goparse

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/tribench/tribench/jsonbench"
)

// Check parses every regular file of dir (names starting with "." skipped) in
// generic mode, in name order, and emits a verdict for each; it returns the
// summary. Only an unreadable folder is an error: a file that cannot be read
// is rejected with the reason.
func Check(lib Library, dir string, emit func(jsonbench.VerdictLine) error) (jsonbench.CheckSummary, error) {
	names, err := Files(dir)
	if err != nil {
		return jsonbench.CheckSummary{}, err
	}
	for _, name := range names {
		line := jsonbench.VerdictLine{Item: name, Verdict: jsonbench.Accept}
		if err := verdict(lib, filepath.Join(dir, name)); err != nil {
			line.Verdict, line.Error = jsonbench.Reject, oneLine(err.Error())
		}
		if err := emit(line); err != nil {
			return jsonbench.CheckSummary{}, err
		}
	}
	return jsonbench.CheckSummary{Runtime: runtime.Version(), Library: lib.Label(), Files: len(names)}, nil
}

func verdict(lib Library, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	_, err = safely(func() (any, error) { return lib.Generic(data) })
	return err
}

// Files lists the names Check visits.
func Files(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
