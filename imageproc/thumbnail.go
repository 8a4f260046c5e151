package imageproc

import "math"

// MaxPixels is the largest image any contender decodes: Pillow's default
// Image.MAX_IMAGE_PIXELS (beyond it Pillow warns, and every contender here
// refuses before decoding).
const MaxPixels = 89_478_485

// ThumbnailSize is the size Pillow's Image.thumbnail((maxW, maxH)) gives a
// w x h image: the aspect ratio kept, each side rounded to whichever of floor
// and ceiling keeps the aspect closest (floor on a tie), at least 1; an image
// that already fits is left as it is. It is Pillow 12's preserve_aspect_ratio
// in the same float64 arithmetic, so the sizes agree on odd inputs too.
func ThumbnailSize(w, h, maxW, maxH int) (int, int) {
	if w <= 0 || h <= 0 {
		return w, h
	}
	if maxW >= w && maxH >= h {
		return w, h
	}
	x, y := maxW, maxH
	aspect := float64(w) / float64(h)
	if float64(x)/float64(y) >= aspect {
		x = roundAspect(float64(y)*aspect, func(n int) float64 { return math.Abs(aspect - float64(n)/float64(y)) })
	} else {
		y = roundAspect(float64(x)/aspect, func(n int) float64 {
			if n == 0 {
				return 0
			}
			return math.Abs(aspect - float64(x)/float64(n))
		})
	}
	// Pillow then skips the resize when the size is unchanged; it never grows
	// a side, since x <= maxW and y <= maxH.
	return x, y
}

// roundAspect is Pillow's round_aspect: min(floor, ceil, key=key), the first
// on a tie, and at least 1.
func roundAspect(number float64, key func(int) float64) int {
	lo, hi := int(math.Floor(number)), int(math.Ceil(number))
	best := lo
	if key(hi) < key(lo) {
		best = hi
	}
	return max(best, 1)
}
