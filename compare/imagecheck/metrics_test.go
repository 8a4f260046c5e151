package imagecheck_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tribench/tribench/compare/imagecheck"
)

func plane(w, h int, f func(x, y int) float32) []float32 {
	p := make([]float32, w*h)
	for y := range h {
		for x := range w {
			p[y*w+x] = f(x, y)
		}
	}
	return p
}

func TestSSIM(t *testing.T) {
	t.Parallel()
	stripes := func(shift int) []float32 {
		return plane(40, 30, func(x, _ int) float32 { return float32(128 + 100*math.Sin(float64(x+shift))) })
	}
	flat := plane(40, 30, func(int, int) float32 { return 128 })
	assert.InDelta(t, 1, imagecheck.SSIM(stripes(0), stripes(0), 40, 30), 1e-9, "identical")
	shifted := imagecheck.SSIM(stripes(0), stripes(1), 40, 30)
	assert.Less(t, shifted, 0.9, "a shifted pattern")
	assert.Less(t, imagecheck.SSIM(stripes(0), flat, 40, 30), 0.1, "a pattern against a flat grey")
	assert.InDelta(t, imagecheck.SSIM(stripes(0), stripes(1), 40, 30), imagecheck.SSIM(stripes(1), stripes(0), 40, 30), 1e-12, "symmetric")
	tiny := []float32{1, 2, 3, 4}
	assert.InDelta(t, 1, imagecheck.SSIM(tiny, tiny, 2, 2), 1e-9, "smaller than the window: one window")
}

func TestPSNR(t *testing.T) {
	t.Parallel()
	a := []float32{10, 20, 30, 40}
	assert.True(t, math.IsInf(imagecheck.PSNR(a, a), 1))
	b := []float32{11, 21, 31, 41} // every sample off by one: MSE 1
	assert.InDelta(t, 20*math.Log10(255), imagecheck.PSNR(a, b), 1e-9)
}
