package goparse

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/jsonbench"
)

// TestReferenceMeetsEveryExpectation: encoding/json, the Go reference, accepts
// every y_ file of the conformance set and rejects every n_ file.
func TestReferenceMeetsEveryExpectation(t *testing.T) {
	t.Parallel()
	meetsEveryExpectation(t, Reference)
}

// TestSchemaMeetsEveryExpectation: so does the hand-written schema decoder.
func TestSchemaMeetsEveryExpectation(t *testing.T) {
	t.Parallel()
	meetsEveryExpectation(t, "schema")
}

func meetsEveryExpectation(t *testing.T, library string) {
	dir := filepath.Join("..", "conformance")
	names, err := Files(dir)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(names), 100)
	kinds := map[jsonbench.Expectation]int{}
	var lines []jsonbench.VerdictLine
	summary, err := Check(Libraries[library], dir, func(v jsonbench.VerdictLine) error {
		lines = append(lines, v)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, len(names), summary.Files)
	require.Len(t, lines, len(names))
	for i, v := range lines {
		assert.Equal(t, names[i], v.Item)
		e := jsonbench.ExpectationOf(v.Item)
		kinds[e]++
		assert.True(t, e.Agrees(v.Verdict), "%s: %s %s", v.Item, v.Verdict, v.Error)
		assert.Equal(t, v.Verdict == jsonbench.Reject, v.Error != "", v.Item)
	}
	for _, e := range []jsonbench.Expectation{jsonbench.MustAccept, jsonbench.MustReject, jsonbench.ImplDefined} {
		assert.Positive(t, kinds[e], "files named %s_", e)
	}
	assert.Zero(t, kinds[jsonbench.Unnamed], "every file is named y_, n_ or i_")
}

func TestEveryLibraryParsesToTheGeneratorsDigest(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	side, err := jsonbench.Generate(&buf, jsonbench.DocSpec{Seed: 11, Size: 300_000})
	require.NoError(t, err)
	for name, lib := range Libraries {
		for _, mode := range []string{jsonbench.Generic, jsonbench.Typed} {
			line, err := Parse(lib, buf.Bytes(), mode, 2, true)
			require.NoError(t, err, "%s %s", name, mode)
			assert.Equal(t, side.SHA256, line.Digest, "%s %s", name, mode)
			assert.Equal(t, side.Counts, *line.Counts, "%s %s", name, mode)
			assert.Len(t, line.Seconds, 2)
			assert.Equal(t, int64(buf.Len()), line.Bytes)
			assert.Equal(t, mode, line.Mode)
		}
		line, err := Parse(lib, buf.Bytes(), jsonbench.Generic, 1, false)
		require.NoError(t, err)
		assert.Empty(t, line.Digest, "no digest without asking")
		assert.Nil(t, line.Counts)
	}
}

func TestBadDocumentsFail(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000)
	for name, lib := range Libraries {
		for _, doc := range []string{`[{"a": 1}, {"b": `, "hello, world", deep} {
			for _, mode := range []string{jsonbench.Generic, jsonbench.Typed} {
				_, err := Parse(lib, []byte(doc), mode, 1, true)
				require.Error(t, err, "%s %s %.20s", name, mode, doc)
				assert.NotContains(t, err.Error(), "\n", "one line")
			}
		}
	}
	_, err := Parse(Libraries["goccy"], []byte("[]"), "sideways", 1, false)
	assert.ErrorContains(t, err, "--mode must be generic or typed")
	_, err = Parse(Libraries["goccy"], []byte("[]"), jsonbench.Generic, 0, false)
	assert.ErrorContains(t, err, "--repeat must be at least 1")
	_, err = Lookup("easyjson")
	assert.ErrorContains(t, err, "goccy, schema, sonic, stdlib")
}

func TestCheckRejectsUnreadableFilesAndSkipsHidden(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "y_ok.json"), []byte("[1]"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".hidden"), []byte("x"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	require.NoError(t, os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "n_dangling.json")))
	var got []jsonbench.VerdictLine
	_, err := Check(Libraries["goccy"], dir, func(v jsonbench.VerdictLine) error { got = append(got, v); return nil })
	require.NoError(t, err)
	require.Len(t, got, 1, "regular files only")
	assert.Equal(t, jsonbench.VerdictLine{Item: "y_ok.json", Verdict: jsonbench.Accept}, got[0])
	_, err = Check(Libraries["goccy"], filepath.Join(dir, "none"), nil)
	assert.ErrorContains(t, err, "check:")
}
