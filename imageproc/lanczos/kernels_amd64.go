//go:build amd64

package lanczos

import "golang.org/x/sys/cpu"

// hasAVX2 enables the AVX2 kernels of kernels_amd64.s. Go has no portable
// SIMD and its compiler does not vectorise the loops of vertical and
// horizontalPlane; eight lanes of the same int32 arithmetic give the same
// bytes (TestKernelsMatchGeneric) in a third of the time here.
var hasAVX2 = cpu.X86.HasAVX2

//go:noescape
func verticalAVX2(out *uint8, width int, src *uint8, stride int, k *int32, taps int)

//go:noescape
func horizontalAVX2(out *uint8, width int, src *uint8, start *int, k *int32, n8 int)

// horizontalPlaneFast is horizontalPlane on AVX2; it reports false, having
// done nothing, where that is not available or the plane is narrower than
// the taps rounded up to eight.
func horizontalPlaneFast(tmp rows, src *Plane, c *coeffs, first, width int) bool {
	if !hasAVX2 || width == 0 {
		return false
	}
	p := c.padded()
	if p == nil {
		return false
	}
	for y := 0; y < tmp.height; y++ {
		in := src.Pix[(first+y)*src.Stride : (first+y)*src.Stride+src.Width]
		out := tmp.pix[y*tmp.stride : y*tmp.stride+width]
		horizontalAVX2(&out[0], width, &in[0], &p.start[0], &p.k[0], p.n)
	}
	return true
}

// verticalFast is vertical on AVX2, eight bytes of a row at a time and the
// last rowBytes%8 in Go; it reports false where AVX2 is not available.
func verticalFast(dst, tmp rows, rowBytes int, c *coeffs, first int) bool {
	if !hasAVX2 {
		return false
	}
	n, wide := c.n, rowBytes&^7
	for y := 0; y < dst.height; y++ {
		k := c.k[y*n : y*n+n]
		base := c.start[y] - first
		// The rows the kernel reads, checked whole once.
		taps := tmp.pix[base*tmp.stride : (base+n-1)*tmp.stride+rowBytes]
		out := dst.pix[y*dst.stride : y*dst.stride+rowBytes]
		if wide > 0 {
			verticalAVX2(&out[0], wide, &taps[0], tmp.stride, &k[0], n)
		}
		for i := wide; i < rowBytes; i++ {
			a := int32(1 << (precisionBits - 1))
			for j, w := range k {
				a += int32(taps[j*tmp.stride+i]) * w
			}
			out[i] = clip8(a)
		}
	}
	return true
}

// padded is c with every output's taps widened to a multiple of eight (the
// added weights zero, the window moved back from the right edge as
// newCoeffs moves it), for horizontalAVX2; nil where the input is narrower
// than that. Made once per coeffs.
func (c *coeffs) padded() *coeffs {
	n8 := (c.n + 7) &^ 7
	if n8 > c.in {
		return nil
	}
	if c.pad == nil {
		p := &coeffs{in: c.in, out: c.out, n: n8, start: make([]int, c.out), k: make([]int32, c.out*n8)}
		for i := range c.out {
			p.start[i] = min(c.start[i], c.in-n8)
			copy(p.k[i*n8+c.start[i]-p.start[i]:], c.k[i*c.n:i*c.n+c.n])
		}
		c.pad = p
	}
	return c.pad
}
