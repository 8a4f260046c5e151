package imagecheck

import "math"

// SSIM constants (Wang et al. 2004): an 11-tap Gaussian window of sigma 1.5,
// K1 = 0.01 and K2 = 0.03 of the dynamic range 255.
const (
	ssimRadius = 5
	ssimSigma  = 1.5
	ssimC1     = (0.01 * 255) * (0.01 * 255)
	ssimC2     = (0.03 * 255) * (0.03 * 255)
)

var ssimWindow = func() []float64 {
	w := make([]float64, 2*ssimRadius+1)
	sum := 0.0
	for i := range w {
		d := float64(i - ssimRadius)
		w[i] = math.Exp(-d * d / (2 * ssimSigma * ssimSigma))
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}()

// SSIM is the mean structural similarity of two equally sized planes of w x
// h, over the windows wholly inside the image; a plane smaller than the
// window is compared as a single window.
func SSIM(a, b []float32, w, h int) float64 {
	if w < 2*ssimRadius+1 || h < 2*ssimRadius+1 {
		return ssimWhole(a, b)
	}
	prod := func(f func(x, y float64) float64) []float64 {
		out := make([]float64, len(a))
		for i := range a {
			out[i] = f(float64(a[i]), float64(b[i]))
		}
		return blur(out, w, h)
	}
	muA := prod(func(x, _ float64) float64 { return x })
	muB := prod(func(_, y float64) float64 { return y })
	aa := prod(func(x, _ float64) float64 { return x * x })
	bb := prod(func(_, y float64) float64 { return y * y })
	ab := prod(func(x, y float64) float64 { return x * y })
	sum, n := 0.0, 0
	for y := ssimRadius; y < h-ssimRadius; y++ {
		for x := ssimRadius; x < w-ssimRadius; x++ {
			i := y*w + x
			ma, mb := muA[i], muB[i]
			va, vb, cov := aa[i]-ma*ma, bb[i]-mb*mb, ab[i]-ma*mb
			sum += ((2*ma*mb + ssimC1) * (2*cov + ssimC2)) / ((ma*ma + mb*mb + ssimC1) * (va + vb + ssimC2))
			n++
		}
	}
	return sum / float64(n)
}

// ssimWhole is SSIM with the whole plane as the one window.
func ssimWhole(a, b []float32) float64 {
	var ma, mb float64
	for i := range a {
		ma += float64(a[i])
		mb += float64(b[i])
	}
	n := float64(len(a))
	ma, mb = ma/n, mb/n
	var va, vb, cov float64
	for i := range a {
		da, db := float64(a[i])-ma, float64(b[i])-mb
		va, vb, cov = va+da*da, vb+db*db, cov+da*db
	}
	va, vb, cov = va/n, vb/n, cov/n
	return ((2*ma*mb + ssimC1) * (2*cov + ssimC2)) / ((ma*ma + mb*mb + ssimC1) * (va + vb + ssimC2))
}

// blur filters a w x h plane with the Gaussian window, separably; only the
// values at least ssimRadius from every edge are used.
func blur(p []float64, w, h int) []float64 {
	tmp := make([]float64, len(p))
	for y := 0; y < h; y++ {
		row := p[y*w : y*w+w]
		for x := ssimRadius; x < w-ssimRadius; x++ {
			s := 0.0
			for k, c := range ssimWindow {
				s += c * row[x+k-ssimRadius]
			}
			tmp[y*w+x] = s
		}
	}
	out := make([]float64, len(p))
	for y := ssimRadius; y < h-ssimRadius; y++ {
		for x := ssimRadius; x < w-ssimRadius; x++ {
			s := 0.0
			for k, c := range ssimWindow {
				s += c * tmp[(y+k-ssimRadius)*w+x]
			}
			out[y*w+x] = s
		}
	}
	return out
}

// PSNR is the peak signal-to-noise ratio of two equally sized planes in dB
// (peak 255); identical planes give +Inf.
func PSNR(a, b []float32) float64 {
	sum := 0.0
	for i := range a {
		d := float64(a[i]) - float64(b[i])
		sum += d * d
	}
	if sum == 0 {
		return math.Inf(1)
	}
	return 10 * math.Log10(255*255/(sum/float64(len(a))))
}
