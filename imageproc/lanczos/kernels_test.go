package lanczos

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestKernelsMatchGeneric resizes random planes with the SIMD kernels and
// with the Go loops and requires the same bytes: the workload's sizes (Y and
// chroma of a 1080p JPEG to 800x450), odd widths that leave a tail of fewer
// than eight bytes, windows moved back from the right edge, and enlargements.
func TestKernelsMatchGeneric(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ sw, sh, dw, dh int }{
		{1920, 1080, 800, 450},
		{960, 540, 800, 450},
		{1999, 1001, 801, 401},
		{37, 29, 13, 7},
		{24, 10, 7, 5},
		{20, 12, 45, 31},
		{8, 8, 8, 8},
	} {
		t.Run(fmt.Sprintf("%dx%d-%dx%d", tc.sw, tc.sh, tc.dw, tc.dh), func(t *testing.T) {
			src := &Plane{Pix: make([]uint8, (tc.sw+3)*tc.sh), Width: tc.sw, Height: tc.sh, Stride: tc.sw + 3}
			for i := range src.Pix {
				src.Pix[i] = uint8(rng.IntN(256))
			}
			var r Resampler
			h, v := r.axis(tc.sw, tc.dw), r.axis(tc.sh, tc.dh)
			fast, generic := r.intermediate(v, tc.dh, tc.dw), rows{}
			generic = rows{make([]uint8, len(fast.pix)), fast.stride, fast.height}
			if !horizontalPlaneFast(fast, src, h, v.start[0], tc.dw) {
				t.Skip("no SIMD kernel on this machine or for this width")
			}
			horizontalPlane(generic, src, h, v.start[0], tc.dw)
			assert.Equal(t, generic.pix, fast.pix, "horizontal pass")

			outFast := rows{make([]uint8, tc.dw*tc.dh), tc.dw, tc.dh}
			outGeneric := rows{make([]uint8, tc.dw*tc.dh), tc.dw, tc.dh}
			assert.True(t, verticalFast(outFast, generic, tc.dw, v, v.start[0]))
			verticalGeneric(outGeneric, generic, tc.dw, v, v.start[0], make([]int32, tc.dw))
			assert.Equal(t, outGeneric.pix, outFast.pix, "vertical pass")
		})
	}
}
