package imageproc_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tribench/tribench/imageproc"
)

// benchTasks reads a small generated set once for the benchmarks.
func benchTasks(b *testing.B) []imageproc.Task {
	b.Helper()
	dir, err := imageproc.EnsureDataset(sharedCache, imageproc.DatasetSpec{Seed: imageproc.DefaultSeed, Count: 3})
	if err != nil {
		b.Fatal(err)
	}
	files := (imageproc.DatasetSpec{Seed: imageproc.DefaultSeed, Count: 3}).Files()
	tasks := make([]imageproc.Task, len(files))
	for i, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			b.Fatal(err)
		}
		tasks[i] = imageproc.Task{Name: f.Name, Data: data, Format: imageproc.JPEG, MaxW: imageproc.BoxWidth, MaxH: imageproc.BoxHeight, Quality: imageproc.OutputQuality}
	}
	return tasks
}

// BenchmarkImaging is one 1920x1080 photo (of three in turn) through the
// canonical Go resize: decode, orient, Lanczos, encode.
func BenchmarkImaging(b *testing.B) {
	tasks := benchTasks(b)
	resize, release := imageproc.Imaging{}.NewWorker()
	defer release()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := resize(tasks[i%len(tasks)]); err != nil {
			b.Fatal(err)
		}
	}
}
