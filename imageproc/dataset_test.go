package imageproc_test

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/imageproc"
)

func TestFilesHaveEveryKind(t *testing.T) {
	t.Parallel()
	kinds := map[imageproc.Kind]int{}
	names := map[string]bool{}
	for _, f := range (imageproc.DatasetSpec{Seed: 1, Count: 100}).Files() {
		kinds[f.Kind]++
		assert.False(t, names[f.Name], "duplicate name %s", f.Name)
		names[f.Name] = true
	}
	assert.Equal(t, 1, kinds[imageproc.KindRotated])
	assert.Equal(t, 1, kinds[imageproc.KindStripes])
	assert.Equal(t, 5, kinds[imageproc.KindOdd])
	assert.Equal(t, 93, kinds[imageproc.KindPhoto])
}

// TestEnsureDataset makes a small set twice under two caches: the files are
// byte for byte the same (deterministic from the seed), photo-sized, decode
// to their listed sizes, carry their orientation; a second call reuses the
// folder, and another count is another key.
func TestEnsureDataset(t *testing.T) {
	t.Parallel()
	spec := imageproc.DatasetSpec{Seed: 7, Count: 3}
	cacheA, cacheB := t.TempDir(), t.TempDir()
	dirA, err := imageproc.EnsureDataset(cacheA, spec)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(cacheA, "data", "imageproc", spec.Key()), dirA)
	dirB, err := imageproc.EnsureDataset(cacheB, spec)
	require.NoError(t, err)

	for _, f := range spec.Files() {
		a, err := os.ReadFile(filepath.Join(dirA, f.Name))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(dirB, f.Name))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(a, b), "%s differs between two runs", f.Name)
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(a))
		require.NoError(t, err)
		assert.Equal(t, [2]int{f.Width, f.Height}, [2]int{cfg.Width, cfg.Height}, f.Name)
		assert.Equal(t, f.Orientation, imageproc.Orientation(a), f.Name)
		assert.Greater(t, len(a), 250_000, "%s: as costly as a q90 photo", f.Name)
		assert.Less(t, len(a), 700_000, f.Name)
	}
	entries, err := os.ReadDir(filepath.Dir(dirA))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary folder left behind")

	marker := filepath.Join(dirA, "marker")
	require.NoError(t, os.WriteFile(marker, nil, 0o644))
	again, err := imageproc.EnsureDataset(cacheA, spec)
	require.NoError(t, err)
	assert.Equal(t, dirA, again)
	assert.FileExists(t, marker, "an existing set is reused, not regenerated")

	other := imageproc.DatasetSpec{Seed: 7, Count: 4}
	assert.NotEqual(t, spec.Key(), other.Key())
	assert.NotEqual(t, spec.Key(), imageproc.DatasetSpec{Seed: 8, Count: 3}.Key())
}

func TestEnsureDatasetRefusesNoFiles(t *testing.T) {
	t.Parallel()
	_, err := imageproc.EnsureDataset(t.TempDir(), imageproc.DatasetSpec{Seed: 1, Count: 0})
	assert.ErrorContains(t, err, "count 0")
}
