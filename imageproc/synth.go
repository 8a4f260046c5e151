package imageproc

import (
	"image"
	"math"
	"math/rand/v2"
)

// A noiseField is value noise: random values on a coarse grid, blended
// smoothly between grid points; it gives the large, soft variations of light
// and texture a photograph has.
type noiseField struct {
	cols, rows int
	cell       float64
	v          []float32
}

func newNoise(rng *rand.Rand, w, h int, cell float64) *noiseField {
	cols, rows := int(float64(w)/cell)+2, int(float64(h)/cell)+2
	f := &noiseField{cols: cols, rows: rows, cell: cell, v: make([]float32, cols*rows)}
	for i := range f.v {
		f.v[i] = rng.Float32()*2 - 1
	}
	return f
}

// at is the field at pixel (x, y), in [-1, 1].
func (f *noiseField) at(x, y int) float32 {
	fx, fy := float64(x)/f.cell, float64(y)/f.cell
	ix, iy := int(fx), int(fy)
	tx, ty := smooth(float32(fx-float64(ix))), smooth(float32(fy-float64(iy)))
	r0, r1 := f.v[iy*f.cols+ix:], f.v[(iy+1)*f.cols+ix:]
	top := r0[0] + (r0[1]-r0[0])*tx
	bottom := r1[0] + (r1[1]-r1[0])*tx
	return top + (bottom-top)*ty
}

func smooth(t float32) float32 { return t * t * (3 - 2*t) }

type rgb struct{ r, g, b float32 }

func randomColour(rng *rand.Rand, lo, hi float32) rgb {
	c := func() float32 { return lo + rng.Float32()*(hi-lo) }
	return rgb{c(), c(), c()}
}

func (c rgb) mix(d rgb, t float32) rgb {
	return rgb{c.r + (d.r-c.r)*t, c.g + (d.g-c.g)*t, c.b + (d.b-c.b)*t}
}

// A disc is a sharp-edged object of the scene (a sun, a tree top, a stone).
type disc struct {
	cx, cy, r float64
	colour    rgb
}

// A block is a sharp-edged rectangle (a building, a window, a sign).
type block struct {
	x0, y0, x1, y1 int
	colour         rgb
}

// Photo draws a deterministic photo-like scene of w x h pixels: a sky
// gradient over a wavy horizon (a sharp edge), ground with soft light and a
// mid-scale texture, sharp-edged discs and blocks, small high-contrast marks
// (text-like detail) and sensor grain, so that JPEG decode and encode cost
// what they cost on photographs.
func Photo(rng *rand.Rand, w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	skyTop, skyLow := randomColour(rng, 40, 140), randomColour(rng, 150, 250)
	ground, groundFar := randomColour(rng, 30, 140), randomColour(rng, 60, 180)
	light := newNoise(rng, w, h, float64(max(w, h))/6)
	texture := newNoise(rng, w, h, 9)
	fine := newNoise(rng, w, h, 2.5)
	horizon := float64(h) * (0.35 + 0.25*rng.Float64())
	waves := [3]struct{ amp, freq, phase float64 }{}
	for i := range waves {
		waves[i].amp = float64(h) * 0.05 / float64(i+1)
		waves[i].freq = (1 + 3*rng.Float64()) * float64(i+1) * 2 * math.Pi / float64(w)
		waves[i].phase = rng.Float64() * 2 * math.Pi
	}
	discs := make([]disc, 4+rng.IntN(6))
	for i := range discs {
		discs[i] = disc{rng.Float64() * float64(w), rng.Float64() * float64(h), 10 + rng.Float64()*float64(h)/6, randomColour(rng, 0, 255)}
	}
	blocks := make([]block, 6+rng.IntN(10))
	for i := range blocks {
		x0, y0 := rng.IntN(w), rng.IntN(h)
		blocks[i] = block{x0, y0, x0 + 8 + rng.IntN(w/5), y0 + 8 + rng.IntN(h/4), randomColour(rng, 0, 255)}
	}
	grain := rng.Uint64() | 1
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			edge := horizon
			for _, wv := range waves {
				edge += wv.amp * math.Sin(wv.freq*float64(x)+wv.phase)
			}
			var c rgb
			lt := light.at(x, y)
			if float64(y) < edge {
				c = skyTop.mix(skyLow, float32(float64(y)/edge))
				c = c.mix(rgb{255, 255, 255}, 0.15*(lt+1)) // clouds
			} else {
				depth := float32((float64(y) - edge) / (float64(h) - edge + 1))
				c = groundFar.mix(ground, depth)
				t := texture.at(x, y)*28 + fine.at(x, y)*14*depth
				c = rgb{c.r + t + lt*30, c.g + t*0.9 + lt*30, c.b + t*0.7 + lt*25}
			}
			for _, d := range discs {
				dx, dy := float64(x)-d.cx, float64(y)-d.cy
				if dx*dx+dy*dy < d.r*d.r {
					c = d.colour.mix(c, 0.25*(lt+1))
				}
			}
			for _, b := range blocks {
				if x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1 {
					stripe := float32(((x - b.x0) / 6 % 2) * 18) // windows, planks
					c = rgb{b.colour.r + stripe, b.colour.g + stripe, b.colour.b + stripe}
				}
			}
			grain ^= grain << 13
			grain ^= grain >> 7
			grain ^= grain << 17
			n := float32(int(grain&0xFF)+int(grain>>8&0xFF)-255) * (5.0 / 128)
			p := row[4*x : 4*x+4 : 4*x+4]
			p[0], p[1], p[2], p[3] = clamp8(c.r+n), clamp8(c.g+n*0.9), clamp8(c.b+n*1.1), 0xFF
		}
	}
	marks(rng, img)
	return img
}

// marks scatters small high-contrast marks: short strokes of near-black or
// near-white a few pixels across, like text, twigs and specular highlights.
func marks(rng *rand.Rand, img *image.RGBA) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for range w * h / 2000 {
		x, y := rng.IntN(w-8), rng.IntN(h-8)
		mw, mh := 1+rng.IntN(6), 1+rng.IntN(3)
		if rng.IntN(2) == 0 {
			mw, mh = mh, mw
		}
		v := uint8(10 + rng.IntN(30))
		if rng.IntN(2) == 0 {
			v = 255 - v
		}
		for j := y; j < y+mh; j++ {
			for i := x; i < x+mw; i++ {
				p := img.Pix[j*img.Stride+4*i:]
				p[0], p[1], p[2] = v, v, v
			}
		}
	}
}

func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

// Stripes draws the input that separates resampling filters: vertical
// stripes whose frequency sweeps across the output's Nyquist frequency for a
// w -> outW shrink (from 0.3 to 0.8 cycles per output pixel, left to right)
// above horizontal stripes that do the same for h -> outH, in red against
// cyan so the chroma planes carry them too. Lanczos keeps the stripes below
// Nyquist and suppresses those above it; a box filter lets the latter through
// as moiré.
func Stripes(w, h, outW, outH int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	sx, sy := float64(outW)/float64(w), float64(outH)/float64(h)
	phase := func(pos, length int, scale float64) float64 {
		// Instantaneous frequency f(p) in cycles per input pixel, swept
		// linearly from 0.3 to 0.8 cycles per output pixel; phase is its integral.
		f0, f1 := 0.3*scale, 0.8*scale
		p := float64(pos)
		return 2 * math.Pi * (f0*p + (f1-f0)*p*p/(2*float64(length)))
	}
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			var v float64
			if y < h/2 {
				v = math.Sin(phase(x, w, sx))
			} else {
				v = math.Sin(phase(y-h/2, h-h/2, sy))
			}
			t := float32(0.5 + 0.45*v)
			c := rgb{220, 40, 50}.mix(rgb{30, 200, 210}, t)
			p := row[4*x : 4*x+4 : 4*x+4]
			p[0], p[1], p[2], p[3] = clamp8(c.r), clamp8(c.g), clamp8(c.b), 0xFF
		}
	}
	return img
}
