package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/jsonbench"
)

func TestParseLine(t *testing.T) {
	t.Parallel()
	doc := filepath.Join(t.TempDir(), "d.json")
	require.NoError(t, os.WriteFile(doc, []byte(`[{"a":[1,2.5,"x"]}]`), 0o644))
	var out bytes.Buffer
	require.NoError(t, run([]string{"parse", "--file", doc, "--mode", "generic", "--repeat", "3", "--digest", "--library", "sonic"}, &out))
	var line jsonbench.ParseLine
	require.NoError(t, json.Unmarshal(out.Bytes(), &line))
	assert.True(t, strings.HasPrefix(line.Runtime, "go1."), line.Runtime)
	assert.Contains(t, line.Library, "github.com/bytedance/sonic")
	assert.Len(t, line.Seconds, 3)
	assert.Len(t, line.Digest, 64)
	assert.Equal(t, int64(2), line.Counts.Number)
}

func TestCheckLines(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	require.NoError(t, run([]string{"parse", "--check", filepath.Join("..", "..", "conformance")}, &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var summary jsonbench.CheckSummary
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &summary))
	assert.Equal(t, len(lines)-1, summary.Files)
	assert.Contains(t, lines[0], `"item":"i_`)
}

func TestErrors(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"a": [1, 2`), 0o644))
	tests := []struct {
		args  []string
		usage bool
		want  string
	}{
		{[]string{}, true, "usage"},
		{[]string{"serve"}, true, "usage"},
		{[]string{"parse", "--mode", "generic"}, true, "give --file or --check"},
		{[]string{"parse", "--file", bad, "--check", "."}, true, "give --file or --check"},
		{[]string{"parse", "--file", bad, "--mode", "sideways"}, true, "--mode must be generic or typed"},
		{[]string{"parse", "--file", bad, "--mode", "typed", "--repeat", "0"}, true, "--repeat must be at least 1"},
		{[]string{"parse", "--file", bad, "--mode", "typed", "--library", "easyjson"}, true, "unknown library"},
		{[]string{"parse", "--file", bad, "--mode", "typed", "--colour"}, true, "flag provided but not defined"},
		{[]string{"parse", "--file", bad + ".missing", "--mode", "generic"}, false, "no such file"},
		{[]string{"parse", "--file", bad, "--mode", "generic"}, false, "goccy generic parse"},
		{[]string{"parse", "--check", bad + ".missing"}, false, "check:"},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		err := run(tt.args, &out)
		require.Error(t, err, "%v", tt.args)
		assert.Equal(t, tt.usage, errors.Is(err, errUsage), "%v: %v", tt.args, err)
		assert.ErrorContains(t, err, tt.want)
		assert.NotContains(t, err.Error(), "\n")
		assert.Empty(t, out.String())
	}
}
