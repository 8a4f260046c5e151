package imageproc

import (
	"image"
	"image/color"
)

// DropAlpha makes an image opaque the way Pillow's convert("RGB") does: each
// pixel keeps its colour values and loses its alpha (nothing is composited
// over black or white). Images without alpha come back as they are.
func DropAlpha(img image.Image) image.Image {
	switch src := img.(type) {
	case *image.NRGBA:
		out := &image.NRGBA{Pix: append([]uint8(nil), src.Pix...), Stride: src.Stride, Rect: src.Rect}
		for i := 3; i < len(out.Pix); i += 4 {
			out.Pix[i] = 0xFF
		}
		return out
	case *image.NRGBA64:
		out := image.NewNRGBA(src.Rect)
		for y := src.Rect.Min.Y; y < src.Rect.Max.Y; y++ {
			for x := src.Rect.Min.X; x < src.Rect.Max.X; x++ {
				c := src.NRGBA64At(x, y)
				out.SetNRGBA(x, y, color.NRGBA{uint8(c.R >> 8), uint8(c.G >> 8), uint8(c.B >> 8), 0xFF})
			}
		}
		return out
	case *image.Paletted:
		pal := make(color.Palette, len(src.Palette))
		for i, c := range src.Palette {
			n := color.NRGBAModel.Convert(c).(color.NRGBA)
			n.A = 0xFF
			pal[i] = n
		}
		return &image.Paletted{Pix: src.Pix, Stride: src.Stride, Rect: src.Rect, Palette: pal}
	}
	return img
}
