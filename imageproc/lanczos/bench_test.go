package lanczos

import "testing"

// BenchmarkResize1080p is one 1920x1080 frame to 800x450, the workload's shape.
func BenchmarkResize1080p(b *testing.B) {
	src := NewRGB(1920, 1080)
	for i := range src.Pix {
		src.Pix[i] = uint8(i * 7)
	}
	dst := NewRGB(800, 450)
	var r Resampler
	b.SetBytes(int64(len(src.Pix)))
	for i := 0; i < b.N; i++ {
		r.Resize(dst, src)
	}
}
