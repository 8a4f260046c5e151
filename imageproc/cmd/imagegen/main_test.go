package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/imageproc"
)

func TestRunWritesPhotos(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "new")
	var stdout bytes.Buffer
	require.NoError(t, run([]string{"photos", "--out", out, "--count", "1", "--seed", "3"}, &stdout))
	assert.Contains(t, stdout.String(), "wrote 1 files")
	assert.FileExists(t, filepath.Join(out, "photo-0000.jpg"))
}

func TestRunRefusesBadArguments(t *testing.T) {
	t.Parallel()
	for name, args := range map[string][]string{
		"nothing":       nil,
		"no out":        {"photos"},
		"unknown":       {"videos", "--out", t.TempDir()},
		"zero count":    {"photos", "--out", t.TempDir(), "--count", "0"},
		"unknown flag":  {"bad", "--out", t.TempDir(), "--size", "3"},
		"stray operand": {"bad", "--out", t.TempDir(), "extra"},
	} {
		err := run(args, &bytes.Buffer{})
		assert.ErrorIs(t, err, errUsage, name)
	}
}

func TestRunWritesBadInputs(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	require.NoError(t, run([]string{"bad", "--out", out}, &bytes.Buffer{}))
	m, err := imageproc.ReadBadManifest(out)
	require.NoError(t, err)
	entries, err := os.ReadDir(filepath.Join(out, "in"))
	require.NoError(t, err)
	assert.Len(t, entries, len(m.Files))
}
