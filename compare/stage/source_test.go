package stage

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/manifest"
	"github.com/tribench/tribench/compare/results"
)

func gzipped(t *testing.T, data []byte) float64 {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write(data)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return float64(b.Len())
}

// Lines count a last line without its newline; gzip bytes are each file's
// own, summed, never the concatenation's.
func TestSourceValues(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	files := map[string][]byte{
		"src/a.go":      bytes.Repeat([]byte("package a // the same line again\n"), 40),
		"src/b.go":      []byte("package b\n\nfunc B() {}"),
		"src/empty.go":  nil,
		"src/a_test.go": []byte("package a\n"),
	}
	require.NoError(t, os.Mkdir(filepath.Join(root, "src"), 0o755))
	for name, data := range files {
		require.NoError(t, os.WriteFile(filepath.Join(root, name), data, 0o644))
	}
	tests := []struct {
		name    string
		sources []string
		want    map[string]float64
	}{
		{name: "no sources", sources: nil, want: nil},
		{name: "tests left out", sources: []string{"src/*.go", "!src/*_test.go"}, want: map[string]float64{
			results.SourceFiles: 3, results.SourceLines: 43,
			results.SourceGzipBytes: gzipped(t, files["src/a.go"]) + gzipped(t, files["src/b.go"]) + gzipped(t, nil)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vs, err := SourceValues(root, manifest.Contender{Name: "c", Sources: tt.sources})
			require.NoError(t, err)
			var got map[string]float64
			for _, v := range vs {
				if got == nil {
					got = map[string]float64{}
				}
				got[v.Name] = v.Samples[0]
				assert.Equal(t, "outside", v.Source)
			}
			assert.Equal(t, tt.want, got)
		})
	}
	concatenated := gzipped(t, append(append([]byte(nil), files["src/a.go"]...), files["src/b.go"]...))
	vs, err := SourceValues(root, manifest.Contender{Name: "c", Sources: []string{"src/a.go", "src/b.go"}})
	require.NoError(t, err)
	assert.Greater(t, vs[2].Samples[0], concatenated, "two gzip streams, not one")
}

// A source that went missing since the manifest was validated is an error,
// not a smaller count.
func TestSourceValuesMissingFile(t *testing.T) {
	t.Parallel()
	_, err := SourceValues(t.TempDir(), manifest.Contender{Name: "c", Sources: []string{"gone.go"}})
	assert.ErrorContains(t, err, `"gone.go" matches no file`)
}
