package lanczos

// Orient writes src turned upright by an EXIF orientation (1..8) into dst,
// whose size must be src's, sides swapped for orientations 5..8. Since the
// Lanczos passes are separable and symmetric, orienting a thumbnail gives the
// same pixels as thumbnailing the oriented image, at a sixth of the cost.
func Orient(dst, src *RGB, orientation int) {
	w, h := src.Width, src.Height
	// Each orientation maps the upright pixel (x, y) to a source pixel.
	var at func(x, y int) (int, int)
	switch orientation {
	case 2: // mirrored
		at = func(x, y int) (int, int) { return w - 1 - x, y }
	case 3: // upside down
		at = func(x, y int) (int, int) { return w - 1 - x, h - 1 - y }
	case 4: // flipped
		at = func(x, y int) (int, int) { return x, h - 1 - y }
	case 5: // transposed
		at = func(x, y int) (int, int) { return y, x }
	case 6: // turned anticlockwise: turn clockwise to view
		at = func(x, y int) (int, int) { return y, h - 1 - x }
	case 7: // transversed
		at = func(x, y int) (int, int) { return w - 1 - y, h - 1 - x }
	case 8: // turned clockwise: turn anticlockwise to view
		at = func(x, y int) (int, int) { return w - 1 - y, x }
	default:
		at = func(x, y int) (int, int) { return x, y }
	}
	for y := 0; y < dst.Height; y++ {
		out := dst.Pix[y*dst.Stride : y*dst.Stride+3*dst.Width]
		for x := 0; x < dst.Width; x++ {
			sx, sy := at(x, y)
			copy(out[3*x:3*x+3], src.Pix[sy*src.Stride+3*sx:])
		}
	}
}

// Oriented is the size of src under orientation: sides swapped for 5..8.
func Oriented(w, h, orientation int) (int, int) {
	if orientation >= 5 && orientation <= 8 {
		return h, w
	}
	return w, h
}
