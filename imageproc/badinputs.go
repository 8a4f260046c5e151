package imageproc

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
)

// BadInputVersion is part of the bad-input set's cache key.
const BadInputVersion = 2

// Reason classes of a rejected file: every contender's error for a file
// starts with its class and ": ", so the oracle can hold them to the manifest.
const (
	ReasonUnsupported = "unsupported" // not .jpg, .jpeg or .png
	ReasonCorrupt     = "corrupt"     // empty, truncated, not an image: cannot be decoded
	ReasonTooLarge    = "too-large"   // declares more than MaxPixels pixels
)

// Outcomes a file of the bad-input set must have.
const (
	ExpectOK     = "ok"
	ExpectReject = "reject"
)

// An Expectation is what one file of the bad-input set must yield.
type Expectation struct {
	File string `json:"file"`
	// Expect is ok (an output of Width x Height) or reject (a failure of class Reason).
	Expect string `json:"expect"`
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
	Reason string `json:"reason,omitempty"`
	// About says what the file tests.
	About string `json:"about"`
}

// A BadManifest lists the bad-input set's files and what each must yield.
type BadManifest struct {
	Version int           `json:"version"`
	Files   []Expectation `json:"files"`
	// Skipped are files this machine could not make (no ImageMagick), with why.
	Skipped []Expectation `json:"skipped,omitempty"`
}

// ManifestName is the manifest's file name, beside the set's "in" folder.
const ManifestName = "manifest.json"

// imageMagick is Debian's ImageMagick 6 convert (a plain `convert` on PATH
// may be something else).
const imageMagick = "convert-im6.q16"

// EnsureBadInputs returns the bad-input set's folder under
// cacheDir/data/imageproc/ (its files in "in", the manifest beside them),
// making it first when missing.
func EnsureBadInputs(cacheDir string) (dir string, err error) {
	key := fmt.Sprintf("bad-inputs-v%d", BadInputVersion)
	if _, err := exec.LookPath(imageMagick); err != nil {
		key += "-no-imagemagick"
	}
	return ensure(filepath.Join(cacheDir, "data", "imageproc"), key, WriteBadInputs)
}

// ReadBadManifest reads the manifest of a bad-input set made by WriteBadInputs.
func ReadBadManifest(dir string) (BadManifest, error) {
	var m BadManifest
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return m, fmt.Errorf("bad-input manifest: %w", err)
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("bad-input manifest %s: %w", dir, err)
	}
	return m, nil
}

// WriteBadInputs writes the bad-input set into dir: the files under dir/in
// and the manifest at dir/manifest.json.
func WriteBadInputs(dir string) error {
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		return fmt.Errorf("bad inputs: %w", err)
	}
	m := BadManifest{Version: BadInputVersion}
	for _, b := range badFiles() {
		data, err := b.make()
		if errors.Is(err, errNoImageMagick) {
			m.Skipped = append(m.Skipped, Expectation{File: b.exp.File, About: b.exp.About + " (skipped: " + err.Error() + ")"})
			continue
		}
		if err != nil {
			return fmt.Errorf("bad input %s: %w", b.exp.File, err)
		}
		if err := os.WriteFile(filepath.Join(in, b.exp.File), data, 0o644); err != nil {
			return fmt.Errorf("bad input: %w", err)
		}
		m.Files = append(m.Files, b.exp)
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("bad-input manifest: %w", err)
	}
	return os.WriteFile(filepath.Join(dir, ManifestName), append(data, '\n'), 0o644)
}

type badFile struct {
	exp  Expectation
	make func() ([]byte, error)
}

// ok is the expectation of a file that must be resized from w x h pixels
// (stored) under an EXIF orientation.
func ok(file, about string, w, h, orientation int) Expectation {
	ow, oh := Oriented(w, h, orientation)
	tw, th := ThumbnailSize(ow, oh, BoxWidth, BoxHeight)
	return Expectation{File: file, Expect: ExpectOK, Width: tw, Height: th, About: about}
}

func reject(file, reason, about string) Expectation {
	return Expectation{File: file, Expect: ExpectReject, Reason: reason, About: about}
}

func badFiles() []badFile {
	scene := func(seed uint64, w, h int) *image.RGBA { return Photo(rand.New(rand.NewPCG(seed, 7)), w, h) }
	jpg := func(img image.Image) ([]byte, error) { return encodeJPEG(img, PhotoQuality) }
	rotated := func(orientation int) func() ([]byte, error) {
		return func() ([]byte, error) {
			w, h := 640, 360
			if orientation == 3 {
				w, h = 960, 540
			}
			data, err := jpg(scene(uint64(orientation), w, h))
			return WithOrientation(data, orientation), err
		}
	}
	return []badFile{
		{reject("empty.jpg", ReasonCorrupt, "zero bytes"), func() ([]byte, error) { return nil, nil }},
		{reject("truncated.jpg", ReasonCorrupt, "a JPEG cut off in the middle of its scan"), func() ([]byte, error) {
			data, err := jpg(scene(1, 640, 480))
			return data[:len(data)*3/5], err
		}},
		{reject("not-an-image.jpg", ReasonCorrupt, "a text file named .jpg"), func() ([]byte, error) {
			return []byte("This is a text file, not a JPEG.\n"), nil
		}},
		{reject("animation.webp", ReasonUnsupported, "an unsupported extension (.webp: neither Go nor ImageIO writes it)"), func() ([]byte, error) {
			return append([]byte("RIFF\x1a\x00\x00\x00WEBPVP8 "), make([]byte, 14)...), nil
		}},
		{reject("notes.txt", ReasonUnsupported, "an unsupported extension"), func() ([]byte, error) { return []byte("notes\n"), nil }},
		{reject("bomb.jpg", ReasonTooLarge, "a small JPEG declaring 30000x30000 (beyond twice the limit: Pillow's error)"), func() ([]byte, error) {
			return bomb(30000, 30000)
		}},
		{reject("bomb-warn.jpg", ReasonTooLarge, "a small JPEG declaring 10000x10000 (within twice the limit: Pillow only warns)"), func() ([]byte, error) {
			return bomb(10000, 10000)
		}},
		{ok("alpha.png", "an RGBA PNG whose transparent pixels hold colours (kept, not composited)", 900, 640, 1), func() ([]byte, error) {
			return encodePNG(alphaScene(scene(2, 900, 640)))
		}},
		{ok("palette.png", "a palette PNG", 850, 620, 1), func() ([]byte, error) { return encodePNG(paletted(scene(3, 850, 620))) }},
		{ok("small.png", "an RGB PNG smaller than the box: never enlarged", 120, 80, 1), func() ([]byte, error) {
			return encodePNG(scene(4, 120, 80))
		}},
		{ok("gray.jpg", "a grayscale JPEG (written back as RGB)", 900, 700, 1), func() ([]byte, error) { return jpg(gray(scene(5, 900, 700))) }},
		{ok("rotated-3.jpg", "EXIF orientation 3 (upside down)", 960, 540, 3), rotated(3)},
		{ok("rotated-5.jpg", "EXIF orientation 5 (transposed)", 640, 360, 5), rotated(5)},
		{ok("rotated-6.jpg", "EXIF orientation 6 (turned clockwise to view)", 640, 360, 6), rotated(6)},
		{ok("rotated-8.jpg", "EXIF orientation 8 (turned anticlockwise to view)", 640, 360, 8), rotated(8)},
		{ok("UPPER CASE.JPG", "an upper-case extension", 900, 650, 1), func() ([]byte, error) { return jpg(scene(6, 900, 650)) }},
		{ok(`Ünïcödé "photo" ñ 写真.jpg`, "a name with spaces, quotes and non-ASCII characters", 1000, 560, 1), func() ([]byte, error) {
			return jpg(scene(7, 1000, 560))
		}},
		{ok("-starts-with-dash.jpeg", "a name that looks like a flag", 700, 700, 1), func() ([]byte, error) { return jpg(scene(8, 700, 700)) }},
		{ok("cmyk.jpg", "a CMYK JPEG (Adobe, inverted), written by ImageMagick", 900, 700, 1), func() ([]byte, error) {
			return viaImageMagick(scene(9, 900, 700), "-colorspace", "CMYK", "-quality", "90")
		}},
		{ok("progressive.jpg", "a progressive JPEG, written by ImageMagick", 1000, 760, 1), func() ([]byte, error) {
			return viaImageMagick(scene(10, 1000, 760), "-interlace", "Plane", "-quality", "90")
		}},
	}
}

func encodeJPEG(img image.Image, quality int) ([]byte, error) {
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
	return buf.Bytes(), err
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}

// alphaScene makes the left half of the picture fully transparent and the
// rest a gradient of opacity, keeping every pixel's colour.
func alphaScene(src *image.RGBA) *image.NRGBA {
	b := src.Bounds()
	out := image.NewNRGBA(b)
	copy(out.Pix, src.Pix)
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			a := uint8(0)
			if x >= b.Dx()/2 {
				a = uint8(64 + 191*(x-b.Dx()/2)/(b.Dx()-b.Dx()/2))
			}
			out.Pix[y*out.Stride+4*x+3] = a
		}
	}
	return out
}

func gray(src *image.RGBA) *image.Gray {
	out := image.NewGray(src.Bounds())
	for y := 0; y < src.Rect.Dy(); y++ {
		for x := 0; x < src.Rect.Dx(); x++ {
			out.Set(x, y, src.At(x, y))
		}
	}
	return out
}

// paletted quantises to a fixed 6x6x6 colour cube.
func paletted(src *image.RGBA) *image.Paletted {
	var pal color.Palette
	for r := 0; r < 6; r++ {
		for g := 0; g < 6; g++ {
			for b := 0; b < 6; b++ {
				pal = append(pal, color.RGBA{uint8(r * 51), uint8(g * 51), uint8(b * 51), 255})
			}
		}
	}
	out := image.NewPaletted(src.Bounds(), pal)
	for y := 0; y < src.Rect.Dy(); y++ {
		for x := 0; x < src.Rect.Dx(); x++ {
			out.Set(x, y, src.At(x, y))
		}
	}
	return out
}

// bomb is a 16x16 JPEG whose frame header is rewritten to declare w x h.
func bomb(w, h int) ([]byte, error) {
	data, err := encodeJPEG(image.NewGray(image.Rect(0, 0, 16, 16)), 50)
	if err != nil {
		return nil, err
	}
	i := bytes.Index(data, []byte{0xFF, 0xC0}) // baseline SOF0: length, precision, height, width
	if i < 0 {
		return nil, errors.New("no SOF0 marker")
	}
	binary.BigEndian.PutUint16(data[i+5:], uint16(h))
	binary.BigEndian.PutUint16(data[i+7:], uint16(w))
	return data, nil
}

var errNoImageMagick = errors.New(imageMagick + " not found (Debian's imagemagick; make setup installs it)")

// viaImageMagick converts the picture (given as a lossless PNG) to a JPEG
// with ImageMagick's options.
func viaImageMagick(img image.Image, options ...string) ([]byte, error) {
	if _, err := exec.LookPath(imageMagick); err != nil {
		return nil, errNoImageMagick
	}
	src, err := encodePNG(img)
	if err != nil {
		return nil, err
	}
	args := append(append([]string{"png:-"}, options...), "jpg:-")
	cmd := exec.Command(imageMagick, args...)
	cmd.Stdin = bytes.NewReader(src)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %s", imageMagick, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, nil
}
