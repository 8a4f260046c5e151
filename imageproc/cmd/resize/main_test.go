package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/imageproc"
)

func TestRunPrintsOneLine(t *testing.T) {
	t.Parallel()
	in, err := imageproc.EnsureDataset(t.TempDir(), imageproc.DatasetSpec{Seed: 3, Count: 1})
	require.NoError(t, err)
	var stdout, stderr bytes.Buffer
	code := run([]string{"resize", "--in", in, "--out", t.TempDir(), "--workers", "1", "--width", "800", "--height", "600", "--quality", "85"}, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	var res imageproc.Result
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &res))
	assert.Equal(t, 1, res.Succeeded)
	assert.Equal(t, int64(1920*1080), res.DecodedPixels)
	assert.Positive(t, res.Seconds)
	assert.Empty(t, stderr.String())
}

func TestRunExitCodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"resize", "--in", "x"}, 2},
		{[]string{"resize", "--in", t.TempDir() + "/missing", "--out", t.TempDir(), "--workers", "1", "--width", "8", "--height", "8", "--quality", "85"}, 1},
	} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, tc.code, run(tc.args, &stdout, &stderr), tc.args)
		assert.Empty(t, stdout.String())
		assert.Equal(t, 1, bytes.Count(stderr.Bytes(), []byte("\n")), "one line: %q", stderr.String())
	}
}
