package imageproc_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/imageproc"
)

// echo is a resizer that copies its input, or fails on a file named fail.jpg.
type echo struct{}

func (echo) NewWorker() (imageproc.ResizeFunc, func()) {
	return func(t imageproc.Task) ([]byte, int64, error) {
		if t.Name == "fail.jpg" {
			return nil, 0, errors.New("no good")
		}
		return t.Data, int64(len(t.Data)), nil
	}, func() {}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
}

func TestRunAccountsForEveryFile(t *testing.T) {
	t.Parallel()
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "made")
	writeFiles(t, in, map[string]string{"a.jpg": "aa", "b.PNG": "bbb", "c.gif": "c", "fail.jpg": "f", "d.jpeg": "dddd"})
	require.NoError(t, os.Mkdir(filepath.Join(in, "sub.jpg"), 0o755)) // a folder is not an input
	res, err := imageproc.Run(imageproc.Options{In: in, Out: out, Workers: 3, Width: 8, Height: 8, Quality: 85}, echo{})
	require.NoError(t, err)
	assert.Equal(t, 5, res.Total)
	assert.Equal(t, 3, res.Succeeded)
	assert.Equal(t, 2, res.Failed)
	assert.Equal(t, int64(9), res.OutputBytes)
	assert.Equal(t, []imageproc.FileError{
		{File: "c.gif", Error: `unsupported: extension ".gif" is not .jpg, .jpeg or .png`},
		{File: "fail.jpg", Error: "corrupt: no good"},
	}, res.Errors)
	for _, name := range []string{"a.jpg", "b.PNG", "d.jpeg"} {
		assert.FileExists(t, filepath.Join(out, name))
	}
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Len(t, entries, 3, "only outputs in the output folder")
}

func TestRunRefusesFolders(t *testing.T) {
	t.Parallel()
	full := t.TempDir()
	writeFiles(t, full, map[string]string{"a.jpg": "a"})
	notDir := filepath.Join(t.TempDir(), "file")
	writeFiles(t, filepath.Dir(notDir), map[string]string{"file": "x"})
	for _, tc := range []struct{ name, in, out, want string }{
		{"missing input", filepath.Join(full, "nope"), t.TempDir(), "input folder"},
		{"empty input", t.TempDir(), t.TempDir(), "holds no files"},
		{"output under a file", full, filepath.Join(notDir, "out"), "output folder"},
		{"output is the input", full, full, "is the input folder"},
	} {
		_, err := imageproc.Run(imageproc.Options{In: tc.in, Out: tc.out, Workers: 1, Width: 8, Height: 8, Quality: 85}, echo{})
		assert.ErrorContains(t, err, tc.want, tc.name)
	}
}

// TestImagingOnBadInputs runs the canonical Go resize on the bad-input set:
// every file yields what the manifest says, and nothing else is written.
func TestImagingOnBadInputs(t *testing.T) {
	t.Parallel()
	dir, m := badInputs(t)
	out := t.TempDir()
	res, err := imageproc.Run(imageproc.Options{In: filepath.Join(dir, "in"), Out: out, Workers: 2, Width: 800, Height: 600, Quality: 85}, imageproc.Imaging{})
	require.NoError(t, err)
	assert.Empty(t, imageproc.Mismatches(m, res, out))
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Len(t, entries, res.Succeeded)
}

// TestMismatchesFindsWrongRuns feeds the comparison runs that are wrong in
// each way it knows.
func TestMismatchesFindsWrongRuns(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	m := imageproc.BadManifest{Files: []imageproc.Expectation{
		{File: "bad.jpg", Expect: imageproc.ExpectReject, Reason: imageproc.ReasonCorrupt},
		{File: "big.jpg", Expect: imageproc.ExpectReject, Reason: imageproc.ReasonTooLarge},
		{File: "gone.jpg", Expect: imageproc.ExpectOK, Width: 8, Height: 8},
		{File: "small.png", Expect: imageproc.ExpectOK, Width: 8, Height: 8},
		{File: "refused.jpg", Expect: imageproc.ExpectOK, Width: 8, Height: 8},
	}}
	writeFiles(t, out, map[string]string{"small.png": "not a png"})
	res := imageproc.Result{Total: 5, Errors: []imageproc.FileError{
		{File: "big.jpg", Error: "corrupt: something"}, {File: "refused.jpg", Error: "corrupt: no"},
	}}
	got := imageproc.Mismatches(m, res, out)
	assert.Len(t, got, 5, "%q", got)
}

func TestParseArgs(t *testing.T) {
	t.Parallel()
	good := []string{"resize", "--in", "a", "--out", "b", "--workers", "2", "--width", "800", "--height", "600", "--quality", "85"}
	o, err := imageproc.ParseArgs(good)
	require.NoError(t, err)
	assert.Equal(t, imageproc.Options{In: "a", Out: "b", Workers: 2, Width: 800, Height: 600, Quality: 85}, o)
	with := func(i int, v string) []string { a := append([]string(nil), good...); a[i] = v; return a }
	for name, args := range map[string][]string{
		"no command":   nil,
		"other word":   with(0, "shrink"),
		"zero workers": with(6, "0"),
		"bad width":    with(8, "-3"),
		"quality 101":  with(12, "101"),
		"not a number": with(10, "six"),
		"no out":       good[:3],
		"extra":        append(append([]string(nil), good...), "more"),
	} {
		_, err := imageproc.ParseArgs(args)
		assert.ErrorIs(t, err, imageproc.ErrUsage, name)
	}
}
