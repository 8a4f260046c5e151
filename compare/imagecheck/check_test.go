package imagecheck_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/disintegration/imaging"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/compare/imagecheck"
	"github.com/tribench/tribench/compare/toolchain"
	"github.com/tribench/tribench/imageproc"
	"github.com/tribench/tribench/imageproc/lanczos"
)

// A resizer made of one function of the decoded, upright, opaque picture and
// its thumbnail size: the deliberately wrong ones, and an independent right one.
type resizer func(img image.Image, w, h int) image.Image

func (f resizer) NewWorker() (imageproc.ResizeFunc, func()) {
	return func(t imageproc.Task) ([]byte, int64, error) {
		img, err := imaging.Decode(bytes.NewReader(t.Data), imaging.AutoOrientation(true))
		if err != nil {
			return nil, 0, imageproc.Fail(imageproc.ReasonCorrupt, err)
		}
		b := img.Bounds()
		w, h := imageproc.ThumbnailSize(b.Dx(), b.Dy(), t.MaxW, t.MaxH)
		var buf bytes.Buffer
		err = jpeg.Encode(&buf, f(img, w, h), &jpeg.Options{Quality: t.Quality})
		return buf.Bytes(), int64(b.Dx() * b.Dy()), err
	}, func() {}
}

var (
	wrongSize = resizer(func(img image.Image, w, h int) image.Image { return imaging.Resize(img, w-1, h, imaging.Lanczos) })
	box       = resizer(func(img image.Image, w, h int) image.Image { return imaging.Resize(img, w, h, imaging.Box) })
	// swapped is the right thumbnail with its Cb and Cr channels exchanged.
	swapped = resizer(func(img image.Image, w, h int) image.Image {
		small := imaging.Resize(img, w, h, imaging.Lanczos)
		out := image.NewNRGBA(small.Rect)
		for i := 0; i < len(small.Pix); i += 4 {
			y, cb, cr := color.RGBToYCbCr(small.Pix[i], small.Pix[i+1], small.Pix[i+2])
			r, g, b := color.YCbCrToRGB(y, cr, cb)
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = r, g, b, 0xFF
		}
		return out
	})
	// pillowArithmetic is a right resizer written apart from imaging: Pillow's
	// fixed-point Lanczos from imageproc/lanczos.
	pillowArithmetic = resizer(func(img image.Image, w, h int) image.Image {
		b := img.Bounds()
		src := lanczos.NewRGB(b.Dx(), b.Dy())
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				r, g, bl, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
				copy(src.Pix[y*src.Stride+3*x:], []uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)})
			}
		}
		dst := lanczos.NewRGB(w, h)
		new(lanczos.Resampler).Resize(dst, src)
		out := image.NewRGBA(image.Rect(0, 0, w, h))
		for i := 0; i < w*h; i++ {
			copy(out.Pix[4*i:], dst.Pix[3*i:3*i+3])
			out.Pix[4*i+3] = 0xFF
		}
		return out
	})
)

// fixture is the oracle's test set: a photo, the EXIF-rotated photo and the
// stripes, with the Go reference's run on them.
type fixture struct {
	in  string
	ref imagecheck.Output
}

var (
	fixOnce sync.Once
	fix     fixture
	fixErr  error
)

func setup(t *testing.T) fixture {
	t.Helper()
	fixOnce.Do(func() {
		dir, err := os.MkdirTemp("", "imagecheck-")
		if err != nil {
			fixErr = err
			return
		}
		fix.in, fixErr = imageproc.EnsureDataset(toolchain.Cache(), imageproc.DatasetSpec{Seed: imageproc.DefaultSeed, Count: 3})
		if fixErr == nil {
			fix.ref, fixErr = run(fix.in, filepath.Join(dir, "ref"), imageproc.Imaging{})
		}
	})
	require.NoError(t, fixErr)
	return fix
}

func run(in, out string, r imageproc.Resizer) (imagecheck.Output, error) {
	res, err := imageproc.Run(imageproc.Options{In: in, Out: out, Workers: 2, Width: imageproc.BoxWidth, Height: imageproc.BoxHeight, Quality: imageproc.OutputQuality}, r)
	return imagecheck.Output{Dir: out, Result: res}, err
}

func failed(checks []imagecheck.Check) map[string]string {
	out := map[string]string{}
	for _, c := range checks {
		if !c.Pass {
			out[c.Name] = c.Detail
		}
	}
	return out
}

// TestWrongResizersFail runs each deliberately wrong resizer on the set and
// requires the oracle to fail it on exactly the checks that catch its fault.
func TestWrongResizersFail(t *testing.T) {
	f := setup(t)
	for _, tc := range []struct {
		name string
		r    resizer
		want []string
	}{
		{"wrong size", wrongSize, []string{imagecheck.CheckDimensions}},
		{"box filter", box, []string{imagecheck.CheckLuma}},
		{"swapped chroma", swapped, []string{imagecheck.CheckCb, imagecheck.CheckCr}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := run(f.in, t.TempDir(), tc.r)
			require.NoError(t, err)
			checks := imagecheck.Compare(f.in, nil, f.ref, got, imagecheck.DefaultThresholds)
			fails := failed(checks)
			for _, name := range tc.want {
				assert.Contains(t, fails, name)
			}
			assert.Len(t, fails, len(tc.want), "%v", fails)
			for _, c := range checks {
				t.Logf("%s: %v %s", c.Name, c.Pass, c.Detail)
			}
		})
	}
}

func TestMissingOutputFails(t *testing.T) {
	f := setup(t)
	got, err := run(f.in, t.TempDir(), imageproc.Imaging{})
	require.NoError(t, err)
	require.NoError(t, os.Remove(filepath.Join(got.Dir, "stripes-0002.jpg")))
	fails := failed(imagecheck.Compare(f.in, nil, f.ref, got, imagecheck.DefaultThresholds))
	assert.Contains(t, fails[imagecheck.CheckAccounted], "stripes-0002.jpg: neither an output nor an error")
}

// TestRightResizersPass: the reference against itself, and an independent
// Lanczos (Pillow's arithmetic) through Go's encoder.
func TestRightResizersPass(t *testing.T) {
	f := setup(t)
	assert.Empty(t, failed(imagecheck.Compare(f.in, nil, f.ref, f.ref, imagecheck.DefaultThresholds)))
	got, err := run(f.in, t.TempDir(), pillowArithmetic)
	require.NoError(t, err)
	checks := imagecheck.Compare(f.in, nil, f.ref, got, imagecheck.DefaultThresholds)
	assert.Empty(t, failed(checks))
	for _, c := range checks {
		t.Logf("%s: %s", c.Name, c.Detail)
	}
}

// TestManifestReasons holds runs on a bad-input folder to its manifest: the
// reference passes; a run that gives a file another reason class, accepts a
// file it must refuse, or reports a file twice does not.
func TestManifestReasons(t *testing.T) {
	t.Parallel()
	dir, err := imageproc.EnsureBadInputs(toolchain.Cache())
	require.NoError(t, err)
	m, err := imageproc.ReadBadManifest(dir)
	require.NoError(t, err)
	in := filepath.Join(dir, "in")
	ref, err := run(in, t.TempDir(), imageproc.Imaging{})
	require.NoError(t, err)
	assert.Empty(t, failed(imagecheck.Compare(in, &m, ref, ref, imagecheck.DefaultThresholds)))

	reclassed := ref
	reclassed.Result.Errors = append([]imageproc.FileError(nil), ref.Result.Errors...)
	for i, e := range reclassed.Result.Errors {
		if e.File == "bomb.jpg" {
			reclassed.Result.Errors[i].Error = "corrupt: no"
		}
	}
	assert.Contains(t, failed(imagecheck.Accounting(in, &m, ref, reclassed))[imagecheck.CheckReasons], "bomb.jpg")

	accepted := ref
	accepted.Result.Errors = nil
	for _, e := range ref.Result.Errors {
		if e.File != "notes.txt" {
			accepted.Result.Errors = append(accepted.Result.Errors, e)
		}
	}
	fails := failed(imagecheck.Accounting(in, &m, ref, accepted))
	assert.Contains(t, fails[imagecheck.CheckReasons], "notes.txt accepted")
	assert.Contains(t, fails[imagecheck.CheckRejected], "notes.txt")
	assert.Contains(t, fails[imagecheck.CheckResultLine], "failed")

	twice := ref
	twice.Result.Errors = append(append([]imageproc.FileError(nil), ref.Result.Errors...), ref.Result.Errors[0])
	assert.Contains(t, failed(imagecheck.Accounting(in, &m, ref, twice))[imagecheck.CheckResultLine], "reported twice")
}
