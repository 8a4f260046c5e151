//go:build turbojpeg

package turbo

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/imageproc"
)

// BenchmarkPhases times the plane path's decode, resample and encode phases
// of the generated set's upright 1920x1080 photos, each phase on its own, as
// imageproc/python/phases.py times Pillow's. Run it pinned to one CPU next to
// that script (imageproc/README.md has both commands).
func BenchmarkPhases(b *testing.B) {
	spec := imageproc.DatasetSpec{Seed: imageproc.DefaultSeed, Count: 20}
	dir, err := imageproc.EnsureDataset(b.TempDir(), spec)
	require.NoError(b, err)
	var tasks []imageproc.Task
	for _, f := range spec.Files() {
		if f.Kind != imageproc.KindPhoto {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		require.NoError(b, err)
		tasks = append(tasks, imageproc.Task{Name: f.Name, Data: data, Format: imageproc.JPEG, MaxW: 800, MaxH: 600, Quality: 85})
	}
	c, err := newCodec()
	require.NoError(b, err)
	defer c.close()
	w := &worker{codec: c}
	var phases [3]time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := tasks[i%len(tasks)]
		t0 := time.Now()
		hd, err := w.header(t.Data)
		require.NoError(b, err)
		in, err := w.decodePlanes(t, hd)
		require.NoError(b, err)
		t1 := time.Now()
		tw, th := w.resamplePlanes(t, hd, in)
		t2 := time.Now()
		_, err = w.encodePlanes(t, tw, th)
		require.NoError(b, err)
		phases[0], phases[1], phases[2] = phases[0]+t1.Sub(t0), phases[1]+t2.Sub(t1), phases[2]+time.Since(t2)
	}
	for i, name := range []string{"decode-ms", "resample-ms", "encode-ms"} {
		b.ReportMetric(float64(phases[i].Microseconds())/1000/float64(b.N), name)
	}
}
