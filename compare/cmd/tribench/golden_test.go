package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden reports from the fixed results file")

// TestGoldenReports re-renders the fixed results file of one quick `make
// compare` (testdata/golden/results.jsonl.gz: checks' details cut to 120
// characters) and holds the terminal's summary screen, every table
// (--verbose) and report.md to the golden files byte for byte: a change to
// how stages, claims or tables are composed shows here as a difference to
// explain, or as none.
func TestGoldenReports(t *testing.T) {
	// No chart library, at one path: the same warning on every machine.
	t.Setenv("TRIBENCH_CACHE", "/nonexistent/tribench-golden-cache")
	dir := t.TempDir()
	unzip(t, filepath.Join("testdata", "golden", "results.jsonl.gz"), filepath.Join(dir, "results.jsonl"))

	terminal := func(args ...string) string {
		var stdout, stderr bytes.Buffer
		require.NoError(t, run(context.Background(), &stdout, &stderr, append(append([]string{"report"}, args...), dir)), stderr.String())
		return strings.ReplaceAll(stdout.String(), dir, "RESULTS")
	}
	screen, verbose := terminal(), terminal("--verbose")
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(screen, "\n"), "\n")
	assert.LessOrEqual(t, len(lines), 40, "the summary is one screen")
	for _, l := range lines {
		assert.LessOrEqual(t, len([]rune(l)), 100, "a screen line fits 100 columns: %q", l)
	}

	for name, got := range map[string]string{"screen.txt": screen, "report.txt": verbose, "report.md": string(md)} {
		golden := filepath.Join("testdata", "golden", name)
		if *update {
			require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			continue
		}
		want, err := os.ReadFile(golden)
		require.NoError(t, err, "run go test -run TestGoldenReports -update to write it")
		if string(want) != got {
			t.Errorf("%s differs from its golden file: %s", name, firstDifference(string(want), got))
		}
	}
}

func unzip(t *testing.T, from, to string) {
	t.Helper()
	f, err := os.Open(from)
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	out, err := os.Create(to)
	require.NoError(t, err)
	_, err = io.Copy(out, zr)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}

// firstDifference names the first line where got leaves want: the whole
// reports run to thousands of lines.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < min(len(w), len(g)); i++ {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d\nwant: %s\ngot:  %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("want %d lines, got %d", len(w), len(g))
}
