package lanczos

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestOrient turns a 3x2 image whose pixels are numbered row by row by each
// orientation and compares it with the upright picture the EXIF
// specification draws for it (rows of pixel numbers).
func TestOrient(t *testing.T) {
	t.Parallel()
	src := NewRGB(3, 2)
	for i := range 6 {
		src.Pix[3*i] = uint8(i + 1) // 1 2 3 / 4 5 6
	}
	for _, tc := range []struct {
		orientation int
		want        [][]uint8
	}{
		{1, [][]uint8{{1, 2, 3}, {4, 5, 6}}},
		{2, [][]uint8{{3, 2, 1}, {6, 5, 4}}},
		{3, [][]uint8{{6, 5, 4}, {3, 2, 1}}},
		{4, [][]uint8{{4, 5, 6}, {1, 2, 3}}},
		{5, [][]uint8{{1, 4}, {2, 5}, {3, 6}}},
		{6, [][]uint8{{4, 1}, {5, 2}, {6, 3}}},
		{7, [][]uint8{{6, 3}, {5, 2}, {4, 1}}},
		{8, [][]uint8{{3, 6}, {2, 5}, {1, 4}}},
	} {
		w, h := Oriented(3, 2, tc.orientation)
		dst := NewRGB(w, h)
		Orient(dst, src, tc.orientation)
		got := make([][]uint8, h)
		for y := range h {
			for x := range w {
				got[y] = append(got[y], dst.Pix[y*dst.Stride+3*x])
			}
		}
		assert.Equal(t, tc.want, got, "orientation %d", tc.orientation)
	}
}
