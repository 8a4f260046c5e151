package imageproc_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/imageproc"
)

func smallJPEG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 8, 4)), nil))
	return buf.Bytes()
}

func TestOrientationRoundTrip(t *testing.T) {
	t.Parallel()
	plain := smallJPEG(t)
	assert.Equal(t, 1, imageproc.Orientation(plain), "no EXIF block")
	for o := 1; o <= 8; o++ {
		tagged := imageproc.WithOrientation(plain, o)
		assert.Equal(t, o, imageproc.Orientation(tagged))
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(tagged))
		require.NoError(t, err, "still a JPEG")
		assert.Equal(t, 8, cfg.Width)
	}
}

func TestOrientationOfBrokenInput(t *testing.T) {
	t.Parallel()
	plain := smallJPEG(t)
	badValue := imageproc.WithOrientation(plain, 9)
	for name, data := range map[string][]byte{
		"empty":          nil,
		"text":           []byte("not a jpeg at all"),
		"soi only":       {0xFF, 0xD8},
		"value 9":        badValue,
		"cut in segment": imageproc.WithOrientation(plain, 6)[:12],
	} {
		assert.Equal(t, 1, imageproc.Orientation(data), name)
	}
}
