package imageproc_test

import (
	"bytes"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/tribench/tribench/imageproc"
)

// TestBadInputs makes the bad-input set and holds its manifest to the files:
// every file listed exists and nothing else does, a file that must be resized
// decodes to a size whose thumbnail is the expected one, a bomb declares more
// than the pixel limit, and each reason is one of the classes.
func TestBadInputs(t *testing.T) {
	t.Parallel()
	dir, m := badInputs(t)
	if _, err := exec.LookPath("convert-im6.q16"); err == nil {
		assert.Empty(t, m.Skipped, "ImageMagick is here: nothing skipped")
	} else {
		assert.NotEmpty(t, m.Skipped, "no ImageMagick: its files are listed as skipped")
	}
	entries, err := os.ReadDir(filepath.Join(dir, "in"))
	require.NoError(t, err)
	assert.Len(t, entries, len(m.Files))
	reasons := map[string]bool{imageproc.ReasonCorrupt: true, imageproc.ReasonUnsupported: true, imageproc.ReasonTooLarge: true}
	for _, e := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, "in", e.File))
		require.NoError(t, err, e.File)
		assert.NotEmpty(t, e.About, e.File)
		cfg, _, cfgErr := image.DecodeConfig(bytes.NewReader(data))
		switch {
		case e.Expect == imageproc.ExpectOK:
			require.NoError(t, cfgErr, e.File)
			w, h := imageproc.Oriented(cfg.Width, cfg.Height, imageproc.Orientation(data))
			tw, th := imageproc.ThumbnailSize(w, h, imageproc.BoxWidth, imageproc.BoxHeight)
			assert.Equal(t, [2]int{e.Width, e.Height}, [2]int{tw, th}, e.File)
		case e.Reason == imageproc.ReasonTooLarge:
			require.NoError(t, cfgErr, e.File)
			assert.Greater(t, cfg.Width*cfg.Height, imageproc.MaxPixels, e.File)
			assert.Less(t, len(data), 1000, "%s: a small file", e.File)
		default:
			assert.Equal(t, imageproc.ExpectReject, e.Expect, e.File)
			assert.True(t, reasons[e.Reason], "%s: reason %q", e.File, e.Reason)
		}
	}
}
