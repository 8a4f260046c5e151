package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunResults is not parallel: its inside probe reads the whole process's
// heap and asserts the exact arithmetic.
func TestRunResults(t *testing.T) {
	tests := []struct {
		args []string
		want map[string]any
	}{
		{
			[]string{"probe", "--count", "3", "--shape", "structs", "--method", "inside"},
			map[string]any{"count": 3.0, "shape": "structs", "method": "inside", "bytes_total": 248.0,
				"checksum": "750aff4bd156e1d566bb23dc3e4d0d9a5909e2b58cbc33b0b75a6f02641e1a92"},
		},
		{
			[]string{"cpu", "--tasks", "4", "--n", "1000", "--workers", "2"},
			map[string]any{"tasks": 4.0, "n": 1000.0, "workers": 2.0, "checksum": 4 * 332_833_500.0},
		},
		{
			[]string{"tasks", "--count", "0"},
			map[string]any{"count": 0.0, "completed": 0.0},
		},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		require.NoError(t, run(tt.args, strings.NewReader(""), &out), "%v", tt.args)
		var got map[string]any
		require.NoError(t, json.Unmarshal(out.Bytes(), &got))
		for k, v := range tt.want {
			assert.Equal(t, v, got[k], "%v: %s", tt.args, k)
		}
		assert.Contains(t, got["runtime"], "go1.")
		assert.Equal(t, 1, strings.Count(out.String(), "\n"), "exactly one line")
	}
}

func TestRunOutside(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	args := []string{"probe", "--count", "0", "--shape", "pointers", "--method", "outside"}
	require.NoError(t, run(args, strings.NewReader(""), &out))
	ready, line, ok := strings.Cut(out.String(), "\n")
	require.True(t, ok)
	assert.Equal(t, "ready", ready)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(line), &got))
	assert.Equal(t, "outside", got["method"])
	assert.NotContains(t, got, "bytes_total")
}

func TestRunRefusesBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		err  string
	}{
		{nil, "probe: no command"},
		{[]string{"serve"}, `probe: unknown command "serve"`},
		{[]string{"probe", "--shape", "structs"}, "probe probe: --count is required"},
		{[]string{"probe", "--count", "-5", "--shape", "structs"}, "--count must be in 0..10000000, got -5"},
		{[]string{"probe", "--count", "100000000", "--shape", "structs"}, "--count must be in 0..10000000"},
		{[]string{"probe", "--count", "lots", "--shape", "structs"}, `invalid value "lots"`},
		{[]string{"probe", "--count", "3", "--shape", "dict"}, `unknown shape "dict"`},
		{[]string{"probe", "--count", "3", "--shape", "structs", "--method", "both"}, `unknown method "both"`},
		{[]string{"probe", "--count", "3", "--shape", "structs", "--colour"}, "flag provided but not defined: -colour"},
		{[]string{"cpu", "--tasks", "8", "--n", "10"}, "probe cpu: --workers is required"},
		{[]string{"cpu", "--tasks", "8", "--n", "-1", "--workers", "2"}, `invalid value "-1" for flag -n`},
		{[]string{"cpu", "--tasks", "0", "--n", "10", "--workers", "2"}, "--tasks must be in 1..1024"},
		{[]string{"cpu", "--tasks", "8", "--n", "10", "--workers", "2", "--repeat", "0"}, "--repeat must be at least 1"},
		{[]string{"tasks", "--count", "-1"}, "--count must be in 0..10000000"},
		{[]string{"tasks", "--count", "10", "now"}, `unexpected argument "now"`},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		err := run(tt.args, strings.NewReader(""), &out)
		require.Error(t, err, "%v", tt.args)
		assert.ErrorIs(t, err, errUsage, "%v exits 2", tt.args)
		assert.Contains(t, err.Error(), tt.err)
		assert.NotContains(t, err.Error(), "\n", "one line")
		assert.Empty(t, out.String(), "nothing on stdout")
	}
}
