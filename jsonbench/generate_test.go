package jsonbench_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/jsonbench"
)

func generate(t *testing.T, spec jsonbench.DocSpec) ([]byte, jsonbench.Sidecar) {
	t.Helper()
	var buf bytes.Buffer
	side, err := jsonbench.Generate(&buf, spec)
	require.NoError(t, err)
	return buf.Bytes(), side
}

func TestGenerateIsDeterministicAndExactlySized(t *testing.T) {
	t.Parallel()
	for _, size := range []int64{jsonbench.MinSize, 100, 4_321, 250_000} {
		a, sideA := generate(t, jsonbench.DocSpec{Seed: 7, Size: size})
		b, sideB := generate(t, jsonbench.DocSpec{Seed: 7, Size: size})
		assert.Len(t, a, int(size))
		assert.Equal(t, sha256.Sum256(a), sha256.Sum256(b), "size %d", size)
		assert.Equal(t, sideA, sideB)
		assert.Equal(t, size, sideA.Mix.Total(), "every byte is counted in the mix")
		assert.True(t, json.Valid(a), "size %d is valid JSON", size)
	}
	_, other := generate(t, jsonbench.DocSpec{Seed: 8, Size: 250_000})
	_, first := generate(t, jsonbench.DocSpec{Seed: 7, Size: 250_000})
	assert.NotEqual(t, first.SHA256, other.SHA256, "another seed, another document")
	_, err := jsonbench.Generate(&bytes.Buffer{}, jsonbench.DocSpec{Size: jsonbench.MinSize - 1})
	assert.ErrorContains(t, err, "below the minimum")
}

// TestSidecarEqualsTheDigestOfAParse parses a generated document with
// encoding/json, generically and into the schema's types: both digests equal
// the one the generator wrote while producing it.
func TestSidecarEqualsTheDigestOfAParse(t *testing.T) {
	t.Parallel()
	doc, side := generate(t, jsonbench.DocSpec{Seed: jsonbench.DefaultSeed, Size: 1_000_000})
	var tree any
	require.NoError(t, json.Unmarshal(doc, &tree))
	generic, err := jsonbench.DigestOf(tree)
	require.NoError(t, err)
	assert.Equal(t, side.Digest, generic)
	var records []jsonbench.Record
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&records))
	assert.Equal(t, side.Digest, jsonbench.DigestRecords(records))
	assert.Equal(t, side.Records, int64(len(records)))
}

// TestDocumentHoldsTheDeclaredMix: a megabyte document is within one point of
// every fraction SCHEMA.md states, and SCHEMA.md states the code's figures.
func TestDocumentHoldsTheDeclaredMix(t *testing.T) {
	t.Parallel()
	_, side := generate(t, jsonbench.DocSpec{Seed: 3, Size: 1_000_000})
	schema, err := os.ReadFile("SCHEMA.md")
	require.NoError(t, err)
	for kind, pct := range side.Mix.Percent() {
		declared, ok := jsonbench.DeclaredMix[kind]
		require.True(t, ok, kind)
		assert.InDelta(t, declared, pct, 1.0, kind)
		assert.Contains(t, string(schema), fmt.Sprintf("| `%s` | %.1f |", kind, declared), "SCHEMA.md states %s", kind)
	}
	doc, _ := generate(t, jsonbench.DocSpec{Seed: 3, Size: 200_000})
	for _, want := range []string{`\u`, `\"`, `\n`, `\\`, "e-0", "é", "null"} {
		assert.Contains(t, string(doc), want)
	}
	assert.Regexp(t, `\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}`, string(doc), "astral characters as surrogate pairs")
}

// countingWriter samples the heap every megabyte written.
type countingWriter struct {
	written, next int64
	peak          uint64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.written += int64(len(p))
	if w.written >= w.next {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		w.peak = max(w.peak, m.HeapInuse)
		w.next += 1 << 20
	}
	return len(p), nil
}

// TestGenerateStreams: generating 16 MB holds no more heap than 2 MB does.
func TestGenerateStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: generates 18 MB")
	}
	peak := func(size int64) uint64 {
		runtime.GC()
		w := &countingWriter{}
		_, err := jsonbench.Generate(w, jsonbench.DocSpec{Seed: 1, Size: size})
		require.NoError(t, err)
		require.Equal(t, size, w.written)
		return w.peak
	}
	small, large := peak(2<<20), peak(16<<20)
	t.Logf("heap in use: %d KiB at 2 MiB, %d KiB at 16 MiB", small>>10, large>>10)
	assert.Less(t, large, small+8<<20, "the heap does not grow with the document")
}

func TestEnsureDocumentCachesByKey(t *testing.T) {
	t.Parallel()
	cache := t.TempDir()
	spec := jsonbench.DocSpec{Seed: 5, Size: 50_000}
	path, digest, err := jsonbench.EnsureDocument(cache, spec)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(cache, "data", "jsonbench", "v1-seed5-50000", "document.json"), path)
	side, err := jsonbench.ReadSidecar(path)
	require.NoError(t, err)
	assert.Equal(t, digest, side.Digest)
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, spec.Size, st.Size())

	require.NoError(t, os.WriteFile(path, []byte("[]"), 0o644)) // a damaged cache entry
	again, digest2, err := jsonbench.EnsureDocument(cache, spec)
	require.NoError(t, err)
	assert.Equal(t, path, again)
	assert.Equal(t, digest, digest2)
	st, err = os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, spec.Size, st.Size(), "regenerated")

	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.Contains(e.Name(), ".tmp-"), "no temporary file left: %s", e.Name())
	}
	_, err = jsonbench.SpecFor("huge")
	assert.ErrorContains(t, err, `no JSON document for profile "huge"`)
	quick, err := jsonbench.SpecFor("quick")
	require.NoError(t, err)
	assert.Equal(t, int64(100_000_000), quick.Size)
}
