//go:build turbojpeg

package turbo

import (
	"bytes"
	"fmt"
	"image"
	"image/png" // PNG inputs, decoded by Go

	"github.com/tribench/tribench/imageproc"
	"github.com/tribench/tribench/imageproc/lanczos"
)

// Resizer is the faster Go variant's imageproc.Resizer.
type Resizer struct{}

// NewWorker gives a worker its own TurboJPEG handles, resampler and buffers;
// release frees the handles.
func (Resizer) NewWorker() (resize imageproc.ResizeFunc, release func()) {
	c, err := newCodec()
	if err != nil {
		return func(imageproc.Task) ([]byte, int64, error) { return nil, 0, err }, func() {}
	}
	w := &worker{codec: c}
	return w.resize, c.close
}

// A worker's buffers grow to the largest image it has seen and stay.
type worker struct {
	codec                   *codec
	rs                      lanczos.Resampler
	decoded, small, rotated []byte
}

// rgb is an RGB image over buf, grown as needed and kept in *buf.
func rgb(buf *[]byte, w, h int) *lanczos.RGB {
	if cap(*buf) < 3*w*h {
		*buf = make([]byte, 3*w*h)
	}
	return &lanczos.RGB{Pix: (*buf)[:3*w*h], Width: w, Height: h, Stride: 3 * w}
}

func (w *worker) resize(t imageproc.Task) ([]byte, int64, error) {
	src, orientation, err := w.decode(t.Data)
	if err != nil {
		return nil, 0, err
	}
	pixels := int64(src.Width) * int64(src.Height)
	// Resize the stored image to the thumbnail's size before orienting it,
	// then orient the thumbnail (the same pixels; see lanczos.Orient).
	ow, oh := lanczos.Oriented(src.Width, src.Height, orientation)
	tw, th := imageproc.ThumbnailSize(ow, oh, t.MaxW, t.MaxH)
	img := src
	if rw, rh := lanczos.Oriented(tw, th, orientation); rw != src.Width || rh != src.Height {
		img = rgb(&w.small, rw, rh)
		w.rs.Resize(img, src)
	}
	if orientation != 1 {
		up := rgb(&w.rotated, tw, th)
		lanczos.Orient(up, img, orientation)
		img = up
	}
	var out []byte
	if t.Format == imageproc.PNG {
		out, err = encodePNG(img)
	} else {
		out, err = w.codec.encode(img, t.Quality)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("encode: %w", err)
	}
	return out, pixels, nil
}

// decode reads a JPEG with libjpeg-turbo (and its EXIF orientation) or
// anything else with Go's decoders, refusing an image over the pixel limit
// before decoding it.
func (w *worker) decode(data []byte) (*lanczos.RGB, int, error) {
	if !bytes.HasPrefix(data, []byte{0xFF, 0xD8}) {
		img, err := decodeOther(data)
		return img, 1, err
	}
	hd, err := w.codec.header(data)
	if err != nil {
		return nil, 0, imageproc.Fail(imageproc.ReasonCorrupt, err)
	}
	if err := imageproc.CheckPixels(hd.width, hd.height); err != nil {
		return nil, 0, err
	}
	bpp := 3
	if hd.cmyk {
		bpp = 4
	}
	if cap(w.decoded) < bpp*hd.width*hd.height {
		w.decoded = make([]byte, bpp*hd.width*hd.height)
	}
	buf := w.decoded[:bpp*hd.width*hd.height]
	if err := w.codec.decode(data, hd, buf); err != nil {
		return nil, 0, imageproc.Fail(imageproc.ReasonCorrupt, err)
	}
	img := &lanczos.RGB{Pix: buf[:3*hd.width*hd.height], Width: hd.width, Height: hd.height, Stride: 3 * hd.width}
	if hd.cmyk {
		cmykToRGB(img.Pix, buf)
	}
	return img, imageproc.Orientation(data), nil
}

// cmykToRGB converts in place, as Pillow does: a CMYK JPEG's values are taken
// as inverted (Adobe's convention; Pillow's "CMYK;I"), then each channel is
// (255 - k) scaled by (255 - c), rounded as Pillow's MULDIV255.
func cmykToRGB(dst, cmyk []byte) {
	muldiv255 := func(a, b int) int { t := a*b + 128; return ((t >> 8) + t) >> 8 }
	for i := 0; i < len(cmyk)/4; i++ {
		p := cmyk[4*i : 4*i+4 : 4*i+4]
		nk := int(p[3]) // 255 - k, k being 255 - stored
		c, m, y := 255-int(p[0]), 255-int(p[1]), 255-int(p[2])
		o := dst[3*i : 3*i+3 : 3*i+3]
		o[0], o[1], o[2] = uint8(nk-muldiv255(c, nk)), uint8(nk-muldiv255(m, nk)), uint8(nk-muldiv255(y, nk))
	}
}

// decodeOther decodes a non-JPEG (PNG) with Go's decoder and converts it to
// RGB, alpha dropped.
func decodeOther(data []byte) (*lanczos.RGB, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, imageproc.Fail(imageproc.ReasonCorrupt, err)
	}
	if err := imageproc.CheckPixels(cfg.Width, cfg.Height); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, imageproc.Fail(imageproc.ReasonCorrupt, err)
	}
	img = imageproc.DropAlpha(img)
	b := img.Bounds()
	out := lanczos.NewRGB(b.Dx(), b.Dy())
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA() // opaque: not premultiplied
			o := out.Pix[y*out.Stride+3*x:]
			o[0], o[1], o[2] = uint8(r>>8), uint8(g>>8), uint8(bl>>8)
		}
	}
	return out, nil
}

func encodePNG(img *lanczos.RGB) ([]byte, error) {
	out := image.NewNRGBA(image.Rect(0, 0, img.Width, img.Height))
	for i := 0; i < img.Width*img.Height; i++ {
		copy(out.Pix[4*i:4*i+3], img.Pix[3*i:3*i+3])
		out.Pix[4*i+3] = 0xFF
	}
	var buf bytes.Buffer
	err := png.Encode(&buf, out)
	return buf.Bytes(), err
}
