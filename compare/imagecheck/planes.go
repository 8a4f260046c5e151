package imagecheck

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // outputs are JPEG
	_ "image/png"  // or PNG
	"os"
)

// Planes are an image's Y, Cb and Cr channels at full resolution, as float32
// in 0..255 (JFIF's full-range conversion from RGB).
type Planes struct {
	Width, Height int
	Y, Cb, Cr     []float32
	// Format is the format the file decoded as (jpeg, png).
	Format string
}

// ReadPlanes decodes an image file into its planes.
func ReadPlanes(path string) (Planes, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Planes{}, err
	}
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return Planes{}, fmt.Errorf("%s: %w", path, err)
	}
	p := FromImage(img)
	p.Format = format
	return p, nil
}

// FromImage converts any image to planes; alpha is ignored (outputs are opaque).
func FromImage(img image.Image) Planes {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	p := Planes{Width: w, Height: h, Y: make([]float32, w*h), Cb: make([]float32, w*h), Cr: make([]float32, w*h)}
	set := func(i int, r, g, bl uint8) {
		fr, fg, fb := float32(r), float32(g), float32(bl)
		p.Y[i] = 0.299*fr + 0.587*fg + 0.114*fb
		p.Cb[i] = 128 - 0.168736*fr - 0.331264*fg + 0.5*fb
		p.Cr[i] = 128 + 0.5*fr - 0.418688*fg - 0.081312*fb
	}
	switch src := img.(type) {
	case *image.YCbCr: // a JPEG's own samples, converted as its decoder's At would
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				yi, ci := src.YOffset(b.Min.X+x, b.Min.Y+y), src.COffset(b.Min.X+x, b.Min.Y+y)
				r, g, bl := color.YCbCrToRGB(src.Y[yi], src.Cb[ci], src.Cr[ci])
				set(y*w+x, r, g, bl)
			}
		}
	case *image.RGBA: // PNG outputs are opaque: premultiplied or not is the same
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				o := src.PixOffset(b.Min.X+x, b.Min.Y+y)
				set(y*w+x, src.Pix[o], src.Pix[o+1], src.Pix[o+2])
			}
		}
	case *image.NRGBA:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				o := src.PixOffset(b.Min.X+x, b.Min.Y+y)
				set(y*w+x, src.Pix[o], src.Pix[o+1], src.Pix[o+2])
			}
		}
	default:
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				set(y*w+x, uint8(r>>8), uint8(g>>8), uint8(bl>>8))
			}
		}
	}
	return p
}
