package imageproc

import (
	"bytes"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
)

// Mismatches compares a resize run on the bad-input set with the set's
// manifest: every file rejected with its class or written at its size, in its
// format. It returns one line per difference (none when the run is right).
func Mismatches(m BadManifest, res Result, outDir string) []string {
	var out []string
	errs := map[string]string{}
	for _, e := range res.Errors {
		errs[e.File] = e.Error
	}
	if res.Total != len(m.Files) {
		out = append(out, fmt.Sprintf("total %d, the set has %d files", res.Total, len(m.Files)))
	}
	for _, e := range m.Files {
		msg, failed := errs[e.File]
		switch {
		case e.Expect == ExpectReject && !failed:
			out = append(out, fmt.Sprintf("%s: accepted, must be rejected as %s", e.File, e.Reason))
		case e.Expect == ExpectReject && !strings.HasPrefix(msg, e.Reason+": "):
			out = append(out, fmt.Sprintf("%s: rejected with %q, must be %s", e.File, msg, e.Reason))
		case e.Expect == ExpectOK && failed:
			out = append(out, fmt.Sprintf("%s: rejected with %q, must be resized", e.File, msg))
		case e.Expect == ExpectOK:
			if problem := checkOutput(filepath.Join(outDir, e.File), e); problem != "" {
				out = append(out, e.File+": "+problem)
			}
		}
	}
	return out
}

func checkOutput(path string, e Expectation) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "no output: " + err.Error()
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case err != nil:
		return "output does not decode: " + err.Error()
	case format != string(FormatOf(e.File)):
		return fmt.Sprintf("output is %s, must be %s", format, FormatOf(e.File))
	case cfg.Width != e.Width || cfg.Height != e.Height:
		return fmt.Sprintf("output is %dx%d, must be %dx%d", cfg.Width, cfg.Height, e.Width, e.Height)
	}
	return ""
}
