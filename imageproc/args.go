package imageproc

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// ErrUsage marks a bad command line (exit 2 rather than 1).
var ErrUsage = errors.New("bad usage")

// Usage is the resize command's synopsis.
const Usage = "usage: resize resize --in DIR --out DIR --workers N --width W --height H --quality Q"

// ParseArgs reads the contender protocol's resize command line: the word
// "resize" and its flags, all required.
func ParseArgs(args []string) (Options, error) {
	var o Options
	if len(args) == 0 || args[0] != "resize" {
		return o, fmt.Errorf("%w: %s", ErrUsage, Usage)
	}
	fs := flag.NewFlagSet("resize", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.In, "in", "", "input folder")
	fs.StringVar(&o.Out, "out", "", "output folder (made if missing)")
	fs.IntVar(&o.Workers, "workers", 0, "workers in the pool")
	fs.IntVar(&o.Width, "width", 0, "thumbnail box width")
	fs.IntVar(&o.Height, "height", 0, "thumbnail box height")
	fs.IntVar(&o.Quality, "quality", 0, "JPEG quality, 1..100")
	if err := fs.Parse(args[1:]); err != nil {
		return o, fmt.Errorf("%w: %v; %s", ErrUsage, err, Usage)
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("%w: unexpected %q; %s", ErrUsage, fs.Arg(0), Usage)
	case o.In == "" || o.Out == "":
		return o, fmt.Errorf("%w: --in and --out are required; %s", ErrUsage, Usage)
	case o.Workers < 1 || o.Workers > 1024:
		return o, fmt.Errorf("%w: --workers %d is not in 1..1024", ErrUsage, o.Workers)
	case o.Width < 1 || o.Height < 1 || o.Width > 65535 || o.Height > 65535:
		return o, fmt.Errorf("%w: --width and --height must be in 1..65535", ErrUsage)
	case o.Quality < 1 || o.Quality > 100:
		return o, fmt.Errorf("%w: --quality %d is not in 1..100", ErrUsage, o.Quality)
	}
	return o, nil
}
