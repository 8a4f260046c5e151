package imageproc

import (
	"bytes"
	"fmt"
	"image"

	"github.com/disintegration/imaging"
)

// Imaging is the canonical Go resize on disintegration/imaging: image.Decode
// with imaging's EXIF auto-orientation, Lanczos (a = 3), imaging's encoders.
type Imaging struct{}

// NewWorker returns the resize; imaging keeps no state between files.
func (Imaging) NewWorker() (ResizeFunc, func()) { return imagingResize, func() {} }

func imagingResize(t Task) ([]byte, int64, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(t.Data))
	if err != nil {
		return nil, 0, Fail(ReasonCorrupt, err)
	}
	if err := CheckPixels(cfg.Width, cfg.Height); err != nil {
		return nil, 0, err
	}
	img, err := imaging.Decode(bytes.NewReader(t.Data), imaging.AutoOrientation(true))
	if err != nil {
		return nil, 0, Fail(ReasonCorrupt, err)
	}
	img = DropAlpha(img)
	b := img.Bounds()
	if w, h := ThumbnailSize(b.Dx(), b.Dy(), t.MaxW, t.MaxH); w != b.Dx() || h != b.Dy() {
		img = imaging.Resize(img, w, h, imaging.Lanczos)
	}
	var buf bytes.Buffer
	format, opts := imaging.PNG, []imaging.EncodeOption(nil)
	if t.Format == JPEG {
		format, opts = imaging.JPEG, []imaging.EncodeOption{imaging.JPEGQuality(t.Quality)}
	}
	if err := imaging.Encode(&buf, img, format, opts...); err != nil {
		return nil, 0, fmt.Errorf("encode: %w", err)
	}
	return buf.Bytes(), int64(cfg.Width) * int64(cfg.Height), nil
}
