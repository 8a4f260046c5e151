package imageproc_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/tribench/tribench/imageproc"
)

// TestThumbnailSize holds the rounding to the sizes Pillow 12.2's
// Image.thumbnail((800, 600)) gives (each row read from Pillow itself).
func TestThumbnailSize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ w, h, wantW, wantH int }{
		{1920, 1080, 800, 450},
		{1080, 1920, 337, 600}, // 337.5: floor and ceiling tie, Pillow takes the floor
		{1283, 721, 800, 450},
		{999, 1333, 450, 600},
		{3001, 1999, 800, 533},
		{641, 479, 641, 479}, // fits: left alone
		{1201, 1199, 601, 600},
		{120, 80, 120, 80},
		{801, 1, 800, 1},
		{1, 5000, 1, 600},
		{800, 600, 800, 600},
		{800, 601, 799, 600},
		{4000, 3000, 800, 600},
		{1000, 1, 800, 1}, // never below 1
	} {
		w, h := imageproc.ThumbnailSize(tc.w, tc.h, 800, 600)
		assert.Equal(t, [2]int{tc.wantW, tc.wantH}, [2]int{w, h}, "%dx%d", tc.w, tc.h)
	}
}

func TestOriented(t *testing.T) {
	t.Parallel()
	for o := 1; o <= 8; o++ {
		w, h := imageproc.Oriented(1920, 1080, o)
		if o >= 5 {
			assert.Equal(t, [2]int{1080, 1920}, [2]int{w, h}, "orientation %d", o)
		} else {
			assert.Equal(t, [2]int{1920, 1080}, [2]int{w, h}, "orientation %d", o)
		}
	}
}
