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
// window is compared as a single window. The five windowed moments (means,
// second moments, product) are filtered in one horizontal pass and one
// vertical pass that scores each window as it goes.
func SSIM(a, b []float32, w, h int) float64 {
	if w < 2*ssimRadius+1 || h < 2*ssimRadius+1 {
		return ssimWhole(a, b)
	}
	// Horizontal pass: the moments of each row's windows, for the columns
	// whose windows fit.
	cols := w - 2*ssimRadius
	ma, mb := make([]float64, cols*h), make([]float64, cols*h)
	aa, bb, ab := make([]float64, cols*h), make([]float64, cols*h), make([]float64, cols*h)
	for y := 0; y < h; y++ {
		ra, rb := a[y*w:y*w+w], b[y*w:y*w+w]
		for x := 0; x < cols; x++ {
			var sa, sb, saa, sbb, sab float64
			for k, c := range ssimWindow {
				va, vb := float64(ra[x+k]), float64(rb[x+k])
				sa += c * va
				sb += c * vb
				saa += c * va * va
				sbb += c * vb * vb
				sab += c * va * vb
			}
			i := y*cols + x
			ma[i], mb[i], aa[i], bb[i], ab[i] = sa, sb, saa, sbb, sab
		}
	}
	// Vertical pass: each window's moments, scored at once.
	sum := 0.0
	for y := 0; y+2*ssimRadius < h; y++ {
		for x := 0; x < cols; x++ {
			var mua, mub, eaa, ebb, eab float64
			for k, c := range ssimWindow {
				i := (y+k)*cols + x
				mua += c * ma[i]
				mub += c * mb[i]
				eaa += c * aa[i]
				ebb += c * bb[i]
				eab += c * ab[i]
			}
			va, vb, cov := eaa-mua*mua, ebb-mub*mub, eab-mua*mub
			sum += ((2*mua*mub + ssimC1) * (2*cov + ssimC2)) / ((mua*mua + mub*mub + ssimC1) * (va + vb + ssimC2))
		}
	}
	return sum / float64(cols*(h-2*ssimRadius))
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
