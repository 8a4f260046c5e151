package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/jsonbench"
)

func TestCachedAndToFile(t *testing.T) {
	t.Parallel()
	cache := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run([]string{"--size", "20000", "--seed", "4", "--cache", cache}, &out))
	var line struct {
		Path string `json:"path"`
		jsonbench.Digest
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &line))
	assert.Equal(t, filepath.Join(cache, "data", "jsonbench", "v1-seed4-20000", "document.json"), line.Path)

	file := filepath.Join(t.TempDir(), "doc.json")
	out.Reset()
	require.NoError(t, run([]string{"--size", "20000", "--seed", "4", "--out", file}, &out))
	var side jsonbench.Sidecar
	require.NoError(t, json.Unmarshal(out.Bytes(), &side))
	assert.Equal(t, line.Digest, side.Digest, "the same document either way")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Len(t, data, 20000)

	assert.ErrorContains(t, run([]string{"--profile", "huge"}, &out), "no JSON document")
	assert.ErrorContains(t, run([]string{"--size", "2", "--cache", cache}, &out), "below the minimum")
	assert.Error(t, run([]string{"extra"}, &out))
}
