package lanczos

import (
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readRGB(t *testing.T, name string) *RGB {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	b := img.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, img, b.Min, draw.Src)
	out := NewRGB(b.Dx(), b.Dy())
	for i := 0; i < b.Dx()*b.Dy(); i++ {
		copy(out.Pix[3*i:3*i+3], rgba.Pix[4*i:4*i+3])
	}
	return out
}

// TestMatchesPillow resizes the fixture to every size testdata/make.py had
// Pillow 12.2 make, with one Resampler (so its buffers are reused across
// sizes), and requires every byte to equal Pillow's.
func TestMatchesPillow(t *testing.T) {
	t.Parallel()
	src := readRGB(t, "source.png")
	var r Resampler
	for _, size := range [][2]int{{80, 46}, {17, 117}, {203, 40}, {1, 1}, {150, 90}, {80, 46}} {
		want := readRGB(t, fmt.Sprintf("pillow-%dx%d.png", size[0], size[1]))
		got := NewRGB(size[0], size[1])
		r.Resize(got, src)
		diff := 0
		for i := range got.Pix {
			if got.Pix[i] != want.Pix[i] {
				diff++
			}
		}
		assert.Zero(t, diff, "%dx%d: %d of %d bytes differ from Pillow's", size[0], size[1], diff, len(got.Pix))
	}
}

func TestCoeffsAreNormalised(t *testing.T) {
	t.Parallel()
	for _, tc := range [][2]int{{1920, 800}, {1080, 450}, {5, 3}, {7, 7}, {3001, 800}} {
		c := newCoeffs(tc[0], tc[1])
		for i := range c.out {
			sum := int32(0)
			for _, w := range c.k[i*c.n : i*c.n+c.n] {
				sum += w
			}
			assert.InDelta(t, 1<<precisionBits, sum, float64(c.n), "%v output %d", tc, i)
			assert.GreaterOrEqual(t, c.start[i], 0)
			assert.LessOrEqual(t, c.start[i]+c.n, tc[0])
		}
	}
}

// TestPlaneMatchesEachChannel resizes each channel of the fixture as a plane
// and requires every byte to equal that channel of the RGB resize (which
// TestMatchesPillow holds to Pillow).
func TestPlaneMatchesEachChannel(t *testing.T) {
	t.Parallel()
	src := readRGB(t, "source.png")
	var rgbR, planeR Resampler
	for _, size := range [][2]int{{80, 46}, {17, 117}, {203, 40}, {1, 1}, {39, 23}} {
		want := NewRGB(size[0], size[1])
		rgbR.Resize(want, src)
		for ch := range 3 {
			in := &Plane{Pix: make([]uint8, src.Width*src.Height), Width: src.Width, Height: src.Height, Stride: src.Width}
			for i := range in.Pix {
				in.Pix[i] = src.Pix[3*i+ch]
			}
			// A wider stride than the width, as a decoder's padded planes have.
			got := &Plane{Pix: make([]uint8, (size[0]+5)*size[1]), Width: size[0], Height: size[1], Stride: size[0] + 5}
			planeR.ResizePlane(got, in)
			diff := 0
			for y := range size[1] {
				for x := range size[0] {
					if got.Pix[y*got.Stride+x] != want.Pix[y*want.Stride+3*x+ch] {
						diff++
					}
				}
			}
			assert.Zero(t, diff, "%dx%d channel %d: %d bytes differ from the RGB resize", size[0], size[1], ch, diff)
		}
	}
}
