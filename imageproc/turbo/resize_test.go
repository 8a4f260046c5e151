//go:build turbojpeg

package turbo_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/imageproc"
	"github.com/tribench/tribench/imageproc/turbo"
)

// TestBadInputs runs the faster variant on the bad-input set: every file
// yields what the manifest says (the truncated JPEG fails on libjpeg-turbo's
// warning), and nothing else is written.
func TestBadInputs(t *testing.T) {
	t.Parallel()
	dir, err := imageproc.EnsureBadInputs(t.TempDir())
	require.NoError(t, err)
	m, err := imageproc.ReadBadManifest(dir)
	require.NoError(t, err)
	out := t.TempDir()
	res, err := imageproc.Run(imageproc.Options{In: filepath.Join(dir, "in"), Out: out, Workers: 2, Width: 800, Height: 600, Quality: 85}, turbo.Resizer{})
	require.NoError(t, err)
	assert.Empty(t, imageproc.Mismatches(m, res, out))
	for _, e := range res.Errors {
		if e.File == "truncated.jpg" {
			assert.Contains(t, e.Error, "Premature end of JPEG file")
		}
	}
	entries, err := os.ReadDir(out)
	require.NoError(t, err)
	assert.Len(t, entries, res.Succeeded)
}

// BenchmarkTurbo is one 1920x1080 photo (of three in turn) through the faster
// variant: decode, Lanczos, encode.
func BenchmarkTurbo(b *testing.B) {
	spec := imageproc.DatasetSpec{Seed: imageproc.DefaultSeed, Count: 3}
	dir, err := imageproc.EnsureDataset(b.TempDir(), spec)
	require.NoError(b, err)
	var tasks []imageproc.Task
	for _, f := range spec.Files() {
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		require.NoError(b, err)
		tasks = append(tasks, imageproc.Task{Name: f.Name, Data: data, Format: imageproc.JPEG, MaxW: 800, MaxH: 600, Quality: 85})
	}
	resize, release := turbo.Resizer{}.NewWorker()
	defer release()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := resize(tasks[i%len(tasks)]); err != nil {
			b.Fatal(err)
		}
	}
}
